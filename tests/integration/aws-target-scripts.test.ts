import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { cloudEnv, configWithTable, runScript, testConfig, uniqueTableName } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';

/**
 * The writing admin scripts on target aws, with no real AWS: DynamoDB is the test's DynamoDB
 * Local (the endpoint override works on either target) and STS is a stand-in HTTP server that
 * answers GetCallerIdentity as STS does (awsQuery, an XML body), reached via CRUDDUR_STS_ENDPOINT.
 */

const ACCOUNT = '123456789012';
const REGION = 'eu-west-2';

interface StsRequest {
  body: string;
  authorization: string;
}

const STS_ANSWER = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${ACCOUNT}:user/admin</Arn>
    <UserId>AIDAEXAMPLEUSERID</UserId>
    <Account>${ACCOUNT}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((done) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => done(body));
  });

let sts: Server;
let stsEndpoint: string;
const stsRequests: StsRequest[] = [];
const db = createDynamoClient(testConfig());

beforeAll(async () => {
  sts = createServer((request, response) => {
    void readBody(request).then((body) => {
      stsRequests.push({ body, authorization: request.headers.authorization ?? '' });
      response.writeHead(200, { 'content-type': 'text/xml' }).end(STS_ANSWER);
    });
  });
  await new Promise<void>((done) => sts.listen(0, '127.0.0.1', done));
  stsEndpoint = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
});

afterAll(async () => {
  db.destroy();
  await new Promise((done) => sts.close(done));
});

beforeEach(() => {
  stsRequests.length = 0;
});

/** Target aws, credentials for the default chain, STS at the stand-in, DynamoDB at the local one. */
const awsEnv = (extra: Record<string, string> = {}) =>
  cloudEnv({
    CRUDDUR_TARGET: 'aws',
    CRUDDUR_REGION: REGION,
    CRUDDUR_DATABASE_URL: testConfig().databaseUrl,
    CRUDDUR_STS_ENDPOINT: stsEndpoint,
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example-secret',
    ...extra,
  });

const tableNames = async (): Promise<string[]> => (await db.send(new ListTablesCommand({}))).TableNames ?? [];

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('admin scripts on target aws', () => {
  it('ddb:drop, ddb:seed and cognito:seed-users refuse without --yes, in one line, before any call', async () => {
    const config = await configWithTable('aws-refuse');
    // Nothing listens on these: a call to either would fail differently (exit 5), not exit 2.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const env = awsEnv({
      CRUDDUR_TABLE: config.tableName,
      CRUDDUR_STS_ENDPOINT: closed,
      CRUDDUR_COGNITO_ENDPOINT: closed,
      CRUDDUR_USER_POOL_ID: 'eu-west-2_Real',
    });
    const [drop, seed, users] = await Promise.all([
      runScript('ddb:drop', [], env),
      runScript('ddb:seed', ['--users', '3', '--groups', '1', '--messages', '2'], env),
      runScript('cognito:seed-users', [], env),
    ]);
    for (const [result, script, what] of [
      [drop, 'ddb:drop', `table ${config.tableName}`],
      [seed, 'ddb:seed', `table ${config.tableName}`],
      [users, 'cognito:seed-users', 'user pool eu-west-2_Real'],
    ] as const) {
      expect(result.code, result.stderr).toBe(2);
      expect(lines(result.stderr)).toEqual([
        `error: refusing to run ${script} on target aws (region ${REGION}, ${what}) without --yes: ` +
          'check the account (aws sts get-caller-identity) and add --yes',
      ]);
    }
    expect(await tableNames()).toContain(config.tableName);
  });

  it('ddb:schema-load names the account, region and table before it creates the table', async () => {
    const table = uniqueTableName('aws-schema');
    const result = await runScript('ddb:schema-load', [], awsEnv({ CRUDDUR_TABLE: table }));
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stderr)).toEqual([
      `target aws: account ${ACCOUNT}, region ${REGION}, table ${table}`,
    ]);
    expect(result.stdout).toContain(`created table ${table}`);
    expect(await tableNames()).toContain(table);
    // One GetCallerIdentity, signed for the config's region with the default chain's credentials.
    expect(stsRequests).toHaveLength(1);
    expect(stsRequests[0]?.body).toContain('Action=GetCallerIdentity');
    expect(stsRequests[0]?.authorization).toContain(`AKIAEXAMPLE/`);
    expect(stsRequests[0]?.authorization).toContain(`/${REGION}/sts/aws4_request`);
  });

  it('ddb:drop --yes names the account before it drops', async () => {
    const config = await configWithTable('aws-drop');
    const result = await runScript('ddb:drop', ['--yes'], awsEnv({ CRUDDUR_TABLE: config.tableName }));
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stderr)).toEqual([
      `target aws: account ${ACCOUNT}, region ${REGION}, table ${config.tableName}`,
    ]);
    expect(result.stdout).toContain(`dropped table ${config.tableName}`);
    expect(await tableNames()).not.toContain(config.tableName);
  });

  it('db:schema-load names the database host, never the URL with its password', async () => {
    const url = new URL(testConfig().databaseUrl);
    url.password = 'hunter2-secret';
    url.username ||= 'postgres';
    const result = await runScript('db:schema-load', [], awsEnv({ CRUDDUR_DATABASE_URL: url.toString() }));
    // The embedded PostgreSQL ignores the password, so the schema load itself succeeds.
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stderr)).toEqual([
      `target aws: account ${ACCOUNT}, region ${REGION}, database host ${url.host}${url.pathname}`,
    ]);
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
  });

  it('writes nothing when the account cannot be told (STS unreachable): one line, exit 5', async () => {
    const table = uniqueTableName('aws-nosts');
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await runScript(
      'ddb:schema-load',
      [],
      awsEnv({ CRUDDUR_TABLE: table, CRUDDUR_STS_ENDPOINT: closed }),
    );
    expect(result.code, result.stderr).toBe(5);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      new RegExp(`^error: cannot tell which AWS account .*AWS STS at ${closed} cannot be reached`),
    );
    expect(await tableNames()).not.toContain(table);
  });

  it('on target local nothing changes: no STS call, no account line, no --yes needed', async () => {
    const table = uniqueTableName('local-schema');
    const result = await runScript(
      'ddb:schema-load',
      [],
      cloudEnv({ CRUDDUR_TABLE: table, CRUDDUR_STS_ENDPOINT: stsEndpoint }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(await tableNames()).toContain(table);
    expect(stsRequests).toHaveLength(0);
  });
});
