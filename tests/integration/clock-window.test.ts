import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { MessageService } from '../../core/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import type { MessageView } from '../../shared/messages';
import type { Person } from '../../shared/model';
import { createPeople, messageTestBed, seedConversation, type MessageTestBed } from '../support/messages';

let bed: MessageTestBed;
beforeAll(async () => {
  bed = await messageTestBed('clock-window');
});
afterAll(() => bed.close());

const MINUTE = 60_000;

/** A conversation of `people` with one message a minute ago, so nothing else sorts near now. */
async function conversationOf(people: [Person, Person]): Promise<string> {
  const seeded = await seedConversation(bed.db, bed.config.tableName, people, {
    count: 1,
    firstAt: Date.now() - 30 * MINUTE,
  });
  return seeded.groupUuid;
}

/** What a renderer holds after a read and then a poll: one copy per message uuid. */
const merged = (seen: MessageView[], polled: MessageView[]): MessageView[] => [
  ...new Map([...seen, ...polled].map((message) => [message.message_uuid, message])).values(),
];

describe('what is new does not depend on the sender’s clock', () => {
  it('returns a message whose uuid time is 90 s behind the newest one seen', async () => {
    const [fay, gus] = (await createPeople(bed.pool, ['fay', 'gus'])) as [Person, Person];
    const groupUuid = await conversationOf([fay, gus]);
    const newest = await bed.service.sendMessage(fay, {
      groupUuid,
      messageUuid: newMessageUuid(),
      text: 'now',
    });
    const seen = (await bed.service.listMessages(fay, groupUuid)).items;

    // gus's computer is 90 s slow: his uuid's time (and so the key) sorts below fay's message.
    const late = await bed
      .newService()
      .sendMessage(gus, { groupUuid, messageUuid: newMessageUuid(Date.now() - 90_000), text: 'slow clock' });
    expect(late.sk < newest.sk).toBe(true);

    const polled = await bed.service.listMessagesAfter(fay, groupUuid, newest.sk);
    expect(polled.items.map((m) => m.message_uuid)).toContain(late.message_uuid);
    const held = merged(seen, polled.items);
    expect(held.filter((m) => m.message_uuid === late.message_uuid)).toHaveLength(1);
    expect(held).toHaveLength(seen.length + 1);
  });

  it('returns a conversation whose last reply sorts 90 s behind the newest one seen', async () => {
    const [hal, ida, jo] = (await createPeople(bed.pool, ['hal', 'ida', 'jo'])) as [Person, Person, Person];
    await bed.service.startConversation(hal, {
      handle: ida.handle,
      messageUuid: newMessageUuid(),
      text: 'hi',
    });
    const seen = (await bed.service.listConversations(hal)).items;
    // jo's first message to hal, from a clock 90 s slow, with both group items (as Pattern D writes).
    const { groupUuid } = await seedConversation(bed.db, bed.config.tableName, [jo, hal], {
      count: 1,
      firstAt: Date.now() - 90_000,
    });

    const polled = await bed.service.listConversationsAfter(hal, seen[0]!.sk);
    expect(polled.items.map((c) => c.message_group_uuid)).toContain(groupUuid);
  });

  it('still gets past a window that holds more than a page', async () => {
    const [kai, lin] = (await createPeople(bed.pool, ['kai', 'lin'])) as [Person, Person];
    const { groupUuid, messages } = await seedConversation(bed.db, bed.config.tableName, [kai, lin], {
      count: 8,
      firstAt: Date.now() - MINUTE,
      stepMs: 1_000,
    });
    const fresh = await bed.service.sendMessage(lin, {
      groupUuid,
      messageUuid: newMessageUuid(),
      text: 'new',
    });

    // A poller: ask after the newest key it has until nothing more is said to be there.
    let position = messages.at(-1)!.sk;
    const polled: MessageView[] = [];
    for (let round = 0; round < 5; round++) {
      const page = await bed.service.listMessagesAfter(kai, groupUuid, position, { limit: 3 });
      polled.push(...page.items);
      position = page.items.reduce((newest, m) => (m.sk > newest ? m.sk : newest), position);
      if (!page.has_more) break;
    }
    expect(polled.map((m) => m.message_uuid)).toContain(fresh.message_uuid);
  });
});

