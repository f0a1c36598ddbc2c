import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { MessageService } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';
import { createBackend, type Backend } from '../../electron/main/backend';
import { createHandlers } from '../../electron/main/handlers';
import { registerIpcHandlers } from '../../electron/main/ipc/register';
import { invokeChannel, type EventName, type OperationName } from '../../shared/contract';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import type { Result } from '../../shared/result';
import { RecordingIpcMain } from '../main/support/fake-ipc';
import { confirmedAccount, newAccount, type TestAccount } from '../support/auth';
import { configWithTable, pgPool, testConfig } from '../support/cloud';
import { createPeople, seedConversation, waitFor } from '../support/messages';
import { slowDynamoDb, type SlowDynamoDb } from '../support/slow-dynamodb';
import { TestCipher } from '../support/test-cipher';

const HOUR = 3_600_000;
const hex = randomBytes(4).toString('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Pushed {
  event: EventName;
  payload: Readonly<Record<string, unknown>>;
}

const signedInAs = ({ event, payload }: Pushed, person: Person) =>
  event === 'session.changed' && (payload['profile'] as Person | null)?.uuid === person.uuid;

let tableName: string;
let proxy: SlowDynamoDb;
let backend: Backend;
let call: (operation: OperationName, payload?: unknown) => Promise<Result<unknown>>;
let pushed: Pushed[];
let db: DynamoDBDocumentClient;
let pool: pg.Pool;
let elsewhere: MessageService;
let userDataDir: string;

beforeAll(async () => {
  const config = await configWithTable('isolation');
  tableName = config.tableName;
  proxy = await slowDynamoDb(config.dynamodbEndpoint!);
  userDataDir = await mkdtemp(join(tmpdir(), 'cruddur-isolation-'));
  pushed = [];
  // The main process exactly as electron/main/index.ts builds it, its DynamoDB behind the proxy.
  const appConfig = testConfig({ CRUDDUR_TABLE: tableName, CRUDDUR_DYNAMODB_ENDPOINT: proxy.endpoint });
  backend = createBackend({
    config: appConfig,
    secretStore: new TestCipher(),
    userDataDir,
    publish: (event, payload) => pushed.push({ event, payload: { ...payload } }),
    isFocused: () => true,
  });
  backend.poller.stop(); // the test runs each poll itself, so it knows which one is in flight
  const ipc = new RecordingIpcMain();
  registerIpcHandlers(
    ipc,
    createHandlers({ config: appConfig, appVersion: 'test', backend: () => backend }),
    (url) => url.startsWith('app://cruddur/'),
  );
  call = (operation, payload) =>
    ipc.invoke(invokeChannel(operation), { senderFrame: { url: 'app://cruddur/index.html' } }, payload);
  // The other people write from their own app: straight to DynamoDB Local, never slowed.
  db = createDynamoClient(config);
  pool = pgPool(config);
  elsewhere = new MessageService({ db, tableName, directory: new UserDirectory(pool) });
});
afterAll(async () => {
  await backend.close();
  await proxy.close();
  db.destroy();
  await pool.end();
  await rm(userDataDir, { recursive: true, force: true });
});

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const signIn = async (account: TestAccount) =>
  value<Person>(await call('signIn', { handle: account.handle, password: account.password }));

