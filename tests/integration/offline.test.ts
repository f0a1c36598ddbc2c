import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import type { Config } from '../../core/config';
import { MessageService } from '../../core/messages';
import { createStreamHandler } from '../../core/messages/stream/stream-handler';
import { ensureTable } from '../../core/table';
import { UserDirectory } from '../../core/users/directory';
import { startDynamoDbLocal } from '../../scripts/local/dynamodb';
import {
  SEND_QUEUED,
  type ConversationView,
  type MessageView,
  type Page,
  type StartConversationResult,
} from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import { CONVERSATION_SK, groupPk, messagePk, type Person } from '../../shared/model';
import type { Result } from '../../shared/result';
import { confirmedAccount, newAccount, type TestAccount } from '../support/auth';
import { pgPool, testConfig, uniqueTableName } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';
import { createPeople, streamRecord, waitFor } from '../support/messages';
import { launchIpcApp, pushesOf, value, type IpcApp } from '../support/ipc-app';
import { TestCipher } from '../support/test-cipher';

/**
 * The outbox and the cache against a DynamoDB Local of this file's own, on disk, really stopped
 * and started again on the same port (its data survives, as a real outage's would). The app is
 * the main process exactly as electron/main/index.ts builds it, driven through its IPC handlers.
 */
let dir: string;
let port: number;
let dynamo: { stop(): Promise<void> } | undefined;
let config: Config;
let db: DynamoDBDocumentClient;
let pool: pg.Pool;
let elsewhere: MessageService;
let me: TestAccount;
let bob: Person;
let cipher: TestCipher;

const startDynamo = async () => {
  dynamo = await startDynamoDbLocal({ port, dataDir: join(dir, 'dynamodb') });
};
const stopDynamo = async () => {
  await dynamo?.stop();
  dynamo = undefined;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cruddur-offline-'));
  port = await freePort();
  await startDynamo();
  config = testConfig({
    CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
    CRUDDUR_TABLE: uniqueTableName('offline'),
  });
  db = createDynamoClient(config);
  await ensureTable(db, config.tableName);
  pool = pgPool(config);
  elsewhere = new MessageService({ db, tableName: config.tableName, directory: new UserDirectory(pool) });
  bob = (await createPeople(pool, ['bob']))[0]!;
  cipher = new TestCipher();
}, 120_000);
afterAll(async () => {
  db?.destroy();
  await pool?.end();
  await stopDynamo();
  await rm(dir, { recursive: true, force: true });
});

type App = IpcApp;

function launch(userDataDir: string): App {
  return launchIpcApp({ config, secretStore: cipher, userDataDir });
}

/** The banner's story: the online values pushed, in order, with repeats folded. */
const bannerStates = (app: App) =>
  pushesOf(app, 'connectivity.changed')
    .map((state) => state.online)
    .filter((online, i, all) => i === 0 || all[i - 1] !== online);

async function storedMessages(groupUuid: string): Promise<{ uuid: string; text: string }[]> {
  const items: { uuid: string; text: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': messagePk(groupUuid) },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? [])
      items.push({ uuid: String(item['message_uuid']), text: String(item['message']) });
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Pattern E, as the stream worker would run it, over a conversation's stored messages. */
async function patternE(groupUuid: string): Promise<void> {
  const stored = await db.send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messagePk(groupUuid) },
    }),
  );
  await createStreamHandler({ db, tableName: config.tableName })({
    Records: (stored.Items ?? []).map(streamRecord),
  });
}

