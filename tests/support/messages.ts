import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  BatchWriteCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type pg from 'pg';
import type { Config } from '../../core/config';
import { createDynamoClient } from '../../core/clients';
import { conversationUuidFor } from '../../core/messages/conversation-id';
import { MessageService, type DynamoDBStreamRecord } from '../../core/messages';
import { messageGroupItemSchema, readItem } from '../../core/messages/items';
import { UserDirectory } from '../../core/users/directory';
import type { MessageView } from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import { groupPk, type Person } from '../../shared/model';
import {
  conversationItem,
  messageGroupItem,
  messageItem,
  type MessageGroupItem,
  type MessageItem,
} from '../../core/messages/items';
import { configWithTable, pgPool } from './cloud';

/** Counts the HTTP requests a DynamoDB client makes (retries included), by command. */
export class RequestCounter {
  readonly byCommand = new Map<string, number>();

  constructor(db: DynamoDBDocumentClient) {
    db.middlewareStack.add(
      (next, context) => async (args) => {
        this.byCommand.set(
          context.commandName ?? '?',
          (this.byCommand.get(context.commandName ?? '?') ?? 0) + 1,
        );
        return next(args);
      },
      // The deserialize step runs inside the retry loop, once per attempt.
      { step: 'deserialize', name: 'countRequests', override: true },
    );
  }

  total(): number {
    return [...this.byCommand.values()].reduce((sum, count) => sum + count, 0);
  }

  reset(): void {
    this.byCommand.clear();
  }

  async during(work: () => Promise<unknown>): Promise<number> {
    this.reset();
    await work();
    return this.total();
  }
}

/** People in the shared users table, with handles no other test uses. */
export async function createPeople(pool: pg.Pool, labels: string[]): Promise<Person[]> {
  const suffix = randomBytes(4).toString('hex');
  const people: Person[] = [];
  for (const label of labels) {
    const handle = `${label}_${suffix}`;
    const { rows } = await pool.query<Person>(
      `INSERT INTO users (handle, display_name, email) VALUES ($1, $2, $3)
       RETURNING uuid::text AS uuid, handle, display_name`,
      [handle, `${label[0]!.toUpperCase()}${label.slice(1)} Test`, `${handle}@cruddur.test`],
    );
    people.push(rows[0]!);
  }
  return people;
}

export interface MessageTestBed {
  config: Config;
  db: DynamoDBDocumentClient;
  pool: pg.Pool;
  directory: UserDirectory;
  service: MessageService;
  /** Another app or script: its own service, so nothing is cached between the two. */
  newService(options?: { cursorSecret?: Uint8Array }): MessageService;
  close(): Promise<void>;
}

export async function messageTestBed(prefix: string): Promise<MessageTestBed> {
  const config = await configWithTable(prefix);
  const db = createDynamoClient(config);
  const pool = pgPool(config);
  const directory = new UserDirectory(pool);
  const newService = (options: { cursorSecret?: Uint8Array } = {}) =>
    new MessageService({ db, tableName: config.tableName, directory, ...options });
  return {
    config,
    db,
    pool,
    directory,
    service: newService(),
    newService,
    async close() {
      db.destroy();
      await pool.end();
    },
  };
}

/**
 * The test bed of a whole test file: filled in before its first test, closed after its last.
 * (The object exists at once so a file can hold it in a const; its fields arrive in beforeAll.)
 */
export function fileTestBed(prefix: string): MessageTestBed {
  const bed = {} as MessageTestBed;
  beforeAll(async () => {
    Object.assign(bed, await messageTestBed(prefix));
  });
  afterAll(() => bed.close());
  return bed;
}

/** Puts items with BatchWriteItem, 25 at a time, several batches at once. */
export async function batchPut(
  db: DynamoDBDocumentClient,
  tableName: string,
  items: object[],
): Promise<void> {
  const batches: object[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const put = async (batch: object[]) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  };
  for (let i = 0; i < batches.length; i += 16) await Promise.all(batches.slice(i, i + 16).map(put));
}

/**
 * A conversation written straight into the table, as the seed would: the conversation item,
 * `count` messages from `firstAt` on, `stepMs` apart, alternating senders, and both group items
 * pointing at the last message.
 */
export async function seedConversation(
  db: DynamoDBDocumentClient,
  tableName: string,
  [a, b]: [Person, Person],
  { count, firstAt, stepMs = 1_000 }: { count: number; firstAt: number; stepMs?: number },
): Promise<{ groupUuid: string; messages: MessageItem[] }> {
  const groupUuid = conversationUuidFor(a.uuid, b.uuid);
  const messages = Array.from({ length: count }, (_, i) => {
    const at = firstAt + i * stepMs;
    return messageItem(
      groupUuid,
      i % 2 ? b : a,
      newMessageUuid(at),
      `message ${i}`,
      new Date(at).toISOString(),
    );
  });
  const last = messages.at(-1)!;
  await batchPut(db, tableName, [
    conversationItem(groupUuid, [a.uuid, b.uuid], messages[0]!.created_at),
    ...messages,
    messageGroupItem(groupUuid, a, b, last),
    messageGroupItem(groupUuid, b, a, last),
  ]);
  return { groupUuid, messages };
}

/** A member's group items, read consistently from the table itself (not the GSI). */
export async function groupItemsOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  member: Person,
): Promise<MessageGroupItem[]> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': groupPk(member.uuid) },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map((item) => readItem(messageGroupItemSchema, item)!);
}

export async function countItems(db: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Polls `check` until it answers true, or fails after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

let streamSequence = 0;

/**
 * A Lambda-shaped stream record of an item's INSERT, as DynamoDB Streams delivers it, for driving
 * the Pattern E handler without a stream (strings and numbers only, what items here hold).
 */
export function streamRecord(item: object): DynamoDBStreamRecord {
  const image = Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      typeof value === 'number' ? { N: String(value) } : { S: String(value) },
    ]),
  );
  streamSequence += 1;
  return {
    eventID: `unread-${streamSequence}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: { NewImage: image, SequenceNumber: String(streamSequence).padStart(21, '0') },
  };
}

/** The message item the service stored for a view it returned (what the stream would carry). */
export const storedMessage = (groupUuid: string, sender: Person, view: MessageView): MessageItem =>
  messageItem(groupUuid, sender, view.message_uuid, view.message, view.created_at);
