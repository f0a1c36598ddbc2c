import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { formatLine, setLogSink, type LogEntry, type LogSink } from '../../core/log';
import { createJsonSink } from '../../core/log-json';
import { createStreamHandler, MessageService, type DynamoDBStreamRecord } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';
import { assembleBackend, type Backend } from '../../electron/main/backend';
import { createHandlers } from '../../electron/main/handlers';
import { registerIpcHandlers } from '../../electron/main/ipc/register';
import { installAppLog } from '../../electron/main/log';
import { invokeChannel, type OperationName } from '../../shared/contract';
import { newMessageUuid } from '../../shared/message-uuid';
import { messagePk } from '../../shared/model';
import { RecordingIpcMain } from '../main/support/fake-ipc';
import { authHarness, LOCAL_CONFIRMATION_CODE, newAccount, type AuthHarness } from '../support/auth';
import { configWithTable } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';
import { createPeople } from '../support/messages';

const hex = randomBytes(4).toString('hex');
const PASSWORD = `Pw-${hex}-Secret9!`;
const TEXT = `distinctive text ${hex} with a second line\nthat must never reach a log`;
const DB_PASSWORD = `dbpw-${hex}`;

let h: AuthHarness;
let logDir: string;
/** Every token Cognito handed the service, read off the wire. */
const tokens = new Set<string>();

beforeAll(async () => {
  const { tableName, databaseUrl } = await configWithTable('log-secrets');
  const url = new URL(databaseUrl);
  url.password = DB_PASSWORD; // the embedded server trusts local connections, so any password works
  h = await authHarness({ env: { CRUDDUR_TABLE: tableName, CRUDDUR_DATABASE_URL: url.href } });
  h.cognito.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const issued = (result.output as { AuthenticationResult?: Record<string, unknown> })
        .AuthenticationResult;
      for (const name of ['AccessToken', 'IdToken', 'RefreshToken'])
        if (typeof issued?.[name] === 'string') tokens.add(issued[name]);
      return result;
    },
    { step: 'initialize', name: 'recordTokens' },
  );
  logDir = await mkdtemp(join(tmpdir(), 'cruddur-log-secrets-'));
});
afterAll(async () => {
  await h.close();
  await rm(logDir, { recursive: true, force: true });
});

/** The main process as electron/main/index.ts wires it, on the harness's auth service. */
function mainProcess(messages: { current: MessageService }) {
  // The service the app uses is whichever `messages.current` is at the time of each call.
  const current = new Proxy({} as MessageService, {
    get: (_target, name) => {
      const member: unknown = Reflect.get(messages.current, name);
      return typeof member === 'function' ? member.bind(messages.current) : member;
    },
  });
  const backend: Backend = assembleBackend({
    auth: h.service,
    messages: current,
    publish: () => {},
    isFocused: () => true,
    close: async () => {},
  });
  backend.poller.stop();
  const ipc = new RecordingIpcMain();
  registerIpcHandlers(
    ipc,
    createHandlers({ config: h.config, appVersion: 'test', backend: () => backend }),
    (url) => url.startsWith('app://cruddur/'),
  );
  return (operation: OperationName, payload: unknown, from = 'app://cruddur/index.html') =>
    ipc.invoke(invokeChannel(operation), { senderFrame: { url: from } }, payload);
}

/** A stream record of an item as stored, as DynamoDB Streams would deliver its INSERT. */
const insertRecord = (item: Record<string, unknown>): DynamoDBStreamRecord => ({
  eventID: randomUUID(),
  eventName: 'INSERT',
  dynamodb: {
    NewImage: Object.fromEntries(Object.entries(item).map(([key, value]) => [key, { S: String(value) }])),
    SequenceNumber: String(Date.now()),
  },
});

/** Pattern E over a conversation's stored items, once with DynamoDB and once without it. */
async function patternE(db: DynamoDBDocumentClient, groupUuid: string): Promise<void> {
  const stored = await db.send(
    new QueryCommand({
      TableName: h.config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messagePk(groupUuid) },
    }),
  );
  const records = (stored.Items ?? []).map(insertRecord);
  await createStreamHandler({ db, tableName: h.config.tableName })({ Records: records });
  const offline = createDynamoClient({
    ...h.config,
    dynamodbEndpoint: `http://127.0.0.1:${await freePort()}`,
  });
  await createStreamHandler({ db: offline, tableName: h.config.tableName })({ Records: records });
  offline.destroy();
}

