import { DeleteCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { conversationUuidFor } from '../../core/messages/conversation-id';
import { MessageService } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';
import { newMessageUuid } from '../../shared/message-uuid';
import {
  CONVERSATION_SK,
  MESSAGE_GROUP_INDEX,
  groupSk,
  groupPk,
  messagePk,
  type Person,
} from '../../shared/model';
import { freePort } from '../support/local-cloud-setup';
import { testConfig } from '../support/cloud';
import {
  RequestCounter,
  countItems,
  createPeople,
  groupItemsOf,
  fileTestBed,
  seedConversation,
} from '../support/messages';

const bed = fileTestBed('msg-access');

describe('membership', () => {
  it('lets a non-member neither read nor send, and writes nothing', async () => {
    const [ann, ben, mal] = await createPeople(bed.pool, ['ann', 'ben', 'mal']);
    const { message_group_uuid: groupUuid } = await bed.service.startConversation(ann!, {
      handle: ben!.handle,
      messageUuid: newMessageUuid(),
      text: 'private',
    });
    const before = await countItems(bed.db, bed.config.tableName);
    // A fresh service knows nothing; the warm one has the members of this conversation cached.
    for (const service of [bed.newService(), bed.service]) {
      const forbidden = { code: 'Forbidden' };
      await expect(service.listMessages(mal!, groupUuid)).rejects.toMatchObject(forbidden);
      await expect(service.listMessagesAfter(mal!, groupUuid, 'MSG#')).rejects.toMatchObject(forbidden);
      await expect(
        service.sendMessage(mal!, { groupUuid, messageUuid: newMessageUuid(), text: 'let me in' }),
      ).rejects.toMatchObject(forbidden);
    }
    // Nor into a conversation that does not exist (the same answer: its uuid names two people).
    await expect(
      bed.service.sendMessage(mal!, {
        groupUuid: crypto.randomUUID(),
        messageUuid: newMessageUuid(),
        text: 'x',
      }),
    ).rejects.toMatchObject({ code: 'Forbidden' });
    expect(await countItems(bed.db, bed.config.tableName)).toBe(before);
    expect((await bed.service.listConversations(mal!)).items).toEqual([]);
  });
});

describe('Pattern D races and failures', () => {
  it('gives one conversation when both people start it at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const [kai, lin] = (await createPeople(bed.pool, ['kai', 'lin'])) as [Person, Person];
      const results = await Promise.all([
        bed
          .newService()
          .startConversation(kai, { handle: lin.handle, messageUuid: newMessageUuid(), text: 'hi lin' }),
        bed
          .newService()
          .startConversation(lin, { handle: kai.handle, messageUuid: newMessageUuid(), text: 'hi kai' }),
        bed
          .newService()
          .startConversation(kai, { handle: lin.handle, messageUuid: newMessageUuid(), text: 'again' }),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.message_group_uuid))).toEqual(
        new Set([conversationUuidFor(kai.uuid, lin.uuid)]),
      );
      expect(await groupItemsOf(bed.db, bed.config.tableName, kai)).toHaveLength(1);
      expect(await groupItemsOf(bed.db, bed.config.tableName, lin)).toHaveLength(1);
      const page = await bed.service.listMessages(kai, results[0]!.message_group_uuid);
      expect(page.items.map((m) => m.message).sort()).toEqual(['again', 'hi kai', 'hi lin']);
    }
  });

  it('keeps one group item per member on a conversation that has group items but no conversation item', async () => {
    const [uma, vic] = (await createPeople(bed.pool, ['uma', 'vic'])) as [Person, Person];
    // Older data, or an admin deleted the conversation item: the group items are all that is left.
    const { groupUuid } = await seedConversation(bed.db, bed.config.tableName, [uma, vic], {
      count: 3,
      firstAt: Date.now() - 60_000,
    });
    await bed.db.send(
      new DeleteCommand({
        TableName: bed.config.tableName,
        Key: { pk: messagePk(groupUuid), sk: CONVERSATION_SK },
      }),
    );
    const started = await bed
      .newService()
      .startConversation(uma, { handle: vic.handle, messageUuid: newMessageUuid(), text: 'still here?' });
    const gsi = await bed.db.send(
      new QueryCommand({
        TableName: bed.config.tableName,
        IndexName: MESSAGE_GROUP_INDEX,
        KeyConditionExpression: 'message_group_uuid = :group',
        ExpressionAttributeValues: { ':group': groupUuid },
      }),
    );
    const owners = (gsi.Items ?? []).map((item) => String(item['pk'])).sort();
    expect(owners).toEqual([groupPk(uma.uuid), groupPk(vic.uuid)].sort());
    expect(started).toMatchObject({ message_group_uuid: groupUuid, created: false });
    const page = await bed.service.listMessages(vic, groupUuid);
    expect(page.items[0]).toMatchObject({ message: 'still here?', user_uuid: uma.uuid });
  });

  it('leaves no partial items when its transaction fails', async () => {
    const [ned, ola] = (await createPeople(bed.pool, ['ned', 'ola'])) as [Person, Person];
    const messageUuid = newMessageUuid();
    const groupUuid = conversationUuidFor(ned.uuid, ola.uuid);
    const createdAt = new Date(
      parseInt(messageUuid.slice(0, 8) + messageUuid.slice(9, 13), 16),
    ).toISOString();
    // Something already sits where ola's group item would go, so the last Put's condition fails.
    await bed.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: bed.config.tableName,
              Item: { pk: groupPk(ola.uuid), sk: groupSk(createdAt, groupUuid) },
            },
          },
        ],
      }),
    );
    const before = await countItems(bed.db, bed.config.tableName);
    await expect(
      bed.service.startConversation(ned, { handle: ola.handle, messageUuid, text: 'hello' }),
    ).rejects.toMatchObject({ code: 'Conflict' });
    expect(await countItems(bed.db, bed.config.tableName)).toBe(before);
    await expect(bed.service.listMessages(ned, groupUuid)).rejects.toMatchObject({ code: 'Forbidden' });
    expect(messagePk(groupUuid)).toBe(`MSG#${groupUuid}`);
  });
});

