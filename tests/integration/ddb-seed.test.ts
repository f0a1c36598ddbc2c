import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../core/config';
import { createDynamoClient } from '../../core/clients';
import { isUuidV7, uuidV7Timestamp } from '../../shared/message-uuid';
import { conversationUuidFor } from '../../core/messages/conversation-id';
import { CONVERSATION_SK, groupPk, MAX_MESSAGE_LENGTH, messagePk } from '../../shared/model';
import {
  messageGroupItem,
  messageItem,
  type MessageGroupItem,
  type MessageItem,
} from '../../core/messages/items';
import { batchWriteAll, documentBatchWrite, type BatchWriteCall } from '../../scripts/seed/batch-write';
import { seedMessages, type SeedCounts } from '../../scripts/seed/ddb-seed';
import { conversationMessages, planSeed, SEED_END_AT } from '../../scripts/seed/plan';
import { seedUsers } from '../../scripts/seed/users';
import { configWithTable } from '../support/cloud';

/** Every item of a table, every page, sorted by key so two scans compare as arrays. */
async function scanAll(db: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (item: Record<string, unknown>) => `${String(item['pk'])}\u0000${String(item['sk'])}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const codePoints = (text: string): number => Array.from(text).length;

// 1,100 messages in 4 conversations: andrewbrown-bayko gets its 1,000, the other three share 100.
const SIZES = { users: 4, groups: 4, messages: 1_100, seedValue: 'ddb-seed-test' };
const users = seedUsers({ count: SIZES.users, seedValue: SIZES.seedValue });
const [andrew, bayko] = users;

describe('the seed plan (no DynamoDB)', () => {
  it('gives andrewbrown-bayko at least 1,000 of the default messages, and adds up to --messages', () => {
    for (const messages of [undefined, 100_000]) {
      const plan = planSeed({ messages });
      const [big] = plan.conversations;
      expect(big!.members.map((member) => member.handle)).toEqual(['andrewbrown', 'bayko']);
      expect(big!.messageCount).toBeGreaterThanOrEqual(1_000);
      const total = plan.conversations.reduce((sum, conversation) => sum + conversation.messageCount, 0);
      expect(total).toBe(messages ?? 3_000);
      expect(new Set(plan.conversations.map((conversation) => conversation.groupUuid)).size).toBe(15);
    }
  });

  it('is the same for the same seed value and different for another, whatever the clock says', () => {
    const messagesOf = (seedValue: string) => {
      const plan = planSeed({ users: 4, groups: 3, messages: 50, seedValue });
      return plan.conversations.flatMap((conversation) => [...conversationMessages(plan, conversation)]);
    };
    const first = messagesOf('same');
    expect(messagesOf('same')).toEqual(first);
    expect(messagesOf('other')[0]!.message_uuid).not.toBe(first[0]!.message_uuid);
    expect(first.every((message) => message.created_at <= SEED_END_AT)).toBe(true);
  });

  it('refuses sizes that cannot work, naming the flag', () => {
    expect(() => planSeed({ users: 3, groups: 4 })).toThrow(/--groups 4 is more than the 3 conversations/);
    expect(() => planSeed({ groups: 10, messages: 5 })).toThrow(/--messages 5 is fewer than --groups 10/);
    expect(() => planSeed({ users: 2 })).toThrow(/--users must be a whole number from 3/);
  });
});

describe('seedMessages against DynamoDB Local', () => {
  let config: Config;
  let db: DynamoDBDocumentClient;
  let counts: SeedCounts;
  let items: Record<string, unknown>[];
  const messages = () =>
    items.filter((item) => String(item['sk']).startsWith('MSG#')) as unknown as MessageItem[];

  beforeAll(async () => {
    config = await configWithTable('seed');
    db = createDynamoClient(config);
    counts = await seedMessages(db, config.tableName, SIZES);
    items = await scanAll(db, config.tableName);
  });
  afterAll(() => db.destroy());

  it('writes the counts it reports: messages, one conversation item and two group items per conversation', () => {
    expect(counts).toMatchObject({
      users: 4,
      conversations: 4,
      messages: 1_100,
      groupItems: 8,
      itemsWritten: 1_112,
    });
    expect(items).toHaveLength(1_112);
    expect(messages()).toHaveLength(1_100);
    expect(items.filter((item) => item['sk'] === CONVERSATION_SK)).toHaveLength(4);
    expect(new Set(messages().map((message) => message.sk)).size).toBe(1_100);
  });

  it('has the andrewbrown-bayko conversation with at least 1,000 messages', async () => {
    const group = conversationUuidFor(andrew!.uuid, bayko!.uuid);
    const answer = await db.send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': messagePk(group), ':msg': 'MSG#' },
        Select: 'COUNT',
      }),
    );
    expect(answer.Count).toBeGreaterThanOrEqual(1_000);
  });

  it('points every member group item at the latest message of its conversation', async () => {
    const groups = items.filter((item) =>
      String(item['pk']).startsWith('GRP#'),
    ) as unknown as MessageGroupItem[];
    expect(groups).toHaveLength(8);
    for (const group of groups) {
      const latest = await db.send(
        new QueryCommand({
          TableName: config.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
          ExpressionAttributeValues: { ':pk': messagePk(group.message_group_uuid), ':msg': 'MSG#' },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const last = latest.Items![0] as MessageItem;
      expect(group).toMatchObject({
        last_message_sk: last.sk,
        last_reply_at: last.created_at,
        message: last.message,
      });
      const conversation = items.find(
        (item) => item['pk'] === messagePk(group.message_group_uuid) && item['sk'] === CONVERSATION_SK,
      ) as { member_uuids: string[] };
      // The group item belongs to one member and names the other one.
      expect(conversation.member_uuids.sort()).toEqual(
        [group.pk.slice('GRP#'.length), group.user_uuid].sort(),
      );
    }
  });

  it('spreads messages over at least two calendar years, up to a few days ago', () => {
    const years = new Set(messages().map((message) => message.created_at.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(2);
    const big = messages().filter(
      (message) => message.pk === messagePk(conversationUuidFor(andrew!.uuid, bayko!.uuid)),
    );
    expect(new Set(big.map((message) => message.created_at.slice(0, 4))).size).toBeGreaterThanOrEqual(2);
    expect(Math.max(...messages().map((message) => Date.parse(message.created_at)))).toBeLessThan(Date.now());
  });

  it('gives each message a v7 uuid carrying its created_at, and a sort key from both', () => {
    for (const message of messages()) {
      // Read back with the message service's own parser: the seed and the app agree on created_at.
      expect(isUuidV7(message.message_uuid)).toBe(true);
      expect(new Date(uuidV7Timestamp(message.message_uuid)!).toISOString()).toBe(message.created_at);
      expect(message.sk).toBe(`MSG#${message.created_at}#${message.message_uuid}`);
    }
  });

  it('writes the awkward kinds of text, never over the length limit', () => {
    const texts = messages().map((message) => message.message);
    expect(texts.some((text) => /\p{Extended_Pictographic}/u.test(text))).toBe(true);
    expect(texts.some((text) => /\p{Script=Arabic}/u.test(text))).toBe(true);
    expect(texts.some((text) => /\p{Script=Hebrew}/u.test(text))).toBe(true);
    expect(texts.some((text) => text.includes('\n'))).toBe(true);
    expect(texts).toContain('<script>alert(1)</script>');
    expect(texts.some((text) => text.includes('<b>bold?</b>'))).toBe(true);
    expect(texts.some((text) => codePoints(text) === MAX_MESSAGE_LENGTH)).toBe(true);
    expect(Math.max(...texts.map(codePoints))).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  });

  it('duplicates nothing when run again: the same items, the same count', async () => {
    const again = await seedMessages(db, config.tableName, SIZES);
    expect(again).toMatchObject({ itemsWritten: 1_112, staleGroupItemsDeleted: 0 });
    expect(await scanAll(db, config.tableName)).toEqual(items);
  });
});