/** Everything written by the process while `work` runs: log entries as every sink writes them, stdout, stderr, console. */
async function everythingLogged(work: () => Promise<void>): Promise<{ entries: LogEntry[]; text: string }> {
  const file = installAppLog({ userDataDir: logDir, dev: false });
  const entries: LogEntry[] = [];
  const written: string[] = [];
  const json = createJsonSink('test', (line) => written.push(line));
  const fileSink: LogSink = setLogSink((entry) => {
    entries.push(entry);
    written.push(formatLine(entry));
    json(entry);
    fileSink(entry);
  });
  const streams = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
  const consoles = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) =>
    vi.spyOn(console, name),
  );
  try {
    await work();
  } finally {
    setLogSink(fileSink);
    vi.restoreAllMocks();
  }
  for (const spy of streams) for (const [chunk] of spy.mock.calls) written.push(String(chunk));
  for (const spy of consoles) for (const args of spy.mock.calls) written.push(args.map(String).join(' '));
  written.push(await readFile(file, 'utf8'));
  return { entries, text: written.join('\n') };
}

describe('what the app logs', () => {
  it('never contains the password, the tokens, the message text or the database password', async () => {
    const db = createDynamoClient(h.config);
    const messages = {
      current: new MessageService({
        db,
        tableName: h.config.tableName,
        directory: new UserDirectory(h.pool),
      }),
    };
    const call = mainProcess(messages);
    const account = { ...newAccount('logs'), password: PASSWORD };
    const [friend] = await createPeople(h.pool, ['ann']);
    let groupUuid = '';

    const { entries, text } = await everythingLogged(async () => {
      expect(await call('signUp', account)).toMatchObject({ ok: true });
      expect(
        await call('confirmSignUp', { handle: account.handle, code: LOCAL_CONFIRMATION_CODE }),
      ).toMatchObject({ ok: true });
      expect(await call('signIn', { handle: account.handle, password: `${PASSWORD}x` })).toMatchObject({
        ok: false,
      });
      expect(
        await call('signIn', { handle: account.handle, password: PASSWORD }, 'https://evil.example/'),
      ).toMatchObject({ ok: false });
      expect(await call('signIn', { handle: account.handle, password: PASSWORD })).toMatchObject({
        ok: true,
      });

      const started = await call('startConversation', {
        handle: friend!.handle,
        messageUuid: newMessageUuid(),
        text: TEXT,
      });
      expect(started).toMatchObject({ ok: true });
      groupUuid = (started as { value: { message_group_uuid: string } }).value.message_group_uuid;
      const send = { groupUuid, messageUuid: newMessageUuid(), text: TEXT };
      expect(await call('sendMessage', send)).toMatchObject({ ok: true });
      expect(
        await call('sendMessage', { ...send, messageUuid: newMessageUuid() }, 'https://evil.example/'),
      ).toMatchObject({ ok: false });
      expect(
        await call('sendMessage', { ...send, groupUuid: randomUUID(), messageUuid: newMessageUuid() }),
      ).toMatchObject({ ok: false });
      messages.current = new MessageService({
        db,
        tableName: 'no-such-table',
        directory: new UserDirectory(h.pool),
      });
      expect(await call('sendMessage', { ...send, messageUuid: newMessageUuid() })).toMatchObject({
        ok: false,
        error: { code: 'NotFound' },
      });

      await patternE(db, groupUuid);

      const issued = tokens.size;
      h.clock.fireAll(); // the refresh timer
      await vi.waitFor(() => expect(tokens.size).toBeGreaterThan(issued), { timeout: 10_000 });
      expect(await call('signOut', undefined)).toMatchObject({ ok: true });
    });
    db.destroy();

    const messagesLogged = entries.map((entry) => `${entry.scope} ${entry.message}`);
    expect(messagesLogged).toEqual(
      expect.arrayContaining([
        'ipc operation failed',
        'ipc refused a request from outside the app',
        'pattern-e batch done',
        'pattern-e conversation not updated',
      ]),
    );
    expect(entries.find((entry) => entry.fields['reason'] === 'WrongCredentials')).toBeDefined();
    expect(entries.find((entry) => entry.fields['conversation'] === groupUuid)).toBeDefined();
    expect(tokens.size).toBeGreaterThanOrEqual(4); // sign-in's three, the refresh's new access and id tokens
    const secrets: [string, string][] = [
      ['password', PASSWORD],
      ['database password', DB_PASSWORD],
      ...TEXT.split('\n').map((line, i): [string, string] => [`message text, line ${i + 1}`, line]),
      ...[...tokens].map((token, i): [string, string] => [`token ${i + 1}`, token]),
    ];
    for (const [name, secret] of secrets)
      expect(text.includes(secret), `the log holds the ${name}`).toBe(false);
  });
});
