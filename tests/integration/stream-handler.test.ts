import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { createStreamHandler, type DynamoDBStreamRecord, type StreamHandler } from '../../core/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import { CONVERSATION_SK, messagePk, type Person } from '../../shared/model';
import {
  conversationItem,
  messageGroupItem,
  messageItem,
  type MessageGroupItem,
  type MessageItem,
} from '../../core/messages/items';
import { captureLog } from '../support/log-capture';
import { freePort } from '../support/local-cloud-setup';
import { testConfig } from '../support/cloud';
import {
  RequestCounter,
  createPeople,
  groupItemsOf,
  fileTestBed,
  seedConversation,
} from '../support/messages';

const bed = fileTestBed('stream-handler');
let handler: StreamHandler;
let sequence = 0;

beforeAll(() => {
  handler = createStreamHandler({ db: bed.db, tableName: bed.config.tableName });
});

/** A Lambda-shaped record, as DynamoDB Streams delivers an item's INSERT. */
function record(item: object, eventName: DynamoDBStreamRecord['eventName'] = 'INSERT'): DynamoDBStreamRecord {
  const image = Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      Array.isArray(value) ? { L: value.map((v: string) => ({ S: v })) } : { S: String(value) },
    ]),
  );
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { NewImage: image, SequenceNumber: String(sequence).padStart(21, '0') },
  };
}

/** A conversation whose group items point at its first message, and later messages not yet applied. */
async function conversation(count: number): Promise<{ people: [Person, Person]; later: MessageItem[] }> {
  const people = (await createPeople(bed.pool, ['eli', 'fen'])) as [Person, Person];
  const start = Date.now() - 60_000;
  const { groupUuid } = await seedConversation(bed.db, bed.config.tableName, people, {
    count: 1,
    firstAt: start,
  });
  const later = Array.from({ length: count }, (_, i) =>
    messageItem(
      groupUuid,
      people[i % 2]!,
      newMessageUuid(start + 1_000 * (i + 1)),
      `later ${i}`,
      new Date(start + 1_000 * (i + 1)).toISOString(),
    ),
  );
  return { people, later };
}

async function expectGroupItemsAt(people: Person[], message: MessageItem): Promise<void> {
  for (const member of people) {
    const items = await groupItemsOf(bed.db, bed.config.tableName, member);
    expect(items, `group items of ${member.handle}`).toHaveLength(1);
    expect(items[0]).toMatchObject({
      last_message_sk: message.sk,
      last_reply_at: message.created_at,
      message: message.message,
    });
  }
}

