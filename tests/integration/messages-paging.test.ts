import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateCursorSecret } from '../../core/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import { type Person } from '../../shared/model';
import { messageGroupItem, messageItem, type MessageItem } from '../../core/messages/items';
import type { Page } from '../../shared/messages';
import { testConfig } from '../support/cloud';
import {
  batchPut,
  createPeople,
  messageTestBed,
  seedConversation,
  type MessageTestBed,
} from '../support/messages';

let bed: MessageTestBed;
let ann: Person, ben: Person, cid: Person;
let groupUuid: string;
let seeded: MessageItem[];

beforeAll(async () => {
  bed = await messageTestBed('msg-paging');
  [ann, ben, cid] = (await createPeople(bed.pool, ['ann', 'ben', 'cid'])) as [Person, Person, Person];
  // 1,050 messages over more than two years, so pages cross New Year twice.
  const started = Date.now();
  ({ groupUuid, messages: seeded } = await seedConversation(bed.db, bed.config.tableName, [ann, ben], {
    count: 1_050,
    firstAt: Date.UTC(2023, 10, 1),
    stepMs: 24 * 60 * 60 * 1000,
  }));
  console.info(`seeded 1,050 messages with BatchWriteItem in ${Date.now() - started} ms`);
});
afterAll(() => bed.close());

async function readAll<T>(
  read: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    pages += 1;
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return { items, pages };
}

describe('Pattern A paging', () => {
  it('returns every message of a 1,050-message conversation exactly once, newest first', async () => {
    const expected = seeded.map((m) => m.message_uuid).reverse();
    for (const limit of [undefined, 100]) {
      const { items, pages } = await readAll((cursor) =>
        bed.service.listMessages(ann, groupUuid, { limit, cursor }),
      );
      expect(items.map((m) => m.message_uuid)).toEqual(expected);
      expect(pages).toBe(Math.ceil(1_050 / (limit ?? 50)));
    }
  });

  it('takes page sizes from 1 to 100 only', async () => {
    for (const limit of [0, 101, 2.5]) {
      await expect(bed.service.listMessages(ann, groupUuid, { limit })).rejects.toMatchObject({
        code: 'Invalid',
      });
    }
  });
});

describe('Pattern B paging', () => {
  it('returns every conversation once, most recent reply first', async () => {
    const others = Array.from({ length: 130 }, (_, i) => ({
      uuid: crypto.randomUUID(),
      handle: `other${i}`,
      display_name: `Other ${i}`,
    }));
    const lasts = others.map((other, i) => {
      const at = Date.UTC(2022, 0, 1) + i * 3_600_000;
      return messageItem(
        crypto.randomUUID(),
        other,
        newMessageUuid(at),
        `last ${i}`,
        new Date(at).toISOString(),
      );
    });
    await batchPut(
      bed.db,
      bed.config.tableName,
      others.map((other, i) => messageGroupItem(lasts[i]!.pk.slice(4), cid, other, lasts[i]!)),
    );
    const { items, pages } = await readAll((cursor) =>
      bed.service.listConversations(cid, { limit: 40, cursor }),
    );
    expect(items.map((g) => g.handle)).toEqual(others.map((o) => o.handle).reverse());
    expect(pages).toBe(4);
  });
});

describe('cursors', () => {
  let cursor: string;
  beforeAll(async () => {
    cursor = (await bed.service.listMessages(ann, groupUuid, { limit: 10 })).cursor!;
  });
  const rejects = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ code: 'Invalid' });

  it('are opaque base64url', () => {
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('reject a tampered, truncated or made-up cursor', async () => {
    const [payload, signature] = cursor.split('.') as [string, string];
    const key = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { pk: string; sk: string };
    const forged = Buffer.from(JSON.stringify({ ...key, sk: 'MSG#2020' })).toString('base64url');
    for (const bad of [
      `${forged}.${signature}`,
      `${payload}.${signature.slice(1)}`,
      payload,
      'garbage',
      `${payload}.${signature}.x`,
      'x'.repeat(3000),
    ]) {
      await rejects(bed.service.listMessages(ann, groupUuid, { cursor: bad }));
    }
  });

  it("reject another person's cursor, another conversation's, and Pattern B's in Pattern A", async () => {
    await rejects(bed.service.listMessages(ben, groupUuid, { cursor }));
    const other = await bed.service.startConversation(ann, {
      handle: cid.handle,
      messageUuid: newMessageUuid(),
      text: 'x',
    });
    await rejects(bed.service.listMessages(ann, other.message_group_uuid, { cursor }));
    const groupsCursor = (await bed.service.listConversations(cid, { limit: 1 })).cursor!;
    await rejects(bed.service.listMessages(cid, other.message_group_uuid, { cursor: groupsCursor }));
    await rejects(bed.service.listConversations(ann, { cursor }));
  });

  it('hold across processes only when they share the secret', async () => {
    await rejects(bed.newService().listMessages(ann, groupUuid, { cursor }));
    const file = `${testConfig().localDir}/cursor-secret-${randomBytes(4).toString('hex')}`;
    const [first, second] = [loadOrCreateCursorSecret(file), loadOrCreateCursorSecret(file)];
    expect(first.equals(second)).toBe(true);
    const shared = (await bed.newService({ cursorSecret: first }).listMessages(ann, groupUuid, { limit: 5 }))
      .cursor!;
    const next = await bed
      .newService({ cursorSecret: second })
      .listMessages(ann, groupUuid, { cursor: shared });
    expect(next.items[0]!.message_uuid).toBe(seeded.at(-6)!.message_uuid);
  });
});
