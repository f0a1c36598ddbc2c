import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_LOADED_THREADS,
  MessageCache,
  type MessageCacheOptions,
} from '../../electron/main/message-cache';
import { SealedDir } from '../../electron/main/sealed-dir';
import type { ConversationView, MessageView, Page } from '../../shared/messages';
import { captureLog } from '../support/log-capture';
import { TestCipher } from '../support/test-cipher';

let root: string;
let cipher: TestCipher;
const me = randomUUID();
const other = randomUUID();
const BIG = 50 * 1024 * 1024;
const T0 = Date.parse('2025-03-01T10:00:00.000Z');

beforeEach(async () => {
  root = join(await mkdtemp(join(tmpdir(), 'cruddur-cache-')), 'cache');
  cipher = new TestCipher();
  captureLog();
});
afterEach(async () => {
  vi.restoreAllMocks();
  // A cache left open would flush into the folder while it is deleted.
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
  await rm(join(root, '..'), { recursive: true, force: true });
});

const opened: MessageCache[] = [];
async function open(options: Partial<MessageCacheOptions> = {}): Promise<MessageCache> {
  const cache = await MessageCache.open({
    root,
    personUuid: me,
    secrets: cipher,
    limitBytes: BIG,
    flushDelayMs: 10,
    ...options,
  });
  opened.push(cache);
  return cache;
}

/** Message number `n` of a conversation: its time orders it. */
function message(n: number, text = `message ${n}`): MessageView {
  const created_at = new Date(T0 + n * 1000).toISOString();
  const message_uuid = randomUUID();
  return {
    message_uuid,
    message: text,
    created_at,
    user_uuid: other,
    handle: 'bayko',
    display_name: 'Bayko',
    sk: `MSG#${created_at}#${message_uuid}`,
  };
}

/** A page as DynamoDB gives it: newest first. */
const page = <T>(items: T[], cursor: string | null): Page<T> => ({
  items: [...items].reverse(),
  cursor,
  consumed_capacity: 1,
});

