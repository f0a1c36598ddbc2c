import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import type { Config } from '../../core/config';
import { startLocalApi, type LocalApi } from '../../scripts/local/api-gateway';
import type { EventMap } from '../../shared/contract';
import type { ConnectionView } from '../../shared/connection';
import {
  SEND_QUEUED,
  type ConversationView,
  type MessageView,
  type Page,
  type StartConversationResult,
} from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import { messagePk, type Person } from '../../shared/model';
import { confirmedAccount, newAccount } from '../support/auth';
import { configWithTable, testConfig } from '../support/cloud';
import { waitFor } from '../support/messages';
import { launchIpcApp, value, type IpcApp } from '../support/ipc-app';
import { TestCipher } from '../support/test-cipher';

/**
 * The app in API mode, through its real IPC handlers and backend, against the local message API
 * (the very Lambda handler behind the local gateway) on a table of its own. The app's DynamoDB
 * endpoint and database URL point at tripwires that count whatever reaches them: in API mode the
 * main process holds no AWS credentials and no database connection, and must never try either.
 */
type App = IpcApp;

let dir: string;
let serverConfig: Config;
let appConfig: Config;
let cursorSecret: Uint8Array;
let api: LocalApi | undefined;
let apiPort: number;
let db: DynamoDBDocumentClient;
let dynamoTripwire: Server;
let postgresTripwire: TcpServer;
const tripped = { dynamodb: 0, postgres: 0 };
const cipher = new TestCipher();
const apps: App[] = [];

const listen = async (server: Server | TcpServer): Promise<number> => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
};
const close = (server: Server | TcpServer) => new Promise<void>((done) => server.close(() => done()));
const startApi = async (port: number) => {
  api = await startLocalApi({ config: serverConfig, port, cursorSecret });
  return api;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cruddur-api-mode-'));
  serverConfig = await configWithTable('apimode');
  db = createDynamoClient(serverConfig);
  cursorSecret = randomBytes(32);
  apiPort = (await startApi(0)).port;
  dynamoTripwire = createHttpServer((_request, response) => {
    tripped.dynamodb++;
    response.writeHead(500).end();
  });
  postgresTripwire = createTcpServer((socket) => {
    tripped.postgres++;
    socket.destroy();
  });
  const [dynamoPort, postgresPort] = await Promise.all([listen(dynamoTripwire), listen(postgresTripwire)]);
  appConfig = testConfig({
    CRUDDUR_TABLE: serverConfig.tableName,
    CRUDDUR_API_URL: `http://127.0.0.1:${apiPort}`,
    CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamoPort}`,
    CRUDDUR_DATABASE_URL: `postgres://tripwire@127.0.0.1:${postgresPort}/tripwire`,
  });
}, 120_000);
afterAll(async () => {
  await Promise.all(apps.map((app) => app.quit()));
  await api?.stop();
  db?.destroy();
  await Promise.all([dynamoTripwire, postgresTripwire].map((server) => server && close(server)));
  await rm(dir, { recursive: true, force: true });
});

async function launch(name: string): Promise<App> {
  const app = launchIpcApp({
    config: appConfig,
    secretStore: cipher,
    userDataDir: await mkdtemp(join(dir, `${name}-`)),
  });
  apps.push(app);
  return app;
}

