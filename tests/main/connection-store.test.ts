import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type SavedConnection } from '../../core/config';
import { CONNECTION_FILE_NAME, CONNECTION_PASSWORD_FILE_NAME } from '../../core/connection-file';
import { ConnectionStore } from '../../electron/main/connection-store';
import { createHandlers } from '../../electron/main/handlers';
import { registerIpcHandlers } from '../../electron/main/ipc/register';
import type { Backend } from '../../electron/main/backend';
import { invokeChannel, type OperationName } from '../../shared/contract';
import type { ConnectionView } from '../../shared/connection';
import type { Result } from '../../shared/result';
import { captureLog } from '../support/log-capture';
import { TestCipher } from '../support/test-cipher';
import { AWS_CONNECTION } from './support/connections';
import { RecordingIpcMain } from './support/fake-ipc';

const PASSWORD = 'pa55-w0rd/with:odd@chars';
const AWS = AWS_CONNECTION;

let dir: string;
let cipher: TestCipher;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cruddur-connection-'));
  cipher = new TestCipher();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const open = (env: NodeJS.ProcessEnv = {}, packaged = true) =>
  ConnectionStore.open({ userDataDir: dir, secrets: cipher, env, cwd: '/project', packaged });

/** The real handlers and IPC registration over a connection store; `reconnects` counts rebuilds. */
function app(connection: ConnectionStore) {
  const ipc = new RecordingIpcMain();
  const reconnects: number[] = [];
  registerIpcHandlers(
    ipc,
    createHandlers({
      config: connection.config(),
      connection,
      reconnect: async () => {
        reconnects.push(Date.now());
      },
      appVersion: 'test',
      backend: (): Backend => {
        throw new Error('no backend in this test');
      },
    }),
    () => true,
  );
  const invoke = (operation: OperationName, payload?: unknown): Promise<Result<unknown>> =>
    ipc.invoke(invokeChannel(operation), { senderFrame: { url: 'app://cruddur/index.html' } }, payload);
  return { invoke, reconnects };
}

describe('the config from the environment, connection.json and the defaults', () => {
  const saved: SavedConnection = { ...AWS, databasePassword: PASSWORD };

  it('takes the file over the defaults, with the password in the database URL and no endpoints', () => {
    const config = loadConfig({}, '/project', saved);
    expect(config).toMatchObject({
      target: 'aws',
      region: 'eu-west-1',
      tableName: 'team-messages',
      userPoolId: 'eu-west-1_AbC123',
      userPoolClientId: 'client42',
      dynamodbEndpoint: undefined,
      cognitoEndpoint: undefined,
      embeddedPostgres: false,
    });
    expect(new URL(config.databaseUrl).password).toBe(encodeURIComponent(PASSWORD));
    expect(decodeURIComponent(new URL(config.databaseUrl).password)).toBe(PASSWORD);
  });

  it('takes each environment variable over the file', () => {
    const config = loadConfig(
      {
        CRUDDUR_REGION: 'us-west-2',
        CRUDDUR_TABLE: 'dev-table',
        CRUDDUR_DATABASE_URL: 'postgres://dev@localhost/dev',
      },
      '/project',
      saved,
    );
    expect(config).toMatchObject({
      target: 'aws',
      region: 'us-west-2',
      tableName: 'dev-table',
      userPoolId: AWS.userPoolId,
    });
    expect(config.databaseUrl).toBe('postgres://dev@localhost/dev');
  });

  it('ignores a file of another target than CRUDDUR_TARGET names (no mix of two clouds)', () => {
    const config = loadConfig({ CRUDDUR_TARGET: 'local' }, '/nonexistent', saved);
    expect(config).toMatchObject({
      target: 'local',
      region: 'us-east-1',
      tableName: 'cruddur-messages',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      embeddedPostgres: true,
    });
    expect(config.userPoolId).toBeUndefined();
  });

  it('keeps the defaults without a file', () => {
    expect(loadConfig({}, '/nonexistent')).toMatchObject({
      target: 'local',
      region: 'us-east-1',
      embeddedPostgres: true,
    });
  });
});

