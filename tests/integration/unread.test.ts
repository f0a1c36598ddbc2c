import { beforeAll, describe, expect, it } from 'vitest';
import { createStreamHandler, type StreamHandler } from '../../core/messages';
import type { MessageGroupItem } from '../../core/messages/items';
import { newMessageUuid } from '../../shared/message-uuid';
import type { MessageView } from '../../shared/messages';
import type { Person } from '../../shared/model';
import {
  RequestCounter,
  createPeople,
  fileTestBed,
  groupItemsOf,
  storedMessage,
  streamRecord,
} from '../support/messages';

/**
 * Unread counts kept by the table: Pattern D starts them, Pattern E counts each new message for
 * every member but its sender, and markConversationRead moves a member's mark (never backwards).
 * The stream is driven by hand, with records of what the service stored, as Lambda delivers them.
 */
const bed = fileTestBed('unread');
let pattern: StreamHandler;

beforeAll(() => {
  pattern = createStreamHandler({ db: bed.db, tableName: bed.config.tableName, log: silentLog() });
});

/** A conversation that `a` started with `b` (Pattern D), and ways to send and apply messages. */
async function conversation() {
  const [a, b, outsider] = (await createPeople(bed.pool, ['una', 'ved', 'wil'])) as [Person, Person, Person];
  const started = await bed.service.startConversation(a, {
    handle: b.handle,
    messageUuid: newMessageUuid(),
    text: 'first',
  });
  const groupUuid = started.message_group_uuid;
  const senders = new Map<string, Person>([a, b].map((person) => [person.uuid, person]));
  const send = (from: Person, text: string) =>
    bed.service.sendMessage(from, { groupUuid, messageUuid: newMessageUuid(), text });
  /** Pattern E, for one batch holding these messages (in this order). */
  const apply = async (...messages: MessageView[]) => {
    const records = messages.map((m) => streamRecord(storedMessage(groupUuid, senders.get(m.user_uuid)!, m)));
    expect(await pattern({ Records: records })).toEqual({ batchItemFailures: [] });
  };
  const itemOf = async (member: Person): Promise<MessageGroupItem> => {
    const items = (await groupItemsOf(bed.db, bed.config.tableName, member)).filter(
      (item) => item.message_group_uuid === groupUuid,
    );
    expect(items, `group items of ${member.handle}`).toHaveLength(1);
    return items[0]!;
  };
  const unread = async (member: Person) => (await itemOf(member)).unread_count ?? 0;
  const mark = (member: Person, upTo: MessageView) =>
    bed.service.markConversationRead(member, { groupUuid, upTo: upTo.message_uuid });
  return { a, b, outsider, started, groupUuid, send, apply, itemOf, unread, mark };
}

describe('Pattern D starts the counts', () => {
  it('gives the recipient 1 unread and the sender none, and lists them so', async () => {
    const { a, b, started, itemOf } = await conversation();
    expect(await itemOf(a)).toMatchObject({ unread_count: 0, last_read_sk: started.message.sk });
    expect(await itemOf(b)).toMatchObject({ unread_count: 1 });
    expect((await itemOf(b)).last_read_sk).toBeUndefined();
    expect(started.group.unread_count).toBe(0);
    expect((await bed.service.listConversations(b)).items).toMatchObject([
      { message_group_uuid: started.message_group_uuid, unread_count: 1 },
    ]);
    expect((await bed.service.listConversations(a)).items).toMatchObject([{ unread_count: 0 }]);
  });

  it('leaves a message into an existing conversation to Pattern E, which counts it', async () => {
    const { a, b, apply, unread, itemOf } = await conversation();
    const again = await bed
      .newService()
      .startConversation(b, { handle: a.handle, messageUuid: newMessageUuid(), text: 'hello back' });
    expect(again.created).toBe(false);
    await apply(again.message);
    expect(await unread(a)).toBe(1);
    expect(await itemOf(b)).toMatchObject({ unread_count: 0, last_read_sk: again.message.sk });
  });
});

describe('Pattern E counts new messages', () => {
  it('counts a burst of 3 in one batch as 3 for the recipient and 0 for the sender; the same batch again changes nothing', async () => {
    const { a, b, send, apply, unread, itemOf } = await conversation();
    const burst = [await send(b, 'one'), await send(b, 'two'), await send(b, 'three')];
    await apply(...burst);
    expect(await unread(a)).toBe(3);
    expect(await itemOf(b)).toMatchObject({ unread_count: 0, last_read_sk: burst[2]!.sk });
    await apply(...burst);
    await apply(burst[0]!);
    expect(await unread(a)).toBe(3);
    expect(await unread(b)).toBe(0);
    expect((await bed.service.listConversations(a)).items[0]).toMatchObject({ unread_count: 3 });
  });

  it('adds batches up, and a reply clears the replier’s count', async () => {
    const { a, b, send, apply, unread, itemOf } = await conversation();
    await apply(await send(b, 'one'));
    await apply(await send(b, 'two'));
    expect(await unread(a)).toBe(2);
    const reply = await send(a, 'reply');
    await apply(reply);
    expect(await itemOf(a)).toMatchObject({ unread_count: 0, last_read_sk: reply.sk });
    expect(await unread(b)).toBe(1);
  });

  it('counts only what came after a reply in the same batch', async () => {
    const { a, b, send, apply, unread, itemOf } = await conversation();
    // b reads 'first' by replying; then a writes twice: all one batch.
    const batch = [await send(b, 'reply'), await send(a, 'two'), await send(a, 'three')];
    await apply(...batch);
    expect(await itemOf(b)).toMatchObject({ unread_count: 2, last_read_sk: batch[0]!.sk });
    expect(await unread(a)).toBe(0);
  });

  it('keeps a mark made between two moves of a warm handler (its remembered item is stale)', async () => {
    const { a, b, send, groupUuid, unread, mark } = await conversation();
    const warm = createStreamHandler({ db: bed.db, tableName: bed.config.tableName, log: silentLog() });
    const record = (m: MessageView) => streamRecord(storedMessage(groupUuid, b, m));
    const burst = [await send(b, 'one'), await send(b, 'two')];
    await warm({ Records: burst.map(record) });
    expect(await unread(a)).toBe(2);
    expect(await mark(a, burst[1]!)).toEqual({ unread_count: 0 });
    await warm({ Records: [record(await send(b, 'three'))] });
    expect(await unread(a)).toBe(1);
  });
});