describe('the outbox, with DynamoDB stopped and started again', () => {
  let app: App;
  let groupUuid: string;
  const userDataDir = () => join(dir, 'user-data');

  beforeAll(async () => {
    me = newAccount('offline');
    app = launch(userDataDir());
    await confirmedAccount(app.backend.auth, me);
    value(await app.call('signIn', { handle: me.handle, password: me.password }));
    groupUuid = value<StartConversationResult>(
      await app.call('startConversation', {
        handle: bob.handle,
        messageUuid: newMessageUuid(),
        text: 'hi bob',
      }),
    ).message_group_uuid;
  }, 60_000);
  afterAll(() => app.quit());

  it('stores all 50 sends exactly once and in order when DynamoDB stops in the middle, and the banner comes and goes', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `message ${i + 1} of 50`);
    const uuids = texts.map(() => newMessageUuid());
    const answers: Result<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      if (i === 15) await stopDynamo();
      answers.push(await app.call('sendMessage', { groupUuid, messageUuid: uuids[i], text: texts[i] }));
    }
    expect(answers.slice(0, 15).every((answer) => answer.ok)).toBe(true);
    // From the stop on, each send is kept and answered as queued, never failed.
    for (const answer of answers.slice(15))
      expect(answer).toMatchObject({ ok: false, error: { code: 'Unavailable', reason: SEND_QUEUED } });
    expect(value<unknown[]>(await app.call('getOutbox'))).toHaveLength(35);
    expect(value<{ online: boolean }>(await app.call('getConnectivity')).online).toBe(false);

    await startDynamo();
    expect(value<{ online: boolean }>(await app.call('retryNow')).online).toBe(true);
    await waitFor(
      'the outbox to empty',
      async () => value<unknown[]>(await app.call('getOutbox')).length === 0,
      30_000,
    );

    const stored = (await storedMessages(groupUuid)).filter((m) => m.text.endsWith('of 50'));
    expect(stored.map((m) => m.uuid)).toEqual(uuids); // sorted by sk: the order they were sent in
    expect(new Set(stored.map((m) => m.uuid)).size).toBe(50);
    // The queued ones settled in the order they were sent, each once.
    const settled = pushesOf(app, 'outbox.settled').filter((s) => s.outcome.ok);
    const queuedSettles = settled.map((s) => s.messageUuid).filter((uuid) => uuids.indexOf(uuid) >= 15);
    expect(queuedSettles).toEqual(uuids.slice(15));
    expect(bannerStates(app)).toEqual([false, true]);
  }, 120_000);

  it('keeps 10 queued sends across a restart that begins offline, and stores each once when DynamoDB is back', async () => {
    await stopDynamo();
    const texts = Array.from({ length: 10 }, (_, i) => `queued ${i + 1} of 10`);
    for (const text of texts) {
      const answer = await app.call('sendMessage', { groupUuid, messageUuid: newMessageUuid(), text });
      expect(answer).toMatchObject({ ok: false, error: { reason: SEND_QUEUED } });
    }
    await app.quit();

    // The next launch: the remembered session signs in again (Cognito is up), DynamoDB is not.
    app = launch(userDataDir());
    expect(value<{ handle: string } | null>(await app.call('getSession'))?.handle).toBe(me.handle);
    const waiting = value<{ text: string }[]>(await app.call('getOutbox'));
    expect(waiting.map((entry) => entry.text)).toEqual(texts);
    await waitFor(
      'the app to find DynamoDB gone',
      async () => value<{ online: boolean }>(await app.call('getConnectivity')).online === false,
      15_000,
    );

    await startDynamo();
    value(await app.call('retryNow'));
    await waitFor(
      'the outbox to empty',
      async () => value<unknown[]>(await app.call('getOutbox')).length === 0,
      30_000,
    );
    const stored = (await storedMessages(groupUuid)).filter((m) => m.text.endsWith('of 10'));
    expect(stored.map((m) => m.text)).toEqual(texts);
  }, 120_000);
});