describe('the clock window of a new message', () => {
  let mo: Person, ned: Person, groupUuid: string;
  beforeAll(async () => {
    [mo, ned] = (await createPeople(bed.pool, ['mo', 'ned'])) as [Person, Person];
    groupUuid = await conversationOf([mo, ned]);
  });
  const stored = async () => (await bed.service.listMessages(mo, groupUuid, { limit: 100 })).items;

  it('refuses a new message whose uuid time is more than the window from the service’s clock', async () => {
    const before = await stored();
    const send = (at: number) =>
      bed.service.sendMessage(mo, { groupUuid, messageUuid: newMessageUuid(at), text: 'x' });
    await expect(send(Date.now() - 3 * MINUTE)).rejects.toMatchObject({
      code: 'Invalid',
      message: /more than 2 minutes behind the service's clock/,
      // Nothing is stored under it, so the renderer's Retry may send the text under a new uuid.
      reason: 'MessageUuidExpired',
    });
    await expect(send(Date.now() + 3 * MINUTE)).rejects.toMatchObject({
      code: 'Invalid',
      message: /more than 2 minutes ahead of the service's clock/,
    });
    await expect(send(Date.now() - 100_000)).resolves.toMatchObject({ message: 'x' });
    expect(await stored()).toHaveLength(before.length + 1);
  });

  it('answers a resend of a stored message with the stored copy, however late', async () => {
    const input = { groupUuid, messageUuid: newMessageUuid(), text: 'sent once' };
    const first = await bed.service.sendMessage(mo, input);
    const count = (await stored()).length;
    for (const lateBy of [10 * MINUTE, 8 * 24 * 60 * MINUTE]) {
      const later = new MessageService({
        db: bed.db,
        tableName: bed.config.tableName,
        directory: bed.directory,
        now: () => Date.now() + lateBy,
      });
      await expect(later.sendMessage(mo, input)).resolves.toEqual(first);
      await expect(later.sendMessage(mo, { ...input, text: 'changed' })).rejects.toMatchObject({
        code: 'Conflict',
      });
      await expect(later.sendMessage(ned, input)).rejects.toMatchObject({ code: 'Conflict' });
    }
    expect(await stored()).toHaveLength(count);
  });

  it('answers a late resend of a conversation’s first message with the stored copy', async () => {
    const [oz, pam] = (await createPeople(bed.pool, ['oz', 'pam'])) as [Person, Person];
    const input = { handle: pam.handle, messageUuid: newMessageUuid(), text: 'first' };
    const started = await bed.service.startConversation(oz, input);
    const later = new MessageService({
      db: bed.db,
      tableName: bed.config.tableName,
      directory: bed.directory,
      now: () => Date.now() + 10 * MINUTE,
    });
    await expect(later.startConversation(oz, input)).resolves.toMatchObject({
      message_group_uuid: started.message_group_uuid,
      created: false,
      message: started.message,
    });
    await expect(
      later.startConversation(oz, { ...input, messageUuid: newMessageUuid() }),
    ).rejects.toMatchObject({
      code: 'Invalid',
    });
  });
});

/** DynamoDB Local behind a proxy whose Date header says the server's clock is `skewMs` ahead. */
async function skewedDynamo(target: string, skewMs: number): Promise<{ endpoint: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (response) => {
        const headers = { ...response.headers, date: new Date(Date.now() + skewMs).toUTCString() };
        outgoing.writeHead(response.statusCode ?? 502, headers);
        response.pipe(outgoing);
      },
    );
    incoming.pipe(forward);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

it('takes the time from the clock the SDK corrects: on a computer 10 minutes slow, its own clock is refused', async () => {
  const [quin, ray] = (await createPeople(bed.pool, ['quin', 'ray'])) as [Person, Person];
  const groupUuid = await conversationOf([quin, ray]);
  const { endpoint, server } = await skewedDynamo(bed.config.dynamodbEndpoint!, 10 * MINUTE);
  const db = createDynamoClient({ ...bed.config, dynamodbEndpoint: endpoint });
  const service = new MessageService({ db, tableName: bed.config.tableName, directory: bed.directory });
  try {
    await service.listConversations(quin); // any response: the SDK learns the server's time
    await expect(
      service.sendMessage(quin, { groupUuid, messageUuid: newMessageUuid(Date.now()), text: 'own clock' }),
    ).rejects.toMatchObject({ code: 'Invalid', message: /behind the service's clock/ });
    await expect(
      service.sendMessage(quin, {
        groupUuid,
        messageUuid: newMessageUuid(Date.now() + 10 * MINUTE),
        text: 'service clock',
      }),
    ).resolves.toMatchObject({ message: 'service clock' });
  } finally {
    db.destroy();
    server.close();
  }
});