describe('DynamoDB requests per action', () => {
  it('costs one request per action in steady state', async () => {
    const [pia, quin, ray] = (await createPeople(bed.pool, ['pia', 'quin', 'ray'])) as [
      Person,
      Person,
      Person,
    ];
    const service = bed.newService();
    const requests = new RequestCounter(bed.db);
    const counts: Record<string, number> = {};
    const measure = async (action: string, work: () => Promise<unknown>) => {
      counts[action] = await requests.during(work);
    };
    const send = (caller: Person, groupUuid: string, text: string) =>
      service.sendMessage(caller, { groupUuid, messageUuid: newMessageUuid(), text });

    let groupUuid = '';
    await measure('D, new conversation', async () => {
      ({ message_group_uuid: groupUuid } = await service.startConversation(pia, {
        handle: quin.handle,
        messageUuid: newMessageUuid(),
        text: 'a',
      }));
    });
    await measure('D, existing, cached', () =>
      service.startConversation(pia, { handle: quin.handle, messageUuid: newMessageUuid(), text: 'b' }),
    );
    await measure('D, existing, not cached', () =>
      bed
        .newService()
        .startConversation(quin, { handle: pia.handle, messageUuid: newMessageUuid(), text: 'c' }),
    );
    await measure('A, first read (membership looked up)', () =>
      bed.newService().listMessages(quin, groupUuid),
    );
    await measure('A, steady', () => service.listMessages(quin, groupUuid));
    await measure('A after (poll), steady', () => service.listMessagesAfter(quin, groupUuid, 'MSG#'));
    await measure('C, steady', () => send(quin, groupUuid, 'd'));
    await measure('B', () => service.listConversations(ray));
    await measure('B after (poll)', () => service.listConversationsAfter(ray, 'GRP#'));
    const other = bed.newService();
    await measure('B, then A and C in a fresh service', async () => {
      await other.listConversations(pia);
      await other.listMessages(pia, groupUuid);
      await other.sendMessage(pia, { groupUuid, messageUuid: newMessageUuid(), text: 'e' });
    });
    console.info('DynamoDB requests per action:', counts);

    expect(counts).toEqual({
      'D, new conversation': 2,
      'D, existing, cached': 1,
      'D, existing, not cached': 2,
      'A, first read (membership looked up)': 2,
      'A, steady': 1,
      'A after (poll), steady': 1,
      'C, steady': 1,
      B: 1,
      'B after (poll)': 1,
      'B, then A and C in a fresh service': 3,
    });
  });
});

describe('unreachable services', () => {
  const closedPort = async () => `http://127.0.0.1:${await freePort()}`;

  it('answers Unavailable within seconds when DynamoDB cannot be reached', async () => {
    const config = testConfig({ CRUDDUR_DYNAMODB_ENDPOINT: await closedPort() });
    const db = createDynamoClient(config);
    const service = new MessageService({ db, tableName: config.tableName, directory: bed.directory });
    const [sam] = (await createPeople(bed.pool, ['sam'])) as [Person];
    for (const action of [
      () => service.listConversations(sam),
      () => service.listMessages(sam, crypto.randomUUID()),
      () =>
        service.sendMessage(sam, {
          groupUuid: crypto.randomUUID(),
          messageUuid: newMessageUuid(),
          text: 'x',
        }),
    ]) {
      const started = Date.now();
      await expect(action()).rejects.toMatchObject({ code: 'Unavailable', message: /DynamoDB/ });
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    db.destroy();
  });

  it('answers Unavailable within seconds when PostgreSQL cannot be reached', async () => {
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
      connectionTimeoutMillis: 2_000,
    });
    const service = new MessageService({
      db: bed.db,
      tableName: bed.config.tableName,
      directory: new UserDirectory(pool),
    });
    const [tia] = (await createPeople(bed.pool, ['tia'])) as [Person];
    const started = Date.now();
    await expect(
      service.startConversation(tia, { handle: 'anyone', messageUuid: newMessageUuid(), text: 'x' }),
    ).rejects.toMatchObject({ code: 'Unavailable', message: /PostgreSQL/ });
    expect(Date.now() - started).toBeLessThan(5_000);
    await pool.end();
  });
});
