import {
  ListUsersCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../core/config';
import { createCognitoClient, createDynamoClient } from '../../core/clients';
import { MessageService } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';
import { createBackend, type Backend } from '../../electron/main/backend';
import { ConnectionStore } from '../../electron/main/connection-store';
import { createHandlers } from '../../electron/main/handlers';
import { CONNECTION_FILE_NAME, CONNECTION_PASSWORD_FILE_NAME } from '../../core/connection-file';
import { registerIpcHandlers } from '../../electron/main/ipc/register';
import { loadUsersSchema } from '../../scripts/admin/postgres';
import { invokeChannel, operationNames, type OperationName } from '../../shared/contract';
import { newMessageUuid } from '../../shared/message-uuid';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { Person } from '../../shared/model';
import type { Result } from '../../shared/result';
import { RecordingIpcMain } from '../main/support/fake-ipc';
import { LOCAL_CONFIRMATION_CODE, newAccount, type TestAccount } from '../support/auth';
import { cloudEnv, configWithTable, pgPool } from '../support/cloud';
import {
  fromEvil,
  HUGE,
  json,
  MINUTE,
  messagePayloads,
  nobody,
  send,
  signedOutApp,
  type Case,
  type HostileFixture,
} from '../support/hostile-payloads';
import { countItems, createPeople, seedConversation } from '../support/messages';
import { createPrivateUserPool, startPrivatePostgres } from '../support/private-cloud';
import { TestCipher } from '../support/test-cipher';

/**
 * What a compromised renderer can send, to every operation, through the app's real IPC
 * registration, handlers and backend, signed in as a real person. This file has its own
 * PostgreSQL, user pool and table, so "nothing changed" is measured on data no other file touches.
 */
const APP_PAGE = 'app://cruddur/index.html';

type Invoke = (operation: OperationName, payload: unknown, from?: string | null) => Promise<Result<unknown>>;

interface Fixture extends HostileFixture {
  config: Config;
  me: TestAccount & { uuid: string };
}

let fx: Fixture;
let call: Invoke;
let signedOut: Invoke;
let pool: pg.Pool;
let db: DynamoDBDocumentClient;
let cognito: CognitoIdentityProviderClient;
/** The signed-in app's user-data folder (no connection file may appear in it). */
let appDir: string;
const closers: (() => Promise<unknown>)[] = [];

/** Links a payload got opened in the system browser (none may be). */
const opened: string[] = [];

function mainProcess(
  config: Config,
  userDataDir: string,
  connection: ConnectionStore,
): { invoke: Invoke; backend: Backend } {
  const backend = createBackend({
    config,
    secretStore: new TestCipher(),
    userDataDir,
    publish: () => {},
    isFocused: () => true,
  });
  const ipc = new RecordingIpcMain();
  const handlers = createHandlers({
    config,
    connection,
    appVersion: 'test',
    backend: () => backend,
    openExternal: async (url) => {
      opened.push(url);
    },
  });
  registerIpcHandlers(ipc, handlers, (url) => url.startsWith('app://cruddur/'));
  const invoke: Invoke = (operation, payload, from = APP_PAGE) =>
    ipc.invoke(invokeChannel(operation), { senderFrame: from === null ? null : { url: from } }, payload);
  return { invoke, backend };
}

/** The value of a setup call, which must succeed. */
async function value<T>(result: Promise<Result<unknown>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(`setup call failed: ${JSON.stringify(settled.error)}`);
  return settled.value as T;
}

beforeAll(async () => {
  const postgres = await startPrivatePostgres();
  closers.push(() => postgres.stop());
  cognito = createCognitoClient(loadConfig(cloudEnv()));
  closers.push(async () => cognito.destroy());
  const ids = await createPrivateUserPool(cognito);
  const { tableName } = await configWithTable('hostile');
  const env = cloudEnv({
    CRUDDUR_TABLE: tableName,
    CRUDDUR_DATABASE_URL: postgres.url,
    CRUDDUR_USER_POOL_ID: ids.userPoolId,
    CRUDDUR_USER_POOL_CLIENT_ID: ids.userPoolClientId,
  });
  const config = loadConfig(env);
  pool = pgPool(config);
  closers.push(() => pool.end());
  await loadUsersSchema(pool);
  db = createDynamoClient(config);
  closers.push(async () => db.destroy());

  const userDirs = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), 'cruddur-hostile-'))));
  closers.push(() => Promise.all(userDirs.map((dir) => rm(dir, { recursive: true, force: true }))));
  // The app's real connection store over its folder, so updateConnection could write there.
  const connections = await Promise.all(
    userDirs.map((userDataDir) =>
      ConnectionStore.open({ userDataDir, secrets: new TestCipher(), env, packaged: true }),
    ),
  );
  appDir = userDirs[0]!;
  const app = mainProcess(config, userDirs[0]!, connections[0]!);
  const other = mainProcess(config, userDirs[1]!, connections[1]!);
  closers.push(
    () => app.backend.close(),
    () => other.backend.close(),
  );
  call = app.invoke;
  signedOut = other.invoke;

  const account = newAccount('hostile');
  await value(call('signUp', account));
  await value(call('confirmSignUp', { handle: account.handle, code: LOCAL_CONFIRMATION_CODE }));
  const profile = await value<{ uuid: string }>(
    call('signIn', { handle: account.handle, password: account.password }),
  );
  const [ann, bob] = await createPeople(pool, ['ann', 'bob']);
  const startWith = (to: Person) =>
    value<{ message_group_uuid: string }>(
      call('startConversation', {
        handle: to.handle,
        messageUuid: newMessageUuid(),
        text: `hello ${to.handle}`,
      }),
    );
  const mine = (await startWith(ann!)).message_group_uuid;
  const withBob = (await startWith(bob!)).message_group_uuid;
  await value(call('sendMessage', { groupUuid: mine, messageUuid: newMessageUuid(), text: 'and again' }));
  await value(call('sendMessage', { groupUuid: withBob, messageUuid: newMessageUuid(), text: 'and again' }));
  const { groupUuid: foreign } = await seedConversation(db, tableName, [ann!, bob!], {
    count: 3,
    firstAt: Date.now() - MINUTE,
  });
  const cursorOf = async (operation: OperationName, payload: object) =>
    (await value<{ cursor: string | null }>(call(operation, { ...payload, limit: 1 }))).cursor!;
  const anotherApp = new MessageService({ db, tableName, directory: new UserDirectory(pool) });
  fx = {
    config,
    me: { ...account, uuid: profile.uuid },
    ann: ann!,
    bob: bob!,
    mine,
    foreign,
    messagesCursor: await cursorOf('listMessages', { groupUuid: mine }),
    conversationsCursor: await cursorOf('listConversations', {}),
    otherConversationCursor: await cursorOf('listMessages', { groupUuid: withBob }),
    foreignCursor: (await anotherApp.listMessages(ann!, foreign, { limit: 1 })).cursor!,
  };
  for (const cursor of [
    fx.messagesCursor,
    fx.conversationsCursor,
    fx.otherConversationCursor,
    fx.foreignCursor,
  ])
    expect(cursor).toEqual(expect.any(String));
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