describe('Pattern E', () => {
  it("moves both members' group items to a new message", async () => {
    const { people, later } = await conversation(1);
    expect(await handler({ Records: [record(later[0]!)] })).toEqual({ batchItemFailures: [] });
    await expectGroupItemsAt(people, later[0]!);
  });

  it('ends at the newest message with repeated, out-of-order and multi-conversation batches', async () => {
    const [one, two] = await Promise.all([conversation(6), conversation(4)]);
    const [a, b, c, d, e, f] = one.later as [
      MessageItem,
      MessageItem,
      MessageItem,
      MessageItem,
      MessageItem,
      MessageItem,
    ];
    await handler({
      Records: [record(c), record(a), record(two.later[3]!), record(b), record(c), record(two.later[0]!)],
    });
    await expectGroupItemsAt(one.people, c);
    await expectGroupItemsAt(two.people, two.later[3]!);
    // A late record for an older message, and the same record again, move nothing back.
    await handler({ Records: [record(a)] });
    await handler({ Records: [record(two.later[1]!), record(two.later[1]!)] });
    await expectGroupItemsAt(one.people, c);
    await expectGroupItemsAt(two.people, two.later[3]!);
    // Batches for one conversation handled at the same moment (Lambda retries, a second worker).
    await Promise.all([d, f, e, b].map((message) => handler({ Records: [record(message)] })));
    await expectGroupItemsAt(one.people, f);
  });

  it('handles two messages of the same millisecond (same group key) and keeps the greater', async () => {
    const { people, later } = await conversation(1);
    const at = Date.parse(later[0]!.created_at) + 5_000;
    const [first, second] = [newMessageUuid(at), newMessageUuid(at)].map((uuid, i) =>
      messageItem(later[0]!.pk.slice(4), people[i]!, uuid, `same ms ${i}`, new Date(at).toISOString()),
    ) as [MessageItem, MessageItem];
    await handler({ Records: [record(first)] });
    await handler({ Records: [record(second)] });
    await handler({ Records: [record(first)] });
    await expectGroupItemsAt(people, second);
  });

  it('ignores what is not an INSERT of a message', async () => {
    const { people, later } = await conversation(1);
    const before = await groupItemsOf(bed.db, bed.config.tableName, people[0]!);
    const groupUuid = later[0]!.pk.slice(4);
    const result = await handler({
      Records: [
        record(later[0]!, 'MODIFY'),
        record(later[0]!, 'REMOVE'),
        record(conversationItem(groupUuid, [people[0]!.uuid, people[1]!.uuid], later[0]!.created_at)),
        record(before[0]!),
        record({ pk: later[0]!.pk, sk: later[0]!.sk }),
        { eventID: 'no image', eventName: 'INSERT' },
      ],
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await groupItemsOf(bed.db, bed.config.tableName, people[0]!)).toEqual(before);
  });

  it('costs a GSI query and one write per member cold, only the writes once warm, a query for a stale record', async () => {
    const { people, later } = await conversation(3);
    const warm = createStreamHandler({ db: bed.db, tableName: bed.config.tableName });
    const requests = new RequestCounter(bed.db);
    const cold = await requests.during(() => warm({ Records: [record(later[0]!)] }));
    const steady = await requests.during(() => warm({ Records: [record(later[1]!)] }));
    const burst = await requests.during(() => warm({ Records: [record(later[2]!), record(later[1]!)] }));
    const stale = await requests.during(() => warm({ Records: [record(later[0]!)] }));
    console.info(
      `Pattern E DynamoDB requests: cold ${cold}, steady ${steady}, batch of 2 ${burst}, stale record ${stale}`,
    );
    expect([cold, steady, burst, stale]).toEqual([3, 2, 2, 1]);
    await expectGroupItemsAt(people, later[2]!);
  });

  it('applies the message before a poison one, and reports only the poison record', async () => {
    const { people, later } = await conversation(1);
    const at = Date.parse(later[0]!.created_at) + 1_000;
    // Its group item would pass DynamoDB's 400 KB item limit: it can never be applied.
    const poison = messageItem(
      messagePkGroup(later[0]!),
      people[0],
      newMessageUuid(at),
      'x'.repeat(400 * 1024),
      new Date(at).toISOString(),
    );
    const innocent = record(later[0]!);
    const bad = record(poison);
    const result = await createStreamHandler({ db: bed.db, tableName: bed.config.tableName, log: silent })({
      Records: [innocent, bad],
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: bad.dynamodb!.SequenceNumber }]);
    await expectGroupItemsAt(people, later[0]!);
    // The message applied counts only itself, not the poison one after it.
    const [sender, recipient] = await Promise.all(
      people.map(async (member) => (await groupItemsOf(bed.db, bed.config.tableName, member))[0]),
    );
    expect(sender).toMatchObject({ unread_count: 0, last_read_sk: later[0]!.sk });
    expect(recipient).toMatchObject({ unread_count: 1 });
  });

  it('reports the records it could not apply, and only those', async () => {
    const config = testConfig({ CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    const db = createDynamoClient(config);
    const unreachable = createStreamHandler({ db, tableName: config.tableName, maxAttempts: 1, log: silent });
    const { later } = await conversation(2);
    const records = [record(later[0]!), record({ pk: 'GRP#x', sk: 'GRP#y' }), record(later[1]!)];
    const started = Date.now();
    const result = await unreachable({ Records: records });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [records[0]!, records[2]!].map((r) => r.dynamodb!.SequenceNumber).sort(),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    db.destroy();
  });

  it('retries from the first record when a failed record has no sequence number to name', async () => {
    const config = testConfig({ CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    const db = createDynamoClient(config);
    const unreachable = createStreamHandler({ db, tableName: config.tableName, maxAttempts: 1, log: silent });
    const { later } = await conversation(2);
    const named = record(later[0]!);
    const unnamed = record(later[1]!);
    delete unnamed.dynamodb!.SequenceNumber;
    const records = [record({ pk: 'GRP#x', sk: 'GRP#y' }), named, unnamed];
    const result = await unreachable({ Records: records });
    // Never an empty identifier (Lambda reads that as "the whole batch"): the first record is named.
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[0]!.dynamodb!.SequenceNumber,
    ]);
    db.destroy();
  });
});

describe('Pattern E on a conversation that lost group items', () => {
  /** A conversation in the table (messages from both, alternating), and a later message of `from`. */
  async function seeded(count: number, deleted: ('first' | 'second' | 'conversation')[], from: 0 | 1) {
    const people = (await createPeople(bed.pool, ['gus', 'hal'])) as [Person, Person];
    const start = Date.now() - 60_000;
    const { groupUuid, messages } = await seedConversation(bed.db, bed.config.tableName, people, {
      count,
      firstAt: start,
    });
    for (const what of deleted) {
      const key =
        what === 'conversation'
          ? { pk: messagePk(groupUuid), sk: CONVERSATION_SK }
          : keyOf((await groupItemsOf(bed.db, bed.config.tableName, people[what === 'first' ? 0 : 1]))[0]!);
      await bed.db.send(new DeleteCommand({ TableName: bed.config.tableName, Key: key }));
    }
    const at = start + 10_000;
    const next = messageItem(
      groupUuid,
      people[from],
      newMessageUuid(at),
      'after the loss',
      new Date(at).toISOString(),
    );
    await bed.db.send(new PutCommand({ TableName: bed.config.tableName, Item: next }));
    return { people, groupUuid, messages, next };
  }
  const keyOf = (item: MessageGroupItem) => ({ pk: item.pk, sk: item.sk });
  const names = (person: Person) => ({
    user_uuid: person.uuid,
    user_handle: person.handle,
    user_display_name: person.display_name,
  });
  const shownTo = async (member: Person) => (await groupItemsOf(bed.db, bed.config.tableName, member))[0];

  it("makes the recipient's missing group item again from the message, and moves the sender's", async () => {
    const { people, next } = await seeded(1, ['second'], 0);
    expect(await handler({ Records: [record(next)] })).toEqual({ batchItemFailures: [] });
    await expectGroupItemsAt(people, next);
    expect(await shownTo(people[1])).toMatchObject(names(people[0]));
    expect(await shownTo(people[0])).toMatchObject(names(people[1]));
  });

  it("makes the sender's missing group item again, naming the other member from their own message", async () => {
    const { people, next } = await seeded(2, ['first'], 0);
    expect(await handler({ Records: [record(next)] })).toEqual({ batchItemFailures: [] });
    await expectGroupItemsAt(people, next);
    expect(await shownTo(people[0])).toMatchObject(names(people[1]));
  });

  it('makes both group items again when a seed stopped before writing them', async () => {
    const { people, next } = await seeded(3, ['first', 'second'], 1);
    expect(
      await createStreamHandler({ db: bed.db, tableName: bed.config.tableName })({ Records: [record(next)] }),
    ).toEqual({
      batchItemFailures: [],
    });
    await expectGroupItemsAt(people, next);
    expect(await shownTo(people[0])).toMatchObject(names(people[1]));
    expect(await shownTo(people[1])).toMatchObject(names(people[0]));
  });

  it('learns the members from the group item left when the conversation item is gone too', async () => {
    const { people, next } = await seeded(1, ['conversation', 'first'], 1);
    expect(await handler({ Records: [record(next)] })).toEqual({ batchItemFailures: [] });
    await expectGroupItemsAt(people, next);
    expect(await shownTo(people[0])).toMatchObject(names(people[1]));
  });

  it('names a member who never wrote by their uuid, then by their names once they write', async () => {
    // Only people[0] wrote: nothing in the table gives people[1]'s handle or display name.
    const log = captureLog();
    const { people, groupUuid, next } = await seeded(1, ['first', 'second'], 0);
    expect(await handler({ Records: [record(next)] })).toEqual({ batchItemFailures: [] });
    await expectGroupItemsAt(people, next);
    expect(await shownTo(people[0])).toMatchObject({
      user_uuid: people[1].uuid,
      user_handle: people[1].uuid,
      user_display_name: people[1].uuid,
    });
    expect(log.text()).toContain('without the names of the member it shows');
    const at = Date.parse(next.created_at) + 1_000;
    const reply = messageItem(groupUuid, people[1], newMessageUuid(at), 'reply', new Date(at).toISOString());
    await handler({ Records: [record(reply)] });
    await expectGroupItemsAt(people, reply);
    expect(await shownTo(people[0])).toMatchObject(names(people[1]));
    expect(log.text()).not.toContain('after the loss');
  });

  it('makes one group item per member when handlers repair the same record at the same moment', async () => {
    const { people, next } = await seeded(2, ['first', 'second'], 0);
    const handlers = Array.from({ length: 4 }, () =>
      createStreamHandler({ db: bed.db, tableName: bed.config.tableName }),
    );
    const results = await Promise.all(handlers.map((h) => h({ Records: [record(next)] })));
    expect(results).toEqual(handlers.map(() => ({ batchItemFailures: [] })));
    await expectGroupItemsAt(people, next);
  });

  it('leaves a member listed twice for a conversation with only the newer group item', async () => {
    const { people, groupUuid, messages, next } = await seeded(2, [], 0);
    // An older second group item, as Pattern D wrote beside the first before it looked for them.
    await bed.db.send(
      new PutCommand({
        TableName: bed.config.tableName,
        Item: messageGroupItem(groupUuid, people[1], people[0], messages[0]!),
      }),
    );
    expect(await groupItemsOf(bed.db, bed.config.tableName, people[1])).toHaveLength(2);
    expect(await handler({ Records: [record(next)] })).toEqual({ batchItemFailures: [] });
    await expectGroupItemsAt(people, next);
  });
});

const messagePkGroup = (message: MessageItem): string => message.pk.slice('MSG#'.length);

const silent = { info: () => {}, warn: () => {}, error: () => {} };
