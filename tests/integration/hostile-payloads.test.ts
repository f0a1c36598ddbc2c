import {
  ListUsersCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes, randomUUID } from 'node:crypto';
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
import type { ErrorCode, Result } from '../../shared/result';
import { RecordingIpcMain } from '../main/support/fake-ipc';
import { LOCAL_CONFIRMATION_CODE, newAccount, type TestAccount } from '../support/auth';
import { cloudEnv, configWithTable, pgPool } from '../support/cloud';
import { countItems, createPeople, seedConversation } from '../support/messages';
import { createPrivateUserPool, startPrivatePostgres } from '../support/private-cloud';
import { TestCipher } from '../support/test-cipher';

/**
 * What a compromised renderer can send, to every operation, through the app's real IPC
 * registration, handlers and backend, signed in as a real person. This file has its own
 * PostgreSQL, user pool and table, so "nothing changed" is measured on data no other file touches.
 */
const APP_PAGE = 'app://cruddur/index.html';
const HUGE = 'x'.repeat(20 * 1024 * 1024);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

type Invoke = (operation: OperationName, payload: unknown, from?: string | null) => Promise<Result<unknown>>;

interface Fixture {
  config: Config;
  me: TestAccount & { uuid: string };
  ann: Person;
  bob: Person;
  /** My conversation with ann, and one between ann and bob that I am not in. */
  mine: string;
  foreign: string;
  /** Real cursors: a page of my messages, of my conversations, of my other conversation (with bob). */
  messagesCursor: string;
  conversationsCursor: string;
  otherConversationCursor: string;
  /** A page of the foreign conversation, made by another app (another cursor secret) for ann. */
  foreignCursor: string;
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

/** The last character changed: the signature no longer matches. */
/**
 * One character of the signature changed. Not the last one: a 32-byte HMAC's last base64url
 * character carries 2 bits that decoding drops, so A and B there can decode to the same bytes.
 */
const tampered = (cursor: string) => {
  const at = cursor.length - 5;
  return cursor.slice(0, at) + (cursor[at] === 'A' ? 'B' : 'A') + cursor.slice(at + 1);
};
/** A UUID v7 whose time is `offsetMs` from now. */
const uuidAt = (offsetMs: number) => newMessageUuid(Date.now() + offsetMs);
const send = (over: Record<string, unknown> = {}) => ({
  groupUuid: fx.mine,
  messageUuid: newMessageUuid(),
  text: 'hostile',
  ...over,
});
const start = (over: Record<string, unknown> = {}) => ({
  handle: fx.ann.handle,
  messageUuid: newMessageUuid(),
  text: 'hostile',
  ...over,
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
/** JSON as the renderer could build it: own "__proto__" and "constructor" keys survive IPC's structured clone. */
const json = (text: string): unknown => JSON.parse(text);

/** How a payload is sent: from which frame (null: a destroyed one), or to a second app where nobody is signed in. */
interface Via {
  from?: string | null;
  signedOut?: boolean;
}
type Case = [what: string, expected: ErrorCode, payload: () => unknown, via?: Via];

const fromEvil: Via = { from: 'https://evil.example/' };
const signedOutApp: Via = { signedOut: true };
const nobody = () => `nobody_${randomBytes(4).toString('hex')}`;

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
  searchUsers: [
    ['a NUL', 'Invalid', () => ({ query: 'an\u0000' })],
    ['a lone high surrogate', 'Invalid', () => ({ query: '\ud800' })],
    ['a lone low surrogate', 'Invalid', () => ({ query: '\udc00ann' })],
    ['a control character', 'Invalid', () => ({ query: 'ann\u0007' })],
    ['20 MB', 'Invalid', () => ({ query: HUGE })],
    ['a number', 'Invalid', () => ({ query: 42 })],
    ['a limit of its own', 'Invalid', () => ({ query: 'a', limit: 100_000 })],
    ['a valid search while signed out', 'Unauthenticated', () => ({ query: 'a' }), signedOutApp],
  ],
  listConversations: [
    ['a page of 0', 'Invalid', () => ({ limit: 0 })],
    ['a page of 101', 'Invalid', () => ({ limit: 101 })],
    ['a fractional page', 'Invalid', () => ({ limit: 2.5 })],
    ['an infinite page', 'Invalid', () => ({ limit: Infinity })],
    ['a page size as text', 'Invalid', () => ({ limit: '10' })],
    ['an empty cursor', 'Invalid', () => ({ cursor: '' })],
    ['a tampered cursor', 'Invalid', () => ({ cursor: tampered(fx.conversationsCursor) })],
    ["a cursor of a conversation's messages", 'Invalid', () => ({ cursor: fx.messagesCursor })],
    ["another app's cursor", 'Invalid', () => ({ cursor: fx.foreignCursor })],
    ['a 20 MB cursor', 'Invalid', () => ({ cursor: HUGE })],
    ['a __proto__ key', 'Invalid', () => json('{"__proto__":{"limit":1}}')],
    ["someone else's partition", 'Invalid', () => ({ pk: `GRP#${fx.ann.uuid}` })],
    ['null', 'Invalid', () => null],
    ['a valid call while signed out', 'Unauthenticated', () => ({}), signedOutApp],
  ],
  listMessages: [
    ['a conversation I am not in', 'Forbidden', () => ({ groupUuid: fx.foreign })],
    ['a random v4 uuid', 'Forbidden', () => ({ groupUuid: randomUUID() })],
    ['not a uuid', 'Invalid', () => ({ groupUuid: 'MSG#anything' })],
    ['a NUL after the uuid', 'Invalid', () => ({ groupUuid: `${fx.mine}\u0000` })],
    ['a number', 'Invalid', () => ({ groupUuid: 12345 })],
    [
      'a cursor of my conversations',
      'Invalid',
      () => ({ groupUuid: fx.mine, cursor: fx.conversationsCursor }),
    ],
    [
      'a cursor of my other conversation',
      'Invalid',
      () => ({ groupUuid: fx.mine, cursor: fx.otherConversationCursor }),
    ],
    ['a tampered cursor', 'Invalid', () => ({ groupUuid: fx.mine, cursor: tampered(fx.messagesCursor) })],
    [
      "a foreign conversation with its own app's cursor",
      'Forbidden',
      () => ({ groupUuid: fx.foreign, cursor: fx.foreignCursor }),
    ],
    ['someone to act as', 'Invalid', () => ({ groupUuid: fx.mine, userUuid: fx.ann.uuid })],
    ['a forged cache cursor', 'Invalid', () => ({ groupUuid: fx.mine, cursor: 'cached:../../cursor.key' })],
    ['my conversation while signed out', 'Unauthenticated', () => ({ groupUuid: fx.mine }), signedOutApp],
  ],
  sendMessage: [
    ['into a conversation I am not in', 'Forbidden', () => send({ groupUuid: fx.foreign })],
    ['into a random v4 uuid', 'Forbidden', () => send({ groupUuid: randomUUID() })],
    ['a v4 message uuid', 'Invalid', () => send({ messageUuid: randomUUID() })],
    ['a message uuid 80 years ahead', 'Invalid', () => send({ messageUuid: uuidAt(80 * 365 * DAY) })],
    ['a message uuid 10 minutes ahead', 'Invalid', () => send({ messageUuid: uuidAt(10 * MINUTE) })],
    ['a message uuid of 1970', 'Invalid', () => send({ messageUuid: newMessageUuid(1_000) })],
    ['a message uuid 30 days old', 'Invalid', () => send({ messageUuid: uuidAt(-30 * DAY) })],
    ['only invisible characters', 'Invalid', () => send({ text: '\u200b\u2060\u3164\ufeff\u2800' })],
    ['a NUL', 'Invalid', () => send({ text: 'hi\u0000there' })],
    ['an escape sequence', 'Invalid', () => send({ text: '\u001b]8;;https://evil.example\u0007click' })],
    ['a direction override', 'Invalid', () => send({ text: 'invoice\u202egnp.exe' })],
    ['a direction isolate', 'Invalid', () => send({ text: 'a\u2067b' })],
    ['a lone surrogate', 'Invalid', () => send({ text: 'broken \ud83d' })],
    ['20 MB of text', 'Invalid', () => send({ text: HUGE })],
    ['1,025 characters', 'Invalid', () => send({ text: 'y'.repeat(1025) })],
    ['a sender of its own', 'Invalid', () => send({ user_uuid: fx.ann.uuid })],
    ['no text', 'Invalid', () => ({ groupUuid: fx.mine, messageUuid: newMessageUuid() })],
    ['an object for the text', 'Invalid', () => send({ text: { toString: 'hi' } })],
    [
      'a __proto__ key',
      'Invalid',
      () => json(`{"__proto__":{"user_uuid":"${fx.ann.uuid}"},${JSON.stringify(send()).slice(1)}`),
    ],
    ['another site', 'Forbidden', () => send(), fromEvil],
    ['into my conversation while signed out', 'Unauthenticated', () => send(), signedOutApp],
    ['a NUL while signed out (Invalid first)', 'Invalid', () => send({ text: '\u0000' }), signedOutApp],
  ],
  startConversation: [
    ['a NUL in the handle', 'Invalid', () => start({ handle: `${fx.ann.handle}\u0000` })],
    ['a lone surrogate in the handle', 'Invalid', () => start({ handle: `${fx.ann.handle}\udfff` })],
    ['a LIKE wildcard for the handle', 'Invalid', () => start({ handle: '%' })],
    ['an empty handle', 'Invalid', () => start({ handle: ' @ ' })],
    ['myself', 'Invalid', () => start({ handle: fx.me.handle })],
    ['an unknown handle', 'NotFound', () => start({ handle: nobody() })],
    ['only invisible characters', 'Invalid', () => start({ text: '\u115f\u1160\uffa0\u180e' })],
    ['a message uuid a day ahead', 'Invalid', () => start({ messageUuid: uuidAt(DAY) })],
    ['an extra field', 'Invalid', () => start({ created: true })],
    ['a constructor key', 'Invalid', () => json(`{"constructor":{},${JSON.stringify(start()).slice(1)}`)],
    ['to ann while signed out', 'Unauthenticated', () => start(), signedOutApp],
  ],
  watchConversation: [
    ['not a uuid', 'Invalid', () => ({ groupUuid: 'x' })],
    ['no field', 'Invalid', () => ({})],
    ['an extra field', 'Invalid', () => ({ groupUuid: null, everyone: true })],
    ['a string', 'Invalid', () => 'x'],
    ['my conversation while signed out', 'Unauthenticated', () => ({ groupUuid: fx.mine }), signedOutApp],
  ],
  markConversationRead: [
    ['a conversation I am not in', 'Forbidden', () => ({ groupUuid: fx.foreign, upTo: newMessageUuid() })],
    ['a random v4 conversation', 'Forbidden', () => ({ groupUuid: randomUUID(), upTo: newMessageUuid() })],
    ['a v4 message uuid', 'Invalid', () => ({ groupUuid: fx.mine, upTo: randomUUID() })],
    ['a message a day ahead', 'Invalid', () => ({ groupUuid: fx.mine, upTo: uuidAt(DAY) })],
    ['no message', 'Invalid', () => ({ groupUuid: fx.mine })],
    [
      'a count of its own',
      'Invalid',
      () => ({ groupUuid: fx.mine, upTo: newMessageUuid(), unread_count: 0 }),
    ],
    ['another site', 'Forbidden', () => ({ groupUuid: fx.mine, upTo: newMessageUuid() }), fromEvil],
    [
      'my conversation while signed out',
      'Unauthenticated',
      () => ({ groupUuid: fx.mine, upTo: newMessageUuid() }),
      signedOutApp,
    ],
  ],
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
    const result = await invoke(c.operation, c.payload(), c.via.from);
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
    const sent = await value<{ message: string }>(call('sendMessage', send({ text: 'still here' })));
    expect(sent.message).toBe('still here');
    expect((await snapshot()).items).toBe(before.items + 1);
  });
});