/** A valid connection to AWS, changed by `over`. */
const connectionInput = (over: Record<string, unknown> = {}) => ({
  target: 'aws',
  region: 'us-east-1',
  tableName: 'cruddur-messages',
  userPoolId: 'us-east-1_AbC123',
  userPoolClientId: 'abc123',
  databaseUrl: 'postgres://cruddur@db.example:5432/cruddur',
  ...over,
});
const signUp = (over: Record<string, unknown> = {}) => ({ ...newAccount('evil'), ...over });

/** Every operation (the Record makes a new one fail to compile until it has cases here). */
const hostile: Record<OperationName, Case[]> = {
  getAppInfo: [
    ['an empty object', 'Invalid', () => ({})],
    ['a 20 MB key', 'Invalid', () => ({ [HUGE]: 1 })],
  ],
  getSession: [
    ['an option', 'Invalid', () => ({ restore: true })],
    ['null', 'Invalid', () => null],
  ],
  signOut: [
    ['an empty object', 'Invalid', () => ({})],
    ['a string', 'Invalid', () => 'now'],
    ['another site', 'Forbidden', () => undefined, fromEvil],
    ['a destroyed frame', 'Forbidden', () => undefined, { from: null }],
  ],
  signIn: [
    ['a number for the password', 'Invalid', () => ({ handle: fx.me.handle, password: 123 })],
    ['no password', 'Invalid', () => ({ handle: fx.me.handle })],
    ['an extra field', 'Invalid', () => ({ handle: fx.me.handle, password: fx.me.password, remember: 1 })],
    [
      'a __proto__ key',
      'Invalid',
      () => json(`{"handle":"${fx.me.handle}","password":"${fx.me.password}","__proto__":{"admin":true}}`),
    ],
    ['a NUL in the handle', 'Invalid', () => ({ handle: 'ann\u0000', password: 'x' })],
    ['a lone surrogate in the handle', 'Invalid', () => ({ handle: 'ann\ud800', password: 'x' })],
    ['a 20 MB password', 'Invalid', () => ({ handle: fx.me.handle, password: HUGE })],
    ['an unknown handle', 'Unauthenticated', () => ({ handle: nobody(), password: 'Wrong-pass-1!' })],
    ['a wrong password', 'Unauthenticated', () => ({ handle: fx.me.handle, password: 'Wrong-pass-1!' })],
    [
      'the right password from another site',
      'Forbidden',
      () => ({ handle: fx.me.handle, password: fx.me.password }),
      fromEvil,
    ],
  ],
  signUp: [
    ['a cognito_user_id field', 'Invalid', () => signUp({ cognito_user_id: randomUUID() })],
    [
      'a constructor key',
      'Invalid',
      () => json(`{"constructor":{"prototype":{"admin":true}},${JSON.stringify(signUp()).slice(1)}`),
    ],
    ['a direction override in the handle', 'Invalid', () => signUp({ handle: 'ev\u202eil' })],
    ['an invisible display name', 'Invalid', () => signUp({ display_name: '\u200b\u2800\u3164' })],
    ['a NUL in the display name', 'Invalid', () => signUp({ display_name: 'Eve\u0000' })],
    [
      'a direction override in the display name',
      'Invalid',
      () => signUp({ display_name: 'Eve \u202enimdA' }),
    ],
    ['a 20 MB email', 'Invalid', () => signUp({ email: HUGE })],
    ['an array', 'Invalid', () => [signUp()]],
  ],
  confirmSignUp: [
    ['a NUL in the code', 'Invalid', () => ({ handle: fx.me.handle, code: '12345\u0000' })],
    ['a number for the code', 'Invalid', () => ({ handle: fx.me.handle, code: 123456 })],
    ['an unknown handle', 'Invalid', () => ({ handle: nobody(), code: LOCAL_CONFIRMATION_CODE })],
  ],
  resendCode: [
    ['an array for the handle', 'Invalid', () => ({ handle: [fx.me.handle] })],
    ['an extra field', 'Invalid', () => ({ handle: fx.me.handle, destination: 'eve@evil.example' })],
  ],
  forgotPassword: [
    ['a 20 MB handle', 'Invalid', () => ({ handle: HUGE })],
    ['no handle', 'Invalid', () => ({})],
  ],
  confirmForgotPassword: [
    ['no password', 'Invalid', () => ({ handle: fx.me.handle, code: LOCAL_CONFIRMATION_CODE })],
    [
      'a code never sent',
      'Invalid',
      () => ({ handle: fx.me.handle, code: '000000', password: 'Taken-over-2026!' }),
    ],
  ],
  searchUsers: messagePayloads.searchUsers,
  listConversations: messagePayloads.listConversations,
  listMessages: messagePayloads.listMessages,
  sendMessage: messagePayloads.sendMessage,
  startConversation: messagePayloads.startConversation,
  watchConversation: [
    ['not a uuid', 'Invalid', () => ({ groupUuid: 'x' })],
    ['no field', 'Invalid', () => ({})],
    ['an extra field', 'Invalid', () => ({ groupUuid: null, everyone: true })],
    ['a string', 'Invalid', () => 'x'],
    ['my conversation while signed out', 'Unauthenticated', () => ({ groupUuid: fx.mine }), signedOutApp],
  ],
  markConversationRead: messagePayloads.markConversationRead,
  getOutbox: [
    ['an empty object', 'Invalid', () => ({})],
    ['another site', 'Forbidden', () => undefined, fromEvil],
    ['while signed out', 'Unauthenticated', () => undefined, signedOutApp],
  ],
  getLastConversation: [
    ['a person to ask about', 'Invalid', () => ({ userUuid: fx.ann.uuid })],
    ['while signed out', 'Unauthenticated', () => undefined, signedOutApp],
  ],
  getConnectivity: [['a state of its own', 'Invalid', () => ({ online: true })]],
  retryNow: [
    ['a string', 'Invalid', () => 'now'],
    ['another site', 'Forbidden', () => undefined, fromEvil],
  ],
  getDraft: [
    ['not a uuid', 'Invalid', () => ({ groupUuid: '../../session.bin' })],
    ['a 20 MB uuid', 'Invalid', () => ({ groupUuid: HUGE })],
    ['someone to read as', 'Invalid', () => ({ groupUuid: fx.mine, userUuid: fx.ann.uuid })],
    ['my conversation while signed out', 'Unauthenticated', () => ({ groupUuid: fx.mine }), signedOutApp],
  ],
  saveDraft: [
    ['20 MB of text', 'Invalid', () => ({ groupUuid: fx.mine, text: HUGE })],
    ['a number for the text', 'Invalid', () => ({ groupUuid: fx.mine, text: 42 })],
    ['no conversation', 'Invalid', () => ({ text: 'hi' })],
    ['a path for the conversation', 'Invalid', () => ({ groupUuid: '../../cursor.key', text: 'hi' })],
    ['another site', 'Forbidden', () => ({ groupUuid: fx.mine, text: 'hi' }), fromEvil],
    ['while signed out', 'Unauthenticated', () => ({ groupUuid: fx.mine, text: 'hi' }), signedOutApp],
  ],
  getSettings: [
    ['an empty object', 'Invalid', () => ({})],
    ['a string', 'Invalid', () => 'theme'],
  ],
  updateSettings: [
    ['an unknown theme', 'Invalid', () => ({ theme: 'purple' })],
    ['a string for a switch', 'Invalid', () => ({ notifications: 'yes' })],
    ['a setting nobody has', 'Invalid', () => ({ devTools: true })],
    ['a cache limit of a terabyte', 'Invalid', () => ({ cacheLimitMb: 1_000_000 })],
    ['a fractional cache limit', 'Invalid', () => ({ cacheLimitMb: 50.5 })],
    ['a cache limit as text', 'Invalid', () => ({ cacheLimitMb: '50' })],
    ['a __proto__ key', 'Invalid', () => json('{"__proto__":{"theme":"dark"}}')],
    ['null', 'Invalid', () => null],
    ['another site', 'Forbidden', () => ({ notifications: false }), fromEvil],
  ],
  getConnection: [
    ['an empty object', 'Invalid', () => ({})],
    ['another site', 'Forbidden', () => undefined, fromEvil],
  ],
  updateConnection: [
    ['a 20 MB password', 'Invalid', () => connectionInput({ password: HUGE })],
    ['an unknown target', 'Invalid', () => connectionInput({ target: 'gcp' })],
    ['an endpoint of its own', 'Invalid', () => connectionInput({ dynamodbEndpoint: 'http://evil.example' })],
    ['a table name with a slash', 'Invalid', () => connectionInput({ tableName: 'cruddur/../other' })],
    ['a 20 MB table name', 'Invalid', () => connectionInput({ tableName: HUGE })],
    ['a region that is not one', 'Invalid', () => connectionInput({ region: 'us-east-1; rm -rf /' })],
    ['a pool id of another region', 'Invalid', () => connectionInput({ userPoolId: 'eu-west-1_AbC123' })],
    ['a client id with a slash', 'Invalid', () => connectionInput({ userPoolClientId: 'abc/def' })],
    [
      'a password in the URL',
      'Invalid',
      () => connectionInput({ databaseUrl: 'postgres://u:secret@db.example/x' }),
    ],
    [
      'an http URL for the directory',
      'Invalid',
      () => connectionInput({ databaseUrl: 'http://db.example/x' }),
    ],
    ['a 20 MB URL', 'Invalid', () => connectionInput({ databaseUrl: `postgres://db.example/${HUGE}` })],
    ['an empty password', 'Invalid', () => connectionInput({ password: '' })],
    ['a number for the password', 'Invalid', () => connectionInput({ password: 42 })],
    [
      'a __proto__ key',
      'Invalid',
      () => json(`{"__proto__":{"target":"aws"},${JSON.stringify(connectionInput()).slice(1)}`),
    ],
    ['null', 'Invalid', () => null],
    ['a valid connection from another site', 'Forbidden', () => connectionInput(), fromEvil],
  ],
  checkServices: [
    ['a service to check', 'Invalid', () => ({ service: 'postgres' })],
    ['another site', 'Forbidden', () => undefined, fromEvil],
  ],
  openLink: [
    ['javascript:', 'Invalid', () => ({ url: 'javascript:alert(document.cookie)' })],
    ['file:', 'Invalid', () => ({ url: 'file:///etc/passwd' })],
    ['a custom protocol', 'Invalid', () => ({ url: 'ms-msdt:/id PCWDiagnostic' })],
    ['credentials in the URL', 'Invalid', () => ({ url: 'https://bank.example@evil.example/' })],
    ['not a URL', 'Invalid', () => ({ url: 'click here' })],
    ['a 20 MB URL', 'Invalid', () => ({ url: `https://example.com/${HUGE}` })],
    ['a number', 'Invalid', () => ({ url: 42 })],
    ['an https link from another site', 'Forbidden', () => ({ url: 'https://example.com/' }), fromEvil],
  ],
};

