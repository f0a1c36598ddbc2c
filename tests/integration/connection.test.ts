import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkServices } from '../../core/service-check';
import { startLocalApi } from '../../scripts/local/api-gateway';
import { cloudEnv, configWithTable, testConfig } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';

/** checkServices against this run's real local cloud: DynamoDB Local, cognito-local, PostgreSQL. */
describe('checkServices', () => {
  it('reports that DynamoDB, Cognito and PostgreSQL all answer', async () => {
    const config = await configWithTable('connection');
    expect(await checkServices(config)).toEqual([
      { service: 'dynamodb', ok: true },
      { service: 'cognito', ok: true },
      { service: 'postgres', ok: true },
    ]);
  });

  it('reports a closed port as a one-line failure of each service, quickly', async () => {
    const port = await freePort();
    const base = await configWithTable('connection');
    const url = new URL(base.databaseUrl);
    url.port = String(port);
    url.password = 'sup3r-secret';
    const started = performance.now();
    const checks = await checkServices({
      ...base,
      dynamodbEndpoint: `http://127.0.0.1:${port}`,
      cognitoEndpoint: `http://127.0.0.1:${port}`,
      databaseUrl: url.toString(),
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    for (const check of checks) {
      expect(check.ok, check.service).toBe(false);
      const message = check.ok ? '' : check.message;
      expect(message).toContain('ECONNREFUSED');
      expect(message).not.toContain('\n');
      expect(message).not.toContain('sup3r-secret');
    }
  });

  it('names a table that does not exist and a pool that does not exist', async () => {
    const config = testConfig({ CRUDDUR_TABLE: 'no-such-table' });
    const [dynamodb, cognito, postgres] = await checkServices({ ...config, userPoolId: 'local_nosuchpool' });
    expect(dynamodb).toEqual({
      service: 'dynamodb',
      ok: false,
      message: expect.stringContaining('the table no-such-table does not exist in us-east-1'),
    });
    expect(cognito).toMatchObject({
      service: 'cognito',
      ok: false,
      message: expect.stringContaining('local_nosuchpool'),
    });
    expect(postgres).toEqual({ service: 'postgres', ok: true });
  });

  it('gives up on a service that never answers within its bound', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => {});
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const port = (silent.address() as { port: number }).port;
    try {
      const config = testConfig(cloudEnv({ CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` }));
      const started = performance.now();
      const [dynamodb] = await checkServices(config, 500);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(dynamodb).toEqual({ service: 'dynamodb', ok: false, message: 'no answer within 1 s' });
    } finally {
      silent.close();
    }
  });
});

describe('checkServices in API mode', () => {
  it('checks the message API (401 without a token) and Cognito, never DynamoDB or PostgreSQL', async () => {
    const config = testConfig();
    const api = await startLocalApi({ config, port: 0, cursorSecret: randomBytes(32) });
    try {
      const closed = await freePort();
      const checks = await checkServices({
        ...config,
        apiUrl: api.url,
        dynamodbEndpoint: `http://127.0.0.1:${closed}`,
        databaseUrl: `postgres://nobody@127.0.0.1:${closed}/nothing`,
      });
      expect(checks).toEqual([
        { service: 'api', ok: true },
        { service: 'cognito', ok: true },
      ]);
    } finally {
      await api.stop();
    }
  });

  it('says what answered the API URL if not a gateway that wants a sign-in, and a closed port', async () => {
    const open = createServer((_request, response) => response.writeHead(200).end('<html>hello</html>'));
    await new Promise<void>((done) => open.listen(0, '127.0.0.1', done));
    try {
      const config = testConfig();
      const port = (open.address() as AddressInfo).port;
      const [api] = await checkServices({ ...config, apiUrl: `http://127.0.0.1:${port}` });
      expect(api).toEqual({ service: 'api', ok: false, message: expect.stringContaining('HTTP 200') });
      const [refused] = await checkServices({ ...config, apiUrl: `http://127.0.0.1:${await freePort()}` });
      expect(refused).toMatchObject({
        service: 'api',
        ok: false,
        message: expect.stringContaining('ECONNREFUSED'),
      });
    } finally {
      await new Promise<void>((done) => open.close(() => done()));
    }
  });
});