describe('seedMessages when the app has moved on', () => {
  const sizes = { users: 3, groups: 2, messages: 12, seedValue: 'ddb-seed-moved' };
  const [a, b] = seedUsers({ count: 3, seedValue: sizes.seedValue });
  const group = conversationUuidFor(a!.uuid, b!.uuid);

  it('keeps a group item that points at a newer message and removes stale duplicates', async () => {
    const config = await configWithTable('seed-moved');
    const db = createDynamoClient(config);
    await seedMessages(db, config.tableName, sizes);
    const groupItemsOf = (items: Record<string, unknown>[], member: string) =>
      items.filter((item) => item['pk'] === groupPk(member) && item['message_group_uuid'] === group);
    const before = await scanAll(db, config.tableName);
    const seeded = groupItemsOf(before, a!.uuid) as unknown as MessageGroupItem[];
    expect(seeded).toHaveLength(1);

    // What Pattern E does after a new message: the member's group item moves to the newer sort key.
    const newer = messageItem(
      group,
      a!,
      '019f0000-0000-7000-8000-000000000001',
      'sent from the app',
      '2026-11-25T09:00:00.000Z',
    );
    await db.send(new PutCommand({ TableName: config.tableName, Item: newer }));
    await db.send(
      new DeleteCommand({ TableName: config.tableName, Key: { pk: seeded[0]!.pk, sk: seeded[0]!.sk } }),
    );
    await db.send(
      new PutCommand({ TableName: config.tableName, Item: messageGroupItem(group, a!, b!, newer) }),
    );
    // And a stale extra group item for b, as an interrupted move could leave behind.
    const older = messageItem(
      group,
      b!,
      '01900000-0000-7000-8000-000000000002',
      'old',
      '2024-06-01T00:00:00.000Z',
    );
    await db.send(
      new PutCommand({ TableName: config.tableName, Item: messageGroupItem(group, b!, a!, older) }),
    );

    const counts = await seedMessages(db, config.tableName, sizes);
    expect(counts.staleGroupItemsDeleted).toBe(1);
    const after = await scanAll(db, config.tableName);
    expect(groupItemsOf(after, a!.uuid)).toEqual([messageGroupItem(group, a!, b!, newer)]);
    expect(groupItemsOf(after, b!.uuid)).toEqual(groupItemsOf(before, b!.uuid));
    db.destroy();
  });
});