const cases = Object.entries(hostile).flatMap(([operation, list]) =>
  list.map(([what, expected, payload, via = {}]) => ({
    operation: operation as OperationName,
    what,
    expected,
    payload,
    via,
  })),
);

async function snapshot() {
  const users = await pool.query<{ count: string }>('SELECT count(*) FROM users');
  const accounts = await cognito.send(new ListUsersCommand({ UserPoolId: fx.config.userPoolId }));
  return {
    items: await countItems(db, fx.config.tableName),
    users: Number(users.rows[0]!.count),
    accounts: accounts.Users?.length ?? 0,
  };
}

describe('hostile payloads through the real IPC handlers', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    before = await snapshot();
  });

  it('has at least 60 payloads, some for every operation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const name of operationNames) expect(hostile[name].length, name).toBeGreaterThan(0);
  });

  it.each(cases)('$operation with $what: $expected within a second', async (c) => {
    const invoke = c.via.signedOut ? signedOut : call;
    const started = performance.now();
    const result = await invoke(c.operation, c.payload(fx), c.via.from);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.ok ? 'ok' : result.error.code, JSON.stringify(result).slice(0, 300)).toBe(c.expected);
  });

  it('changed no item, no user, no account, no setting, no connection and opened no link, and the app still answers', async () => {
    expect(await snapshot()).toEqual(before);
    expect(opened).toEqual([]);
    const files = await readdir(appDir);
    expect(files).not.toContain(CONNECTION_FILE_NAME);
    expect(files).not.toContain(CONNECTION_PASSWORD_FILE_NAME);
    expect(await call('getAppInfo', undefined)).toMatchObject({ ok: true, value: { target: 'local' } });
    expect(await call('getSettings', undefined)).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(await call('getSession', undefined)).toMatchObject({ ok: true, value: { uuid: fx.me.uuid } });
    const conversations = await value<{ items: { message_group_uuid: string }[] }>(
      call('listConversations', {}),
    );
    expect(conversations.items.map((c) => c.message_group_uuid)).toContain(fx.mine);
    const sent = await value<{ message: string }>(call('sendMessage', send(fx, { text: 'still here' })));
    expect(sent.message).toBe('still here');
    expect((await snapshot()).items).toBe(before.items + 1);
  });
});