describe('connection.json', () => {
  it('round-trips through updateConnection and a new start, the password kept encrypted apart', async () => {
    const { invoke, reconnects } = app(await open());
    const saved = await invoke('updateConnection', { ...AWS, password: PASSWORD });
    expect(saved).toMatchObject({
      ok: true,
      value: { target: 'aws', region: 'eu-west-1', passwordSaved: true },
    });
    expect(reconnects).toHaveLength(1);

    const json = await readFile(join(dir, CONNECTION_FILE_NAME));
    expect(JSON.parse(json.toString('utf8'))).toEqual({ version: 1, ...AWS });
    expect(json.includes(PASSWORD)).toBe(false);
    expect(json.includes(encodeURIComponent(PASSWORD))).toBe(false);
    const encrypted = await readFile(join(dir, CONNECTION_PASSWORD_FILE_NAME));
    expect(encrypted.includes(PASSWORD)).toBe(false);
    expect(cipher.decryptString(encrypted)).toBe(PASSWORD);
    for (const file of [CONNECTION_FILE_NAME, CONNECTION_PASSWORD_FILE_NAME])
      expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);

    const again = await open();
    expect(again.config()).toMatchObject({
      target: 'aws',
      tableName: 'team-messages',
      userPoolId: AWS.userPoolId,
    });
    expect(decodeURIComponent(new URL(again.config().databaseUrl).password)).toBe(PASSWORD);
    const view = again.view();
    expect(view).toEqual({
      target: 'aws',
      region: 'eu-west-1',
      tableName: 'team-messages',
      userPoolId: 'eu-west-1_AbC123',
      userPoolClientId: 'client42',
      databaseHost: 'db.internal.example:5432/cruddur',
      databaseUrlSaved: true,
      passwordSaved: true,
      apiUrl: null,
      mode: 'direct',
      sources: {
        target: 'file',
        region: 'file',
        tableName: 'file',
        userPoolId: 'file',
        userPoolClientId: 'file',
        databaseUrl: 'file',
        apiUrl: 'default',
      },
      configured: true,
    } satisfies ConnectionView);
    const answered = JSON.stringify(await app(again).invoke('getConnection'));
    expect(answered).not.toContain(PASSWORD);
    expect(answered).not.toContain('cruddur@');
  });

  it('keeps the saved URL and password when they are left out, and forgets them with null', async () => {
    const store = await open();
    await store.update({ ...AWS, password: PASSWORD });
    const kept = await store.update({ ...AWS, tableName: 'renamed', databaseUrl: undefined });
    expect(kept).toMatchObject({ tableName: 'renamed', passwordSaved: true, databaseUrlSaved: true });
    expect(decodeURIComponent(new URL(store.config().databaseUrl).password)).toBe(PASSWORD);
    const local = await store.update({
      ...AWS,
      target: 'local',
      region: 'us-east-1',
      userPoolId: null,
      userPoolClientId: null,
      databaseUrl: null,
    });
    expect(local).toMatchObject({ target: 'local', passwordSaved: false, databaseUrlSaved: false });
    expect(store.config().embeddedPostgres).toBe(true);
    expect(await readdir(dir)).not.toContain(CONNECTION_PASSWORD_FILE_NAME);
  });

  it('shows what the environment sets as set by it', async () => {
    const store = await open({
      CRUDDUR_TABLE: 'dev-table',
      CRUDDUR_TARGET: 'aws',
      CRUDDUR_DATABASE_URL: 'postgres://dev:devpw@h/d',
    });
    await store.update({ ...AWS, password: PASSWORD });
    const view = store.view();
    expect(view.sources).toMatchObject({
      target: 'environment',
      tableName: 'environment',
      databaseUrl: 'environment',
      region: 'file',
    });
    expect(view.tableName).toBe('dev-table');
    expect(view.databaseHost).toBe('h/d');
    expect(JSON.stringify(view)).not.toContain('devpw');
  });

  it.each([
    ['not JSON', '{"version": 1,'],
    ['another version', JSON.stringify({ ...AWS, version: 2 })],
    [
      'an endpoint of its own',
      JSON.stringify({ version: 1, ...AWS, dynamodbEndpoint: 'http://evil.example' }),
    ],
    ['a password in its URL', JSON.stringify({ version: 1, ...AWS, databaseUrl: 'postgres://u:pw@h/d' })],
  ])('is ignored with one log line when it is %s', async (_what, content) => {
    const log = captureLog();
    await writeFile(join(dir, CONNECTION_FILE_NAME), content);
    const store = await open();
    expect(store.config()).toMatchObject({ target: 'local', tableName: 'cruddur-messages' });
    expect(store.view().configured).toBe(false);
    expect(log.entries.filter((entry) => entry.level === 'warn')).toHaveLength(1);
    expect(log.text()).not.toContain('pw@');
  });

  it('is ignored when it cannot be read', async () => {
    const log = captureLog();
    await mkdir(join(dir, CONNECTION_FILE_NAME));
    expect((await open()).config().target).toBe('local');
    expect(log.entries.filter((entry) => entry.level === 'warn')).toHaveLength(1);
  });

  it('makes an installed app configured; the dev app always is', async () => {
    expect((await open({}, true)).view().configured).toBe(false);
    expect((await open({ CRUDDUR_TARGET: 'local' }, true)).view().configured).toBe(true);
    expect((await open({}, false)).view().configured).toBe(true);
    const store = await open({}, true);
    await store.update({
      target: 'local',
      region: 'us-east-1',
      tableName: 'cruddur-messages',
      userPoolId: null,
      userPoolClientId: null,
    });
    expect(store.view().configured).toBe(true);
    expect((await open({}, true)).view().configured).toBe(true);
  });
});