describe('markConversationRead', () => {
  it('marks up to the newest message with exactly one write and no read', async () => {
    const { a, b, send, apply, unread, itemOf, groupUuid } = await conversation();
    const burst = [await send(b, 'one'), await send(b, 'two')];
    await apply(...burst);
    expect(await unread(a)).toBe(2);
    const fresh = bed.newService(); // nothing cached: no membership is known to it
    const requests = new RequestCounter(bed.db);
    const requestsMade = await requests.during(async () =>
      expect(await fresh.markConversationRead(a, { groupUuid, upTo: burst[1]!.message_uuid })).toEqual({
        unread_count: 0,
      }),
    );
    expect(requestsMade).toBe(1);
    expect([...requests.byCommand]).toEqual([['UpdateItemCommand', 1]]);
    expect(await itemOf(a)).toMatchObject({ unread_count: 0, last_read_sk: burst[1]!.sk });
    expect((await bed.service.listConversations(a)).items[0]).toMatchObject({ unread_count: 0 });
    // The same mark again: the failed condition hands back the item, so still one request.
    expect(
      await requests.during(() => fresh.markConversationRead(a, { groupUuid, upTo: burst[1]!.message_uuid })),
    ).toBe(1);
  });

  it('never moves the mark backwards', async () => {
    const { a, b, send, apply, itemOf, mark } = await conversation();
    const burst = [await send(b, 'one'), await send(b, 'two'), await send(b, 'three')];
    await apply(...burst);
    await mark(a, burst[2]!);
    const before = await itemOf(a);
    expect(await mark(a, burst[0]!)).toEqual({ unread_count: 0 });
    expect(await itemOf(a)).toEqual(before);
    expect(before).toMatchObject({ last_read_sk: burst[2]!.sk, unread_count: 0 });
  });

  it('counts the other member’s messages after an older mark', async () => {
    const { a, b, send, apply, unread, itemOf, mark } = await conversation();
    const burst = [await send(b, 'one'), await send(b, 'two'), await send(b, 'three')];
    await apply(...burst);
    expect(await unread(a)).toBe(3);
    expect(await mark(a, burst[0]!)).toEqual({ unread_count: 2 });
    expect(await itemOf(a)).toMatchObject({ unread_count: 2, last_read_sk: burst[0]!.sk });
    expect(await mark(a, burst[2]!)).toEqual({ unread_count: 0 });
  });

  it('keeps a mark made before Pattern E moved the item: the messages up to it stay read', async () => {
    const { a, b, send, apply, unread, itemOf, mark } = await conversation();
    // The poller shows messages before the stream catches up, so the mark can come first.
    const burst = [await send(b, 'one'), await send(b, 'two')];
    expect(await mark(a, burst[1]!)).toEqual({ unread_count: 0 });
    await apply(...burst);
    expect(await itemOf(a)).toMatchObject({ unread_count: 0, last_read_sk: burst[1]!.sk });

    const later = [await send(b, 'three'), await send(b, 'four')];
    expect(await mark(a, later[0]!)).toEqual({ unread_count: 0 });
    await apply(...later);
    expect(await unread(a)).toBe(1);
  });

  it('refuses a non-member and writes nothing', async () => {
    const { a, b, outsider, send, apply, itemOf, mark } = await conversation();
    const newest = await send(b, 'one');
    await apply(newest);
    const before = [await itemOf(a), await itemOf(b)];
    await expect(mark(outsider, newest)).rejects.toMatchObject({
      code: 'Forbidden',
      message: expect.stringMatching(/not a member of conversation/),
    });
    expect([await itemOf(a), await itemOf(b)]).toEqual(before);
    expect(await groupItemsOf(bed.db, bed.config.tableName, outsider)).toEqual([]);
  });

  it('refuses an upTo from the future, and input that is not a message uuid', async () => {
    const { a, groupUuid, itemOf } = await conversation();
    const before = await itemOf(a);
    const future = newMessageUuid(Date.now() + 10 * 60_000);
    await expect(bed.service.markConversationRead(a, { groupUuid, upTo: future })).rejects.toMatchObject({
      code: 'Invalid',
      message: expect.stringMatching(/future/),
    });
    await expect(
      bed.service.markConversationRead(a, { groupUuid, upTo: crypto.randomUUID() }),
    ).rejects.toMatchObject({ code: 'Invalid' });
    expect(await itemOf(a)).toEqual(before);
  });
});

function silentLog() {
  return { info: () => {}, warn: () => {}, error: () => {} };
}
