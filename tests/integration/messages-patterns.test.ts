import { beforeAll, describe, expect, it } from 'vitest';
import { conversationUuidFor } from '../../core/messages/conversation-id';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { createPeople, groupItemsOf, fileTestBed, seedConversation } from '../support/messages';

const bed = fileTestBed('msg-patterns');

const days = (n: number) => n * 24 * 60 * 60 * 1000;

describe('Pattern D, then A, B and C', () => {
  it('starts a conversation, lists it for both members and reads its messages newest first', async () => {
    const [ann, ben] = await createPeople(bed.pool, ['ann', 'ben']);
    const started = await bed.service.startConversation(ann!, {
      handle: `@${ben!.handle.toUpperCase()}`,
      messageUuid: newMessageUuid(),
      text: 'hello ben',
    });
    expect(started).toMatchObject({
      message_group_uuid: conversationUuidFor(ann!.uuid, ben!.uuid),
      created: true,
      message: { message: 'hello ben', user_uuid: ann!.uuid, handle: ann!.handle },
      group: { handle: ben!.handle, display_name: ben!.display_name, message: 'hello ben' },
    });

    const annGroups = await bed.service.listConversations(ann!);
    const benGroups = await bed.service.listConversations(ben!);
    expect(annGroups.items).toEqual([started.group]);
    expect(benGroups.items).toMatchObject([
      {
        message_group_uuid: started.message_group_uuid,
        user_uuid: ann!.uuid,
        handle: ann!.handle,
        message: 'hello ben',
        unread_count: 1,
      },
    ]);
    expect(annGroups.items[0]!.unread_count).toBe(0);
    expect(annGroups.cursor).toBeNull();

    const reply = await bed.service.sendMessage(ben!, {
      groupUuid: started.message_group_uuid,
      messageUuid: newMessageUuid(),
      text: 'hi ann',
    });
    const page = await bed.service.listMessages(ann!, started.message_group_uuid);
    expect(page.items.map((m) => m.message)).toEqual(['hi ann', 'hello ben']);
    expect(page.items[0]).toEqual(reply);
    expect(page.items[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(page.consumed_capacity).toBeGreaterThan(0);
  });

  it('reuses the conversation when it is started again, from either side', async () => {
    const [cat, dan] = await createPeople(bed.pool, ['cat', 'dan']);
    const first = await bed.service.startConversation(cat!, {
      handle: dan!.handle,
      messageUuid: newMessageUuid(),
      text: 'one',
    });
    const again = await bed.service.startConversation(cat!, {
      handle: dan!.handle,
      messageUuid: newMessageUuid(),
      text: 'two',
    });
    const back = await bed
      .newService()
      .startConversation(dan!, { handle: cat!.handle, messageUuid: newMessageUuid(), text: 'three' });
    expect([first.created, again.created, back.created]).toEqual([true, false, false]);
    expect(new Set([first, again, back].map((r) => r.message_group_uuid)).size).toBe(1);
    const page = await bed.service.listMessages(cat!, first.message_group_uuid);
    expect(page.items.map((m) => m.message)).toEqual(['three', 'two', 'one']);
    expect(await groupItemsOf(bed.db, bed.config.tableName, cat!)).toHaveLength(1);
    expect(await groupItemsOf(bed.db, bed.config.tableName, dan!)).toHaveLength(1);
  });

  it('answers NotFound for an unknown handle and Invalid for oneself', async () => {
    const [eve] = await createPeople(bed.pool, ['eve']);
    const send = (handle: string) =>
      bed.service.startConversation(eve!, { handle, messageUuid: newMessageUuid(), text: 'hi' });
    await expect(send('nobody_here_at_all')).rejects.toMatchObject({ code: 'NotFound' });
    await expect(send(eve!.handle)).rejects.toMatchObject({ code: 'Invalid' });
  });
});

describe('Pattern C', () => {
  let fay: Person, gus: Person, groupUuid: string;
  beforeAll(async () => {
    [fay, gus] = (await createPeople(bed.pool, ['fay', 'gus'])) as [Person, Person];
    ({ groupUuid } = await seedConversation(bed.db, bed.config.tableName, [fay, gus], {
      count: 1,
      firstAt: Date.now() - days(1),
    }));
  });
  const messages = async () => (await bed.service.listMessages(fay, groupUuid, { limit: 100 })).items;

  it('keeps the text exactly as typed, line endings normalised', async () => {
    const text = '  two spaces,\r\na tab\there,\rand 🦊 emoji ';
    const sent = await bed.service.sendMessage(fay, { groupUuid, messageUuid: newMessageUuid(), text });
    expect(sent.message).toBe('  two spaces,\na tab\there,\nand 🦊 emoji ');
    expect((await messages())[0]!.message).toBe(sent.message);
  });

  it('accepts 1,024 characters (code points) and rejects 1,025, empty and blank texts, writing nothing', async () => {
    const before = (await messages()).length;
    const send = (text: string) =>
      bed.service.sendMessage(fay, { groupUuid, messageUuid: newMessageUuid(), text });
    await expect(send('🦊'.repeat(1024))).resolves.toMatchObject({ message: '🦊'.repeat(1024) });
    for (const text of ['🦊'.repeat(1025), 'x'.repeat(1025), '', '   \n\t ', '\u200b\u00a0']) {
      await expect(send(text)).rejects.toMatchObject({ code: 'Invalid' });
    }
    expect((await messages()).length).toBe(before + 1);
  });

  it('rejects message uuids that are not version 7, or more than the clock window old or ahead', async () => {
    const send = (messageUuid: string) => bed.service.sendMessage(fay, { groupUuid, messageUuid, text: 'x' });
    await expect(send(crypto.randomUUID())).rejects.toMatchObject({ code: 'Invalid', message: /version 7/ });
    await expect(send(newMessageUuid(Date.now() - days(8)))).rejects.toMatchObject({ message: /behind/ });
    await expect(send(newMessageUuid(Date.now() + 10 * 60_000))).rejects.toMatchObject({ message: /ahead/ });
    await expect(send('not-a-uuid')).rejects.toMatchObject({ code: 'Invalid' });
  });

  it('keeps two messages sent in the same millisecond, in the order they were made', async () => {
    const now = Date.now();
    const [first, second] = [newMessageUuid(now), newMessageUuid(now)];
    await Promise.all([
      bed.service.sendMessage(gus, { groupUuid, messageUuid: second, text: 'same ms B' }),
      bed.service.sendMessage(fay, { groupUuid, messageUuid: first, text: 'same ms A' }),
    ]);
    const latest = (await messages()).slice(0, 2);
    expect(latest.map((m) => m.message)).toEqual(['same ms B', 'same ms A']);
    expect(latest[0]!.created_at).toBe(latest[1]!.created_at);
  });

  it('stores a resent message once and answers the resend with the stored message', async () => {
    const messageUuid = newMessageUuid();
    const input = { groupUuid, messageUuid, text: 'only once' };
    const first = await bed.service.sendMessage(fay, input);
    const resends = await Promise.all([1, 2, 3].map(() => bed.newService().sendMessage(fay, input)));
    expect(resends).toEqual([first, first, first]);
    expect((await messages()).filter((m) => m.message_uuid === messageUuid)).toHaveLength(1);
    await expect(bed.service.sendMessage(fay, { ...input, text: 'something else' })).rejects.toMatchObject({
      code: 'Conflict',
    });
    await expect(bed.service.sendMessage(gus, input)).rejects.toMatchObject({ code: 'Conflict' });
  });

  it('lists what is newer than a position, for pollers, with the overlap before it', async () => {
    const [latest] = await messages();
    const newer = await bed.service.sendMessage(gus, {
      groupUuid,
      messageUuid: newMessageUuid(),
      text: 'new',
    });
    const after = await bed.service.listMessagesAfter(fay, groupUuid, latest!.sk);
    expect(after).toMatchObject({ has_more: false });
    // Oldest first, ending with the new one; the rest is the overlap, which the caller has seen.
    expect(after.items.at(-1)).toEqual(newer);
    expect(after.items.slice(0, -1).every((m) => m.sk <= latest!.sk)).toBe(true);
    expect(after.items.map((m) => m.sk)).toEqual(after.items.map((m) => m.sk).sort());
    const atNewest = (await bed.service.listMessagesAfter(fay, groupUuid, newer.sk)).items;
    expect(atNewest.every((m) => m.sk <= newer.sk)).toBe(true);
    const groups = await bed.service.listConversations(fay);
    const atNewestGroup = (await bed.service.listConversationsAfter(fay, groups.items[0]!.sk)).items;
    expect(atNewestGroup.every((c) => c.sk <= groups.items[0]!.sk)).toBe(true);
    expect((await bed.service.listConversationsAfter(fay, 'GRP#')).items).toEqual(groups.items);
    await expect(bed.service.listMessagesAfter(fay, groupUuid, 'GROUP')).rejects.toMatchObject({
      code: 'Invalid',
    });
  });
});

it('lists conversations from earlier years, and reads them like today’s', async () => {
  const [hal, ida, jo, kim] = await createPeople(bed.pool, ['hal', 'ida', 'jo', 'kim']);
  const longAgo = Date.UTC(2023, 11, 31, 23, 59, 0);
  const lastYear = Date.UTC(new Date().getUTCFullYear() - 1, 5, 1);
  const old = await seedConversation(bed.db, bed.config.tableName, [hal!, ida!], {
    count: 3,
    firstAt: longAgo,
    stepMs: 60_000,
  });
  const recent = await seedConversation(bed.db, bed.config.tableName, [hal!, jo!], {
    count: 2,
    firstAt: lastYear,
  });
  const today = await bed.service.startConversation(hal!, {
    handle: kim!.handle,
    messageUuid: newMessageUuid(),
    text: 'today',
  });

  const groups = await bed.service.listConversations(hal!);
  expect(groups.items.map((g) => g.message_group_uuid)).toEqual([
    today.message_group_uuid,
    recent.groupUuid,
    old.groupUuid,
  ]);
  expect(groups.items[2]!.last_reply_at).toBe('2024-01-01T00:01:00.000Z');
  const oldMessages = await bed.service.listMessages(ida!, old.groupUuid);
  expect(oldMessages.items.map((m) => m.message)).toEqual(['message 2', 'message 1', 'message 0']);
});