describe('the cache, across launches', () => {
  let app: App;
  let groupUuid: string;
  let person: Person;
  const userDataDir = () => join(dir, 'cache-user-data');

  beforeAll(async () => {
    const account = newAccount('cached');
    app = launch(userDataDir());
    await confirmedAccount(app.backend.auth, account);
    person = value<Person>(await app.call('signIn', { handle: account.handle, password: account.password }));
    const started = await elsewhere.startConversation(bob, {
      handle: person.handle,
      messageUuid: newMessageUuid(),
      text: 'first from bob',
    });
    groupUuid = started.message_group_uuid;
    for (let i = 0; i < 5; i++)
      await elsewhere.sendMessage(bob, { groupUuid, messageUuid: newMessageUuid(), text: `bob ${i}` });
    await patternE(groupUuid);
    value(await app.call('listConversations', {}));
    value(await app.call('listMessages', { groupUuid }));
    value(await app.call('watchConversation', { groupUuid }));
    await app.quit();
  }, 60_000);
  afterAll(() => app.quit());

  it('shows the list and the last conversation from the cache, reads only what is newer, and reads offline', async () => {
    // While the app was closed, Bob wrote again.
    await elsewhere.sendMessage(bob, {
      groupUuid,
      messageUuid: newMessageUuid(),
      text: 'while you were away',
    });
    await patternE(groupUuid);

    app = launch(userDataDir());
    value(await app.call('getSession'));
    // Both answered from the cache (no read units), before anything newer is known.
    const list = value<Page<ConversationView>>(await app.call('listConversations', {}));
    expect(list.items.map((c) => c.message_group_uuid)).toEqual([groupUuid]);
    expect(list.consumed_capacity).toBe(0);
    expect(value(await app.call('getLastConversation'))).toBe(groupUuid);
    const page = value<Page<MessageView>>(await app.call('listMessages', { groupUuid }));
    expect(page.consumed_capacity).toBe(0);
    expect(page.items.map((m) => m.message)).toContain('bob 4');
    expect(page.items.map((m) => m.message)).not.toContain('while you were away');
    // Then only what is newer, pushed: the list's entry and the message.
    await waitFor('the delta read', async () =>
      pushesOf(app, 'messages.new').some((p) => p.messages.some((m) => m.message === 'while you were away')),
    );
    expect(pushesOf(app, 'messages.new').flatMap((p) => p.messages.map((m) => m.message))).toEqual([
      'while you were away',
    ]);
    expect(
      pushesOf(app, 'conversations.changed').flatMap((p) => p.conversations.map((c) => c.message)),
    ).toEqual(['while you were away']);
    const again = value<{ items: MessageView[] }>(await app.call('listMessages', { groupUuid }));
    expect(again.items.filter((m) => m.message === 'while you were away')).toHaveLength(1);

    // Offline, the conversation still reads.
    await stopDynamo();
    const offline = value<{ items: MessageView[] }>(await app.call('listMessages', { groupUuid }));
    expect(offline.items.map((m) => m.message)).toContain('while you were away');
    await startDynamo();
  }, 120_000);

  it('finds, after a relaunch, a message whose clock put it just before the newest cached one', async () => {
    await app.quit();
    const newest = (await elsewhere.listMessages(bob, groupUuid, { limit: 1 })).items[0]!;
    // Bob's computer runs 30 s behind: his message sorts before the newest one the cache holds.
    const behind = new MessageService({
      db,
      tableName: config.tableName,
      directory: new UserDirectory(pool),
      now: () => Date.parse(newest.created_at) - 30_000,
    });
    const late = await behind.sendMessage(bob, {
      groupUuid,
      messageUuid: newMessageUuid(Date.parse(newest.created_at) - 30_000),
      text: 'sent from a slow clock',
    });
    expect(late.sk < newest.sk).toBe(true);
    await patternE(groupUuid);

    app = launch(userDataDir());
    value(await app.call('getSession'));
    value(await app.call('listConversations', {}));
    value(await app.call('listMessages', { groupUuid }));
    await waitFor('the delta read', async () =>
      pushesOf(app, 'messages.new').some((p) => p.messages.some((m) => m.message_uuid === late.message_uuid)),
    );
    const page = value<Page<MessageView>>(await app.call('listMessages', { groupUuid }));
    expect(page.items.filter((m) => m.message_uuid === late.message_uuid)).toHaveLength(1);
    expect(page.items.filter((m) => m.message_uuid === newest.message_uuid)).toHaveLength(1);
  });

  it('keeps no message text, handle or name in the clear in the user-data folder', async () => {
    const files = await allFiles(userDataDir());
    expect(files.length).toBeGreaterThan(2);
    for (const secret of ['while you were away', 'sent from a slow clock', bob.handle, bob.display_name]) {
      for (const file of files)
        expect((await readFile(file)).includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });

  it('drops a cached conversation whose membership check now fails', async () => {
    await app.quit();
    // An admin gives this person's place in the conversation to someone else: the conversation
    // item names another member, and the person's group item of it is gone.
    await db.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: { pk: messagePk(groupUuid), sk: CONVERSATION_SK },
        UpdateExpression: 'SET member_uuids = :members',
        ExpressionAttributeValues: { ':members': [bob.uuid, randomUUID()].sort() },
      }),
    );
    const mine = await db.send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': groupPk(person.uuid) },
      }),
    );
    for (const item of mine.Items ?? [])
      await db.send(
        new DeleteCommand({ TableName: config.tableName, Key: { pk: item['pk'], sk: item['sk'] } }),
      );
    app = launch(userDataDir());
    value(await app.call('getSession'));
    value(await app.call('listConversations', {}));
    // Answered from the cache; the poll of the open conversation is refused, and it leaves the cache.
    value(await app.call('listMessages', { groupUuid }));
    value(await app.call('watchConversation', { groupUuid }));
    await app.backend.poller.tick().catch(() => {});
    await waitFor('the conversation to be dropped', async () =>
      pushesOf(app, 'conversations.removed').some((p) => p.groupUuids.includes(groupUuid)),
    );
    const after = await app.call('listMessages', { groupUuid });
    expect(after).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    const local = await app.backend.local(pushesOf(app, 'conversations.removed')[0]!.session);
    expect(await local.cache.thread(groupUuid)).toBeUndefined();
  }, 60_000);

  it('deletes the cache and the outbox of a person who signs out', async () => {
    const folders = async () =>
      (await Promise.all(['cache', 'outbox'].map((name) => readdir(join(userDataDir(), name))))).flat();
    expect(await folders()).not.toEqual([]);
    value(await app.call('signOut'));
    expect(await folders()).toEqual([]);
  });
});

/** Every file under a folder. */
async function allFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