describe('batchWriteAll against DynamoDB Local that throttles', () => {
  it('retries what DynamoDB leaves unprocessed until every item is written', async () => {
    const config = await configWithTable('batch');
    const db = createDynamoClient(config);
    const real = documentBatchWrite(db);
    let calls = 0;
    const deferred = new Set<string>();
    // On its first try, every other request of a chunk comes back unprocessed (and unwritten),
    // exactly as DynamoDB answers when it throttles part of a batch; the retry is let through.
    const throttling: BatchWriteCall = async (input) => {
      calls += 1;
      const requests = input.RequestItems![config.tableName]!;
      const keyOf = (index: number) => String(requests[index]!.PutRequest!.Item!['sk']);
      const held = requests.filter((_, index) => index % 2 === 1 && !deferred.has(keyOf(index)));
      held.forEach((request) => deferred.add(String(request.PutRequest!.Item!['sk'])));
      const now = requests.filter((request) => !held.includes(request));
      await real({ RequestItems: { [config.tableName]: now } });
      return { UnprocessedItems: held.length > 0 ? { [config.tableName]: held } : {}, $metadata: {} };
    };
    const items = Array.from({ length: 60 }, (_, index) => ({
      PutRequest: { Item: { pk: 'BATCH', sk: `item-${String(index).padStart(3, '0')}` } },
    }));
    let reported = 0;
    const stats = await batchWriteAll(throttling, config.tableName, items, {
      concurrency: 3,
      onWritten: (count) => (reported += count),
    });
    expect(deferred.size).toBe(29);
    expect(stats.retries).toBe(3);
    expect(calls).toBe(6);
    expect(reported).toBe(60);
    expect(await scanAll(db, config.tableName)).toHaveLength(60);
    db.destroy();
  });

  it('gives up with Unavailable after its attempts when DynamoDB keeps throttling', async () => {
    const refuseAll: BatchWriteCall = async (input) => ({
      UnprocessedItems: input.RequestItems,
      $metadata: {},
    });
    const items = [{ PutRequest: { Item: { pk: 'X', sk: 'Y' } } }];
    await expect(batchWriteAll(refuseAll, 'any-table', items, { maxAttempts: 3 })).rejects.toMatchObject({
      code: 'Unavailable',
      message: expect.stringMatching(/1 items unprocessed after 3 attempts/),
    });
  });
});