function conversation(group: string, minute: number, unread = 0): ConversationView {
  const last_reply_at = new Date(T0 + minute * 60_000).toISOString();
  return {
    message_group_uuid: group,
    message: `last in ${group.slice(0, 4)}`,
    last_reply_at,
    user_uuid: other,
    handle: 'bayko',
    display_name: 'Bayko',
    sk: `GRP#${last_reply_at}#${group}`,
    unread_count: unread,
  };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
const folder = (person = me) => SealedDir.dirOf(root, person);
const files = async (person = me) => readdir(folder(person)).catch(() => [] as string[]);
const sealedFiles = async (person = me) => (await files(person)).filter((f) => f !== 'key.bin');
/** The real path of a thread's file, from a second opening of the folder (same key). */
async function threadFile(group: string, person = me): Promise<string> {
  return (await SealedDir.open(root, person, cipher))!.pathOf(`thread:${group}`);
}
const uuidsOf = (messages: MessageView[]) => messages.map((m) => m.message_uuid);

describe('message cache', () => {
  it('survives a reopen: the list, a thread, its cursor and sync point, the last conversation', async () => {
    const group = randomUUID();
    const cache = await open();
    cache.putConversationPage(page([conversation(group, 1, 2)], 'list-cursor'), undefined);
    const first = range(1, 5);
    await cache.putNewestPage(group, page(first, 'older-cursor'));
    const news = [message(6), message(7)];
    await cache.addNews(group, news);
    cache.setLastConversation(group);
    await cache.close();

    const again = await open();
    expect(again.conversations()).toEqual({ items: [conversation(group, 1, 2)], cursor: 'list-cursor' });
    expect(again.lastConversation()).toBe(group);
    expect(again.stats()).toMatchObject({ conversations: 1, threads: 1, messages: 7, loadedThreads: 0 });
    const thread = await again.thread(group);
    expect(thread).toEqual({
      messages: [...first, ...news],
      olderCursor: 'older-cursor',
      syncedSk: news[1]!.sk,
    });
    expect(again.stats().loadedThreads).toBe(1);
    expect(await again.thread(randomUUID())).toBeUndefined();
  });

  it('merges a newest page that reaches syncedSk, and replaces the thread with one that does not', async () => {
    const group = randomUUID();
    const cache = await open();
    const all = range(1, 30);
    await cache.putNewestPage(group, page(all.slice(4, 10), 'cursor-5'));
    // Overlaps what is known: merged, the thread keeps its own older cursor.
    await cache.putNewestPage(group, page(all.slice(8, 14), 'cursor-9'));
    expect(await cache.thread(group)).toEqual({
      messages: all.slice(4, 14),
      olderCursor: 'cursor-5',
      syncedSk: all[13]!.sk,
    });
    // Wholly newer than syncedSk: a hole would be between them, so the page is the thread now.
    await cache.putNewestPage(group, page(all.slice(20, 25), 'cursor-21'));
    expect(await cache.thread(group)).toEqual({
      messages: all.slice(20, 25),
      olderCursor: 'cursor-21',
      syncedSk: all[24]!.sk,
    });
    // The whole conversation (no cursor) reaches anything: merged.
    await cache.putNewestPage(group, page(all.slice(25, 27), null));
    expect(uuidsOf((await cache.thread(group))!.messages)).toEqual(uuidsOf(all.slice(20, 27)));
  });

  it('advances syncedSk with polled news, not with my own sends', async () => {
    const group = randomUUID();
    const cache = await open();
    const all = range(1, 20);
    await cache.putNewestPage(group, page(all.slice(0, 5), 'c'));
    await cache.addNews(group, all.slice(5, 7));
    expect((await cache.thread(group))!.syncedSk).toBe(all[6]!.sk);

    const mine = { ...all[12]!, user_uuid: me, handle: 'me', display_name: 'Me' };
    await cache.addSent(group, mine);
    const thread = (await cache.thread(group))!;
    expect(thread.syncedSk).toBe(all[6]!.sk);
    expect(thread.messages.at(-1)).toEqual(mine);
    // A page from after the sync point but before my send does not reach what is synced: replaced.
    await cache.putNewestPage(group, page(all.slice(9, 13), 'c10'));
    expect(await cache.thread(group)).toMatchObject({ messages: all.slice(9, 13), olderCursor: 'c10' });

    // Neither is kept for a conversation that is not cached.
    const unknown = randomUUID();
    await cache.addNews(unknown, [message(40)]);
    await cache.addSent(unknown, message(41));
    expect(await cache.thread(unknown)).toBeUndefined();
  });

  it('extends a thread with an older page only when it was read with the thread own cursor', async () => {
    const group = randomUUID();
    const cache = await open();
    const all = range(1, 15);
    await cache.putNewestPage(group, page(all.slice(10), 'c11'));
    await cache.putOlderPage(group, 'some-other-cursor', page(all.slice(0, 5), null));
    expect(await cache.thread(group)).toMatchObject({ messages: all.slice(10), olderCursor: 'c11' });
    await cache.putOlderPage(group, 'c11', page(all.slice(5, 10), 'c6'));
    expect(await cache.thread(group)).toMatchObject({ messages: all.slice(5), olderCursor: 'c6' });
    await cache.putOlderPage(group, 'c6', page(all.slice(0, 5), null));
    expect(await cache.thread(group)).toMatchObject({ messages: all, olderCursor: null });
  });

  it('keeps one copy of each message, the newest copy winning', async () => {
    const group = randomUUID();
    const cache = await open();
    const all = range(1, 6);
    await cache.putNewestPage(group, page(all.slice(0, 4), null));
    await cache.putNewestPage(group, page(all.slice(1, 5), null));
    const again = { ...all[2]!, display_name: 'Bayko B.' };
    await cache.addNews(group, [again, all[5]!, all[5]!]);
    await cache.addSent(group, all[3]!);
    const { messages } = (await cache.thread(group))!;
    expect(uuidsOf(messages)).toEqual(uuidsOf(all));
    expect(messages[2]!.display_name).toBe('Bayko B.');
    expect(cache.stats().messages).toBe(6);
  });

  it('merges conversations as the renderer does, and moves the list cursor only from the cached one', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const cache = await open();
    expect(cache.conversations()).toBeUndefined();
    // A deeper page with no list: nothing to extend.
    cache.putConversationPage(page([conversation(c, 1)], 'x'), 'x');
    expect(cache.conversations()).toBeUndefined();

    cache.putConversationPage(page([conversation(b, 2), conversation(a, 3, 4)], 'p2'), undefined);
    cache.putConversationPage(page([conversation(c, 1)], 'p3'), 'not-the-cursor');
    expect(cache.conversations()!.cursor).toBe('p2');
    cache.putConversationPage(page([conversation(c, 1)], null), 'p2');
    expect(cache.conversations()!.cursor).toBeNull();
    // A first page later keeps the cursor of the deeper pages the cache holds.
    cache.putConversationPage(page([conversation(a, 3, 9)], 'p2-again'), undefined);
    expect(cache.conversations()!.cursor).toBeNull();
    // Same last reply: the lower count wins (a mark I moved is not undone by an older read).
    expect(cache.conversations()!.items.map((x) => [x.message_group_uuid, x.unread_count])).toEqual([
      [a, 4],
      [b, 0],
      [c, 0],
    ]);
    // A newer last reply wins whatever its count, and moves to the top.
    cache.upsertConversations([conversation(c, 5, 7)]);
    cache.setUnread(b, 3);
    cache.setUnread(randomUUID(), 1);
    expect(cache.conversations()!.items.map((x) => [x.message_group_uuid, x.unread_count])).toEqual([
      [c, 7],
      [a, 4],
      [b, 3],
    ]);
    // An older copy loses.
    cache.upsertConversations([conversation(c, 4, 0)]);
    expect(cache.conversations()!.items[0]).toEqual(conversation(c, 5, 7));

    await cache.putNewestPage(c, page(range(1, 3), null));
    cache.setLastConversation(c);
    await cache.remove(c);
    expect(cache.conversations()!.items.map((x) => x.message_group_uuid)).toEqual([a, b]);
    expect(await cache.thread(c)).toBeUndefined();
    expect(cache.lastConversation()).toBeNull();
    await cache.close();
    expect((await open()).conversations()!.items.map((x) => x.message_group_uuid)).toEqual([a, b]);
  });

  it('evicts the least recently used threads over the cap, never the one used last', async () => {
    const groups = Array.from({ length: 5 }, () => randomUUID());
    const cache = await open();
    cache.putConversationPage(
      page(
        groups.map((g, i) => conversation(g, i)),
        null,
      ),
      undefined,
    );
    // Random text does not compress: each file is a few kB.
    for (const group of groups)
      await cache.putNewestPage(group, page([message(1, randomBytes(1500).toString('base64'))], null));
    await cache.flush();
    const full = cache.stats().bytes;
    expect(await sealedFiles()).toHaveLength(6);
    const removed = await threadFile(groups[1]!);
    await stat(removed);

    await cache.thread(groups[0]!); // the oldest put, now the one used last
    cache.setLimit(Math.floor(full / 2));
    await cache.flush();
    const stats = cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(Math.floor(full / 2));
    expect(stats.threads).toBeLessThan(5);
    expect(stats.conversations).toBe(5);
    expect(await sealedFiles()).toHaveLength(stats.threads + 1);
    await expect(stat(removed)).rejects.toThrow(/ENOENT/);
    expect(await cache.thread(groups[0]!)).toBeDefined();
    expect(await cache.thread(groups[1]!)).toBeUndefined();
    expect(await cache.thread(groups[4]!)).toBeDefined(); // the newest put stays
    await cache.close();

    // Even under a cap nothing fits in, the thread used last stays.
    const again = await open({ limitBytes: 1 });
    await again.flush();
    expect(again.stats().threads).toBe(1);
    expect(await again.thread(groups[4]!)).toBeDefined();
  });

  it(`keeps at most ${MAX_LOADED_THREADS} threads in memory; the others are read from their files`, async () => {
    const groups = Array.from({ length: MAX_LOADED_THREADS + 5 }, () => randomUUID());
    const cache = await open();
    for (const group of groups) await cache.putNewestPage(group, page([message(1)], null));
    await cache.flush();
    expect(cache.stats()).toMatchObject({ threads: groups.length, loadedThreads: MAX_LOADED_THREADS });
    expect((await cache.thread(groups[0]!))!.messages).toHaveLength(1);
    expect(cache.stats().loadedThreads).toBe(MAX_LOADED_THREADS);
  });

  it('keeps no message text, handle or name on disk, and no uuid in a file name', async () => {
    const group = randomUUID();
    const cache = await open();
    const secret = {
      ...message(1, 'the eagle lands at dawn'),
      handle: 'zanzibar_quux',
      display_name: 'Philippa Oddsock',
    };
    cache.putConversationPage(
      page(
        [
          {
            ...conversation(group, 1),
            message: secret.message,
            handle: secret.handle,
            display_name: secret.display_name,
          },
        ],
        null,
      ),
      undefined,
    );
    await cache.putNewestPage(group, page([secret], null));
    await cache.close();
    const names = await files();
    expect(names.length).toBe(3);
    const bytes = Buffer.concat(await Promise.all(names.map((name) => readFile(join(folder(), name)))));
    for (const text of ['the eagle lands', 'zanzibar_quux', 'Philippa Oddsock', group, me])
      for (const encoding of ['utf8', 'latin1', 'utf16le'] as const)
        expect(bytes.includes(Buffer.from(text, encoding))).toBe(false);
    expect(names.join() + folder()).not.toContain(me);
    expect(names.join()).not.toContain(group);
  });

  it('starts empty when the index is truncated, deleting the threads it named', async () => {
    const group = randomUUID();
    const cache = await open();
    cache.putConversationPage(page([conversation(group, 1)], null), undefined);
    await cache.putNewestPage(group, page(range(1, 3), null));
    await cache.close();
    const index = (await SealedDir.open(root, me, cipher))!.pathOf('index');
    await writeFile(index, (await readFile(index)).subarray(0, 20));

    const log = captureLog();
    const again = await open();
    expect(again.conversations()).toBeUndefined();
    expect(await again.thread(group)).toBeUndefined();
    expect(again.stats()).toMatchObject({ threads: 0, bytes: 0 });
    expect(await sealedFiles()).toEqual([]);
    expect(log.text()).toMatch(/could not be read/);
  });

  it('drops a thread whose file is damaged or another person’s, keeping the rest', async () => {
    const [damaged, swapped, fine] = [randomUUID(), randomUUID(), randomUUID()];
    const cache = await open();
    const theirs = await open({ personUuid: other });
    cache.putConversationPage(page([conversation(damaged, 1), conversation(swapped, 2)], null), undefined);
    for (const group of [damaged, swapped, fine]) await cache.putNewestPage(group, page(range(1, 3), null));
    await theirs.putNewestPage(swapped, page(range(4, 6), null));
    await Promise.all([cache.close(), theirs.close()]);

    const file = await threadFile(damaged);
    const bytes = await readFile(file);
    bytes[bytes.length - 5]! ^= 0x01;
    await writeFile(file, bytes);
    await copyFile(await threadFile(swapped, other), await threadFile(swapped));

    const log = captureLog();
    const again = await open();
    expect(await again.thread(damaged)).toBeUndefined();
    expect(await again.thread(swapped)).toBeUndefined();
    expect(uuidsOf((await again.thread(fine))!.messages)).toHaveLength(3);
    expect(again.stats()).toMatchObject({ threads: 1, conversations: 2 });
    expect(log.entries.filter((e) => e.level === 'warn')).toHaveLength(2);
    await again.close();
    expect(await sealedFiles()).toHaveLength(2);
    expect((await open()).stats().threads).toBe(1);
  });

  it('starts clean when the folder was sealed under another keychain', async () => {
    const group = randomUUID();
    const cache = await open();
    await cache.putNewestPage(group, page(range(1, 3), null));
    await cache.close();
    cipher = new TestCipher();
    const again = await open();
    expect(again.stats().threads).toBe(0);
    expect(await again.thread(group)).toBeUndefined();
    expect(await sealedFiles()).toEqual([]);
  });

  it('wipes the folder, also a write pending when it began, and without opening', async () => {
    const group = randomUUID();
    const cache = await open({ flushDelayMs: 5 });
    await cache.putNewestPage(group, page(range(1, 3), null));
    await cache.flush();
    await cache.addNews(group, [message(4)]);
    cache.setLastConversation(group);
    await cache.wipe();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(stat(folder())).rejects.toThrow(/ENOENT/);
    expect(cache.conversations()).toBeUndefined();
    expect(cache.lastConversation()).toBeNull();
    expect(await cache.thread(group)).toBeUndefined();
    await cache.addNews(group, [message(5)]);
    await cache.flush();
    await cache.close();
    await expect(stat(folder())).rejects.toThrow(/ENOENT/);

    const theirs = await open({ personUuid: other });
    await theirs.putNewestPage(group, page(range(1, 3), null));
    await theirs.close();
    await MessageCache.wipe(root, other);
    await expect(stat(folder(other))).rejects.toThrow(/ENOENT/);

    // A wipe deletes the folder also when this launch could not open it.
    await (await open({ personUuid: other })).close();
    cipher.backend = 'basic_text';
    await (await open({ personUuid: other })).wipe();
    await expect(stat(folder(other))).rejects.toThrow(/ENOENT/);
  });

  it('works in memory only, writing nothing, without a safe keyring or a folder', async () => {
    cipher.backend = 'basic_text';
    for (const cache of [await open(), await open({ root: undefined })]) {
      const group = randomUUID();
      cache.putConversationPage(page([conversation(group, 1)], null), undefined);
      await cache.putNewestPage(group, page(range(1, 3), 'c'));
      await cache.addNews(group, [message(4)]);
      expect(await cache.thread(group)).toMatchObject({
        olderCursor: 'c',
        syncedSk: expect.stringContaining('MSG#'),
      });
      expect(cache.stats()).toMatchObject({ bytes: 0, conversations: 1, threads: 1, messages: 4 });
      await cache.close();
    }
    await expect(stat(root)).rejects.toThrow(/ENOENT/);
  });

  it('writes many changes together, by itself after the delay', async () => {
    const group = randomUUID();
    const cache = await open({ flushDelayMs: 40 });
    await cache.putNewestPage(group, page([message(0)], null));
    await cache.flush();
    const write = vi.spyOn(SealedDir.prototype, 'write');
    for (let n = 1; n <= 30; n += 1) await cache.addNews(group, [message(n)]);
    cache.setUnread(group, 1);
    expect(write).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(2), { timeout: 1000, interval: 10 });
    await cache.flush();
    expect(write).toHaveBeenCalledTimes(2); // the thread, then the index
    expect(write.mock.calls.map(([name]) => name)).toEqual([`thread:${group}`, 'index']);
    write.mockRestore();
    expect((await (await open()).thread(group))!.messages).toHaveLength(31);
  });
});