describe('API mode in connection.json', () => {
  const API_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com';

  it('saves an API URL: AWS then needs no directory URL, and the view says API mode', async () => {
    const { invoke, reconnects } = app(await open());
    const saved = await invoke('updateConnection', { ...AWS, databaseUrl: null, apiUrl: API_URL });
    expect(saved).toMatchObject({
      ok: true,
      value: { mode: 'api', apiUrl: API_URL, databaseHost: '', databaseUrlSaved: false },
    });
    expect(reconnects).toHaveLength(1);
    const json = JSON.parse(await readFile(join(dir, CONNECTION_FILE_NAME), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({ version: 1, apiUrl: API_URL, databaseUrl: null });

    const again = await open();
    expect(again.config()).toMatchObject({ target: 'aws', apiUrl: API_URL, databaseUrl: '' });
    expect(again.view()).toMatchObject({ mode: 'api', sources: { apiUrl: 'file' } });
  });

  it('keeps the API URL when it is left out, and goes back to direct mode with null', async () => {
    const store = await open();
    await store.update({ ...AWS, apiUrl: API_URL });
    expect((await store.update({ ...AWS, tableName: 'renamed' })).mode).toBe('api');
    const direct = await store.update({ ...AWS, apiUrl: null });
    expect(direct).toMatchObject({
      mode: 'direct',
      apiUrl: null,
      databaseHost: 'db.internal.example:5432/cruddur',
    });
    // Written as before API mode existed, so an older app still reads it.
    expect(JSON.parse(await readFile(join(dir, CONNECTION_FILE_NAME), 'utf8'))).toEqual({
      version: 1,
      ...AWS,
    });
    expect(store.config().apiUrl).toBeUndefined();
  });

  it('refuses to leave AWS with neither a directory URL nor an API URL', async () => {
    const store = await open();
    await store.update({ ...AWS, databaseUrl: null, apiUrl: API_URL });
    await expect(store.update({ ...AWS, databaseUrl: null, apiUrl: null })).rejects.toMatchObject({
      code: 'Invalid',
    });
    expect(store.view().mode).toBe('api');
  });

  it('shows CRUDDUR_API_URL as set by the environment, and configured', async () => {
    const store = await open({ CRUDDUR_API_URL: 'http://127.0.0.1:8787' });
    expect(store.view()).toMatchObject({
      mode: 'api',
      apiUrl: 'http://127.0.0.1:8787',
      configured: true,
      sources: { apiUrl: 'environment' },
    });
  });
});

describe('updateConnection', () => {
  it.each([
    ['a region that is not one', { region: 'Europe' }],
    ['a table name with a slash', { tableName: 'a/b' }],
    ['a two-letter table name', { tableName: 'ab' }],
    ['a pool id without its region', { userPoolId: 'AbC123' }],
    ['a pool id of another region', { userPoolId: 'us-east-1_AbC123' }],
    ['no pool on AWS', { userPoolId: null }],
    ['a client id with a dash', { userPoolClientId: 'a-b' }],
    ['an http URL', { databaseUrl: 'http://db.example/x' }],
    ['a URL with a password', { databaseUrl: 'postgres://u:pw@db.example/x' }],
    ['no directory on AWS', { databaseUrl: null }],
    ['an endpoint', { dynamodbEndpoint: 'http://127.0.0.1:1' }],
    ['a directory URL that is not one', { databaseUrl: 'not a url' }],
    ['an http API URL to another computer', { apiUrl: 'http://api.example.com' }],
    ['an API URL with a password', { apiUrl: 'https://u:pw@api.example.com' }],
    ['an API URL that is not one', { apiUrl: 'api.example.com' }],
  ])('refuses %s as Invalid and writes nothing', async (_what, over) => {
    const store = await open();
    const { invoke, reconnects } = app(store);
    const result = await invoke('updateConnection', { ...AWS, password: PASSWORD, ...over });
    expect(result).toMatchObject({ ok: false, error: { code: 'Invalid' } });
    expect(await readdir(dir)).toEqual([]);
    expect(reconnects).toEqual([]);
    expect(store.config().target).toBe('local');
  });

  it('refuses a password it cannot keep safely, and writes nothing', async () => {
    cipher.backend = 'basic_text';
    const { invoke } = app(await open());
    const result = await invoke('updateConnection', { ...AWS, password: PASSWORD });
    expect(result).toMatchObject({ ok: false, error: { code: 'Unavailable' } });
    expect(await readdir(dir)).toEqual([]);
  });

  it('changes what getAppInfo says', async () => {
    const { invoke } = app(await open());
    await invoke('updateConnection', AWS);
    expect(await invoke('getAppInfo')).toMatchObject({
      ok: true,
      value: { target: 'aws', region: 'eu-west-1' },
    });
  });
});