async function storedTexts(groupUuid: string): Promise<string[]> {
  const page = await db.send(
    new QueryCommand({
      TableName: serverConfig.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
      ExpressionAttributeValues: { ':pk': messagePk(groupUuid), ':msg': 'MSG#' },
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((item) => String(item['message']));
}

describe('the app in API mode', () => {
  let me: App;
  let bob: App;
  let meProfile: Person;
  let bobProfile: Person;
  let groupUuid: string;

  beforeAll(async () => {
    [me, bob] = await Promise.all([launch('me'), launch('bob')]);
    const [mine, bobs] = [newAccount('apime'), newAccount('apibob')];
    await Promise.all([confirmedAccount(me.backend.auth, mine), confirmedAccount(bob.backend.auth, bobs)]);
    // The first sign-in links the account to the directory on the server (GET /v1/me).
    [meProfile, bobProfile] = await Promise.all([
      me.call('signIn', { handle: mine.handle, password: mine.password }).then(value<Person>),
      bob.call('signIn', { handle: bobs.handle, password: bobs.password }).then(value<Person>),
    ]);
  }, 60_000);

  it('says it is in API mode, and checks the API and Cognito only', async () => {
    const view = value<ConnectionView>(await me.call('getConnection'));
    expect(view).toMatchObject({ mode: 'api', apiUrl: `http://127.0.0.1:${apiPort}` });
    expect(value(await me.call('checkServices'))).toEqual([
      { service: 'api', ok: true },
      { service: 'cognito', ok: true },
    ]);
  });

  it('signs in, starts a conversation, lists, reads, sends, searches and receives a reply', async () => {
    expect(meProfile.handle).toBeTruthy();
    const found = value<Person[]>(await me.call('searchUsers', { query: bobProfile.handle }));
    expect(found.map((person) => person.uuid)).toEqual([bobProfile.uuid]);

    const started = value<StartConversationResult>(
      await me.call('startConversation', {
        handle: bobProfile.handle,
        messageUuid: newMessageUuid(),
        text: 'hi bob',
      }),
    );
    groupUuid = started.message_group_uuid;
    expect(started.created).toBe(true);

    const list = value<Page<ConversationView>>(await bob.call('listConversations', {}));
    expect(list.items.map((c) => [c.message_group_uuid, c.handle])).toEqual([[groupUuid, meProfile.handle]]);
    const page = value<Page<MessageView>>(await bob.call('listMessages', { groupUuid }));
    expect(page.items.map((m) => m.message)).toEqual(['hi bob']);

    value(await me.call('listMessages', { groupUuid }));
    value(await me.call('watchConversation', { groupUuid }));
    const mine = value<MessageView>(
      await me.call('sendMessage', { groupUuid, messageUuid: newMessageUuid(), text: 'are you there?' }),
    );
    expect(mine.handle).toBe(meProfile.handle);

    // Bob answers through his app (the API); my poller finds it.
    const reply = value<MessageView>(
      await bob.call('sendMessage', { groupUuid, messageUuid: newMessageUuid(), text: 'here I am' }),
    );
    await me.backend.poller.tick();
    const news = me.pushed
      .filter((push) => push.event === 'messages.new')
      .flatMap((push) => (push.payload as EventMap['messages.new']).messages.map((m) => m.message));
    expect(news).toContain('here I am');
    expect(
      value<{ unread_count: number }>(
        await me.call('markConversationRead', { groupUuid, upTo: reply.message_uuid }),
      ),
    ).toEqual({ unread_count: 0 });
  });

  it('queues a send while the API is down, and stores it exactly once when it is back', async () => {
    await api!.stop();
    const messageUuid = newMessageUuid();
    const queued = await me.call('sendMessage', { groupUuid, messageUuid, text: 'sent while down' });
    expect(queued).toMatchObject({ ok: false, error: { code: 'Unavailable', reason: SEND_QUEUED } });
    expect(value<{ messageUuid: string }[]>(await me.call('getOutbox')).map((e) => e.messageUuid)).toEqual([
      messageUuid,
    ]);
    expect(value<{ online: boolean }>(await me.call('getConnectivity')).online).toBe(false);

    await startApi(apiPort);
    expect(value<{ online: boolean }>(await me.call('retryNow')).online).toBe(true);
    await waitFor(
      'the outbox to empty',
      async () => value<unknown[]>(await me.call('getOutbox')).length === 0,
    );
    expect((await storedTexts(groupUuid)).filter((text) => text === 'sent while down')).toHaveLength(1);
    const settled = me.pushed
      .filter((push) => push.event === 'outbox.settled')
      .map((push) => push.payload as EventMap['outbox.settled'])
      .filter((payload) => payload.messageUuid === messageUuid);
    expect(settled.map((payload) => payload.outcome.ok)).toEqual([true]);
  });

  it('never reached DynamoDB or PostgreSQL from the app', () => {
    expect(tripped).toEqual({ dynamodb: 0, postgres: 0 });
  });
});
