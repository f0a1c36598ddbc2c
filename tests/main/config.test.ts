import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, withLocalCloudIds } from '../../core/config';

describe('configuration', () => {
  it('defaults to the local cloud', () => {
    const config = loadConfig({}, '/project');
    expect(config).toMatchObject({
      target: 'local',
      region: 'us-east-1',
      tableName: 'cruddur-messages',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      cognitoEndpoint: 'http://127.0.0.1:9229',
      localDir: '/project/.local-cloud',
    });
  });

  it('takes every value from CRUDDUR_* variables', () => {
    const config = loadConfig(
      {
        CRUDDUR_TARGET: 'aws',
        CRUDDUR_REGION: 'eu-west-2',
        CRUDDUR_TABLE: 'other-table',
        CRUDDUR_USER_POOL_ID: 'eu-west-2_AbC123',
        CRUDDUR_USER_POOL_CLIENT_ID: 'abc123def',
        CRUDDUR_DATABASE_URL: 'postgresql://u:p@db.example:5432/cruddur',
      },
      '/project',
    );
    expect(config).toMatchObject({
      target: 'aws',
      region: 'eu-west-2',
      tableName: 'other-table',
      dynamodbEndpoint: undefined,
      cognitoEndpoint: undefined,
      userPoolId: 'eu-west-2_AbC123',
      userPoolClientId: 'abc123def',
      databaseUrl: 'postgresql://u:p@db.example:5432/cruddur',
    });
  });

  it.each([
    ['CRUDDUR_TARGET', 'staging', /CRUDDUR_TARGET="staging" is not valid: expected one of: local, aws/],
    ['CRUDDUR_REGION', 'mars', /CRUDDUR_REGION="mars" is not valid: expected an AWS region/],
    [
      'CRUDDUR_DYNAMODB_ENDPOINT',
      'localhost:8000',
      /CRUDDUR_DYNAMODB_ENDPOINT="localhost:8000" is not valid: expected an http\(s\) URL/,
    ],
    ['CRUDDUR_TABLE', 'a b', /CRUDDUR_TABLE="a b" is not valid: expected a DynamoDB table name/],
  ])('names %s and what it expects when it is wrong', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, '/project')).toThrow(message);
  });

  it.each([
    ['another scheme', 'mysql://app:s3cret-pw@db.example/cruddur'],
    ['a port out of range', 'postgres://app:s3cret-pw@db.example:99999/cruddur'],
    ['a space in the host', 'postgres://app:s3cret-pw@db.example cruddur/db'],
  ])('names CRUDDUR_DATABASE_URL without repeating it when it has %s', (_what, value) => {
    const load = () => loadConfig({ CRUDDUR_DATABASE_URL: value }, '/project');
    expect(load).toThrow(/^CRUDDUR_DATABASE_URL is not valid: expected a PostgreSQL URL/);
    expect(load).not.toThrow(/s3cret|db\.example/);
  });

  it('needs a database URL on target aws', () => {
    expect(() => loadConfig({ CRUDDUR_TARGET: 'aws' })).toThrow(/CRUDDUR_DATABASE_URL is required/);
  });

  it('needs no database URL on target aws in API mode, and takes the API URL from CRUDDUR_API_URL', () => {
    const config = loadConfig(
      { CRUDDUR_TARGET: 'aws', CRUDDUR_API_URL: 'https://api.example.com/prod' },
      '/p',
    );
    expect(config).toMatchObject({ target: 'aws', apiUrl: 'https://api.example.com/prod', databaseUrl: '' });
    expect(loadConfig({}, '/project').apiUrl).toBeUndefined();
    expect(loadConfig({ CRUDDUR_API_URL: 'http://127.0.0.1:8787' }, '/p').apiUrl).toBe(
      'http://127.0.0.1:8787',
    );
  });

  it.each([
    ['plain http to another computer', 'http://api.example.com', /https URL \(http only to 127\.0\.0\.1/],
    ['a user and password', 'https://me:pw@api.example.com', /without a user or password/],
    ['a query', 'https://api.example.com/?stage=prod', /without a query/],
    ['another scheme', 'ftp://api.example.com', /an https URL/],
  ])('refuses an API URL with %s, naming CRUDDUR_API_URL', (_what, value, message) => {
    const load = () => loadConfig({ CRUDDUR_API_URL: value }, '/project');
    expect(load).toThrow(/^CRUDDUR_API_URL=.* is not valid/);
    expect(load).toThrow(message);
  });

  it('finds the ids the local cloud wrote when it bootstrapped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cruddur-config-'));
    await writeFile(
      join(dir, 'cloud.json'),
      JSON.stringify({ userPoolId: 'local_4bc', userPoolClientId: 'client1' }),
    );
    const config = loadConfig({ CRUDDUR_LOCAL_DIR: dir });
    expect(config).toMatchObject({ userPoolId: 'local_4bc', userPoolClientId: 'client1' });
  });

  it('looks for the ids again when the config was loaded before the local cloud wrote them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cruddur-config-'));
    const early = loadConfig({ CRUDDUR_LOCAL_DIR: dir });
    expect(early.userPoolId).toBeUndefined();
    await writeFile(
      join(dir, 'cloud.json'),
      JSON.stringify({ userPoolId: 'local_9zz', userPoolClientId: 'c2' }),
    );
    expect(withLocalCloudIds(early)).toMatchObject({ userPoolId: 'local_9zz', userPoolClientId: 'c2' });
    expect(withLocalCloudIds({ ...early, target: 'aws' }).userPoolId).toBeUndefined();
  });
});