describe.each(['signs out and then Bob signs in', 'stays signed in and Bob signs in over her'])(
  'a poll and reads in flight for Alice when she %s',
  (transition) => {
    const texts = [`hello amy ${hex}`, `amy's reply ${hex}`, `ann's first words ${hex}`] as const;
    let alice: Person;
    let bob: Person;
    let aliceConversations: string[];
    let bobsNews: string;
    let late: Result<unknown>[];
    /** Every push from the moment Bob's session began. */
    let sinceBob: Pushed[];

    beforeAll(async () => {
      const [aliceAccount, bobAccount] = [newAccount('alice'), newAccount('bob')];
      await confirmedAccount(backend.auth, aliceAccount);
      await confirmedAccount(backend.auth, bobAccount);
      const [amy, ann, ben, bea] = await createPeople(pool, ['amy', 'ann', 'ben', 'bea']);

      // Alice signs in and her window loads her conversation with Amy and opens it.
      alice = await signIn(aliceAccount);
      const withAmy = value<{ message_group_uuid: string }>(
        await call('startConversation', {
          handle: amy!.handle,
          messageUuid: newMessageUuid(),
          text: texts[0],
        }),
      ).message_group_uuid;
      value(await call('listConversations', {}));
      value(await call('listMessages', { groupUuid: withAmy }));
      value(await call('watchConversation', { groupUuid: withAmy }));

      // News for Alice: Amy replies, Ann starts a conversation with her.
      await elsewhere.sendMessage(amy!, {
        groupUuid: withAmy,
        messageUuid: newMessageUuid(),
        text: texts[1],
      });
      const withAnn = (
        await elsewhere.startConversation(ann!, {
          handle: alice.handle,
          messageUuid: newMessageUuid(),
          text: texts[2],
        })
      ).message_group_uuid;
      aliceConversations = [withAmy, withAnn];

      // A poll and a read begin for Alice; DynamoDB answers them, slowly. (The read is of the
      // conversation her cache does not hold yet: what the cache holds is answered at once.)
      proxy.arm();
      const poll = backend.poller.tick();
      const reads = [call('listMessages', { groupUuid: withAnn })];
      // The poll's two Queries and the read's membership GetItem.
      await waitFor('DynamoDB to answer the poll and the read', async () => proxy.held() >= 3);
      proxy.disarm();

      if (transition.startsWith('signs out')) value(await call('signOut'));
      bob = await signIn(bobAccount);
      const bobBegins = pushed.findIndex((push) => signedInAs(push, bob));
      expect(bobBegins).toBeGreaterThanOrEqual(0);

      // Bob has an old conversation with Ben; his window loads it before the slow answers land.
      await seedConversation(db, tableName, [ben!, bob], { count: 2, firstAt: Date.now() - 2 * HOUR });
      value(await call('listConversations', {}));
      proxy.release();
      late = await Promise.all(reads);
      await poll;

      // News for Bob that sorts between his first page and Alice's news (written as the seed
      // writes, an hour back): a poll from Alice's positions would never see it.
      bobsNews = (
        await seedConversation(db, tableName, [bea!, bob], { count: 1, firstAt: Date.now() - HOUR })
      ).groupUuid;
      await backend.poller.tick();
      sinceBob = pushed.slice(bobBegins);
    });

    it("publishes nothing of Alice's (conversations, message text) once Bob's session began", () => {
      const seen = JSON.stringify(sinceBob);
      const alices = [...aliceConversations, ...texts, alice.uuid, alice.handle];
      expect(alices.filter((secret) => seen.includes(secret))).toEqual([]);
    });

    it('answers Unauthenticated to the reads begun for Alice that finish after Bob signed in', () => {
      for (const result of late)
        expect(result).toMatchObject({ ok: false, error: { code: 'Unauthenticated' } });
    });

    it("polls Bob from his own first page, not from Alice's positions", () => {
      const changed = sinceBob.filter(({ event }) => event === 'conversations.changed');
      expect(JSON.stringify(changed)).toContain(bobsNews);
    });

    it('names the sign-in in every push: a new opaque id for each sign-in, never a token', () => {
      const sessionOf = (person: Person) =>
        pushed.findLast((push) => signedInAs(push, person))?.payload['session'];
      const [aliceSession, bobSession] = [sessionOf(alice), sessionOf(bob)];
      expect(aliceSession).toMatch(UUID);
      expect(bobSession).toMatch(UUID);
      expect(bobSession).not.toBe(aliceSession);
      const bound = sinceBob.filter(
        ({ event }) => event === 'messages.new' || event === 'conversations.changed',
      );
      expect(bound.length).toBeGreaterThan(0);
      for (const { payload } of bound) expect(payload['session']).toBe(bobSession);
    });
  },
);

describe('a page that asks who is signed in', () => {
  it('is told the current sign-in again, so a reloaded page accepts its pushes', async () => {
    const carl = await signIn(await confirmedAccount(backend.auth, newAccount('carl')));
    const announced = pushed.findLast((push) => signedInAs(push, carl))!.payload['session'];
    pushed.length = 0;

    expect(value(await call('getSession'))).toMatchObject({ uuid: carl.uuid });
    expect(pushed).toEqual([{ event: 'session.changed', payload: { profile: carl, session: announced } }]);
  });
});
