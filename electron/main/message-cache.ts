import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../../core/auth/session-store';
import { createLogger } from '../../core/log';
import type { ConversationView, MessageView, Page } from '../../shared/messages';
import { mergeConversations, mergeMessages } from '../../shared/merge';
import { SealedDir } from './sealed-dir';

const log = createLogger('message-cache');

/** Conversations whose messages are kept in memory at once; the others stay in their files. */
export const MAX_LOADED_THREADS = 20;
const DEFAULT_FLUSH_DELAY_MS = 500;
const INDEX = 'index';
const threadName = (groupUuid: string) => `thread:${groupUuid}`;
/** The sealed files' names (a keyed hash, then `.bin`), and what write-file-atomic leaves of one in a crash. */
const SEALED_FILE = /^[0-9a-f]{32}\.bin(\..+)?$/;

export interface CachedConversations {
  /** Newest reply first. */
  items: ConversationView[];
  /** The real DynamoDB cursor after the last page read; null: the list is complete. */
  cursor: string | null;
}

export interface CachedThread {
  /** Oldest first, one per message_uuid. */
  messages: MessageView[];
  /** The real cursor that reads what is older than messages[0]; null: messages[0] is the conversation's first message. */
  olderCursor: string | null;
  /**
   * The newest sk up to which `messages` are known to be everything the conversation has (set by
   * pages and polled news, not by my own sends: a reply stored just before my send has a smaller sk).
   */
  syncedSk: string | undefined;
}

export interface MessageCacheOptions {
  /** `<userData>/cache`; undefined: memory only. */
  root: string | undefined;
  personUuid: string;
  secrets: SecretStore;
  /** Cap on the sealed files' total size. */
  limitBytes: number;
  /** How long changes gather before they are written together; default 500 ms. */
  flushDelayMs?: number;
}

export interface MessageCacheStats {
  bytes: number;
  conversations: number;
  threads: number;
  messages: number;
  loadedThreads: number;
}

const MESSAGE_FIELDS = [
  'message_uuid',
  'message',
  'created_at',
  'user_uuid',
  'handle',
  'display_name',
  'sk',
] as const;

/**
 * A thread file's messages, checked field by field in one loop: a zod object schema per message
 * took most of the time to first rows of a 10,000-message conversation (the file is authenticated
 * by its key, so this guards against an old shape, not against tampering).
 */
const messagesSchema = z.custom<MessageView[]>(
  (value) =>
    Array.isArray(value) &&
    value.every(
      (message) =>
        typeof message === 'object' &&
        message !== null &&
        MESSAGE_FIELDS.every((field) => typeof (message as Record<string, unknown>)[field] === 'string'),
    ),
);

const conversationSchema = z.object({
  message_group_uuid: z.string(),
  message: z.string(),
  last_reply_at: z.string(),
  user_uuid: z.string(),
  handle: z.string(),
  display_name: z.string(),
  sk: z.string(),
  unread_count: z.number().int().nonnegative(),
});

const threadEntrySchema = z.object({
  bytes: z.number().int().nonnegative(),
  usedAt: z.number(),
  count: z.number().int().nonnegative(),
});
type ThreadEntry = z.infer<typeof threadEntrySchema>;

const storedIndex = z.object({
  version: z.literal(1),
  conversations: z.object({ items: z.array(conversationSchema), cursor: z.string().nullable() }).nullable(),
  lastConversation: z.string().nullable(),
  threads: z.record(z.string(), threadEntrySchema),
});

const storedThread = z.object({
  version: z.literal(1),
  /** Also bound by the file's associated data; checked again so a wrong file can never be shown. */
  group: z.string(),
  messages: messagesSchema,
  olderCursor: z.string().nullable(),
  syncedSk: z.string().nullable(),
});

interface Thread {
  messages: MessageView[];
  olderCursor: string | null;
  syncedSk: string | undefined;
}

const maxSk = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b;

const skRange = (items: readonly MessageView[]) => {
  let oldest: string | undefined;
  let newest: string | undefined;
  for (const { sk } of items) {
    if (oldest === undefined || sk < oldest) oldest = sk;
    if (newest === undefined || sk > newest) newest = sk;
  }
  return { oldest, newest };
};

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';

/**
 * The main process's copy of what one person has read from DynamoDB (their conversation list and
 * the messages of the conversations they opened), so the app shows them at once on launch and
 * switch, and reads from the table only what is newer ("serverless caching" on the desktop).
 *
 * On disk it is a SealedDir (encrypted, authenticated, file names hashed): one file per
 * conversation's messages, read only when that conversation is asked for, and one index (the list,
 * the last open conversation, and per thread its size and when it was last used). Changes gather
 * for `flushDelayMs` and are written together, thread files before the index, so the index never
 * names a thread whose newest content is not on disk; a crash between the two leaves a thread file
 * the index does not name, which the next open deletes.
 *
 * Every disk operation runs after the one before it (one queue, as DraftStore's), so a wipe is
 * never overtaken by a write begun before it. The files together stay under `limitBytes`: the
 * least recently used threads are evicted first, never the one used last or the last open one (the
 * conversation list is kept whole; it is small). At most MAX_LOADED_THREADS threads are in memory.
 *
 * A cache is a copy: whatever cannot be read (missing, damaged, another person's, another shape)
 * is dropped with one log line and read again from the table. Where no OS keyring can keep the
 * key, nothing is written and the cache lives in memory until the app quits, bounded by the
 * loaded-thread count (a thread unloaded there is forgotten). Nothing private is logged.
 */
export class MessageCache {
  private list: CachedConversations | undefined;
  private last: string | null = null;
  /** Every cached thread (on disk, or in memory only), in no particular order. */
  private readonly entries = new Map<string, ThreadEntry>();
  /** Threads in memory, least recently loaded or used first. */
  private readonly loaded = new Map<string, Thread>();
  private readonly dirtyThreads = new Set<string>();
  private indexDirty = false;
  private indexBytes = 0;
  private clock = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Closed or wiped: changes are ignored and nothing more is written. */
  private closed = false;
  private wiped = false;
  private readonly flushDelayMs: number;

  private constructor(
    private readonly root: string | undefined,
    readonly personUuid: string,
    private readonly dir: SealedDir | undefined,
    private limitBytes: number,
    flushDelayMs: number | undefined,
  ) {
    this.flushDelayMs = flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
  }

  /** Opens the person's cache and reads its index; memory only without `root` or a safe keyring. */
  static async open(options: MessageCacheOptions): Promise<MessageCache> {
    let dir: SealedDir | undefined;
    if (options.root !== undefined) {
      try {
        dir = await SealedDir.open(options.root, options.personUuid, options.secrets);
      } catch (error) {
        log.warn('the message cache folder could not be opened; the cache is kept in memory', {
          code: errorCode(error),
        });
      }
    }
    const cache = new MessageCache(
      options.root,
      options.personUuid,
      dir,
      options.limitBytes,
      options.flushDelayMs,
    );
    if (dir) await cache.loadIndex(dir);
    return cache;
  }

  /** Deletes a person's cache without opening it (no key needed). */
  static async wipe(root: string, personUuid: string): Promise<void> {
    await rm(SealedDir.dirOf(root, personUuid), { recursive: true, force: true });
  }

  conversations(): CachedConversations | undefined {
    return this.list && { items: this.list.items.slice(), cursor: this.list.cursor };
  }

  /** One conversation's cached list entry (asked on every open: no copy of the list). */
  conversation(groupUuid: string): ConversationView | undefined {
    return this.list?.items.find((c) => c.message_group_uuid === groupUuid);
  }

  /**
   * A page of my conversations read from DynamoDB (`requestCursor` undefined: the first page).
   * The first page keeps the cached cursor when a list was cached (it may hold deeper pages); a
   * later page moves the cursor only when it was read from the cached cursor, so the list never
   * claims pages it skipped.
   */
  putConversationPage(page: Page<ConversationView>, requestCursor: string | undefined): void {
    if (this.closed) return;
    const list = this.list;
    if (requestCursor === undefined) {
      this.list = {
        items: mergeConversations(list?.items ?? [], page.items),
        // A complete first page completes the list; a cached list longer than this page holds
        // deeper pages, whose cursor is where reading on starts.
        cursor:
          page.cursor === null
            ? null
            : list && list.items.length > page.items.length
              ? list.cursor
              : page.cursor,
      };
    } else {
      // A deeper page with no first page cached has no list to extend.
      if (!list) return;
      this.list = {
        items: mergeConversations(list.items, page.items),
        cursor: requestCursor === list.cursor ? page.cursor : list.cursor,
      };
    }
    this.changed();
  }

  /** Conversations pushed by the poller; ignored while no list is cached (it would claim to be complete). */
  upsertConversations(items: ConversationView[]): void {
    if (this.closed || !this.list || items.length === 0) return;
    this.list = { items: mergeConversations(this.list.items, items), cursor: this.list.cursor };
    this.changed();
  }

  setUnread(groupUuid: string, unreadCount: number): void {
    if (this.closed || !this.list) return;
    const at = this.list.items.findIndex((c) => c.message_group_uuid === groupUuid);
    if (at < 0 || this.list.items[at]!.unread_count === unreadCount) return;
    const items = this.list.items.slice();
    items[at] = { ...items[at]!, unread_count: unreadCount };
    this.list = { items, cursor: this.list.cursor };
    this.changed();
  }

  /** A conversation's cached messages (read from its file the first time); counts as a use. */
  thread(groupUuid: string): Promise<CachedThread | undefined> {
    return this.run(async () => {
      const thread = await this.load(groupUuid);
      if (!thread) return undefined;
      this.touch(groupUuid);
      return {
        messages: thread.messages.slice(),
        olderCursor: thread.olderCursor,
        syncedSk: thread.syncedSk,
      };
    });
  }

  /**
   * The newest page of a conversation from DynamoDB. Merged when it reaches what is known
   * (its oldest message is at or before syncedSk, or it is the whole conversation); otherwise more
   * than a page arrived since and the page replaces the thread, so it never has a hole in it.
   */
  putNewestPage(groupUuid: string, page: Page<MessageView>): Promise<void> {
    return this.change(async () => {
      const thread = await this.load(groupUuid);
      const { oldest, newest } = skRange(page.items);
      const reaches =
        thread !== undefined &&
        (page.cursor === null ||
          oldest === undefined ||
          (thread.syncedSk !== undefined && oldest <= thread.syncedSk));
      const next: Thread = reaches
        ? {
            messages: mergeMessages(thread.messages, page.items),
            // The thread's own cursor: it may already hold pages older than this one.
            olderCursor: thread.olderCursor,
            syncedSk: maxSk(thread.syncedSk, newest),
          }
        : {
            messages: mergeMessages([], page.items),
            olderCursor: page.cursor,
            syncedSk: maxSk(thread?.syncedSk, newest),
          };
      this.store(groupUuid, next);
      this.touch(groupUuid);
    });
  }

  /** An older page, read with `requestCursor`: extends the thread only when that is its olderCursor. */
  putOlderPage(groupUuid: string, requestCursor: string, page: Page<MessageView>): Promise<void> {
    return this.change(async () => {
      const thread = await this.load(groupUuid);
      if (!thread || thread.olderCursor !== requestCursor) return;
      this.store(groupUuid, {
        messages: mergeMessages(thread.messages, page.items),
        olderCursor: page.cursor,
        syncedSk: thread.syncedSk,
      });
      this.touch(groupUuid);
    });
  }

  /**
   * News polled after the thread's syncedSk (oldest first): merged, and syncedSk moved to the
   * newest. Not a use (a conversation in the background gets news too); ignored when not cached.
   */
  addNews(groupUuid: string, messages: MessageView[]): Promise<void> {
    return this.change(async () => {
      if (messages.length === 0) return;
      const thread = await this.load(groupUuid);
      if (!thread) return;
      this.store(groupUuid, {
        messages: mergeMessages(thread.messages, messages),
        olderCursor: thread.olderCursor,
        syncedSk: maxSk(thread.syncedSk, skRange(messages).newest),
      });
    });
  }

  /** My own message as stored: merged; syncedSk stays (replies stored before it may not be here yet). */
  addSent(groupUuid: string, message: MessageView): Promise<void> {
    return this.change(async () => {
      const thread = await this.load(groupUuid);
      if (!thread) return;
      this.store(groupUuid, { ...thread, messages: mergeMessages(thread.messages, [message]) });
      this.touch(groupUuid);
    });
  }

  /** Forgets a conversation I am no longer a member of: its messages (file too) and its list entry. */
  remove(groupUuid: string): Promise<void> {
    return this.change(async () => {
      await this.dropThread(groupUuid);
      if (this.list?.items.some((c) => c.message_group_uuid === groupUuid)) {
        this.list = {
          items: this.list.items.filter((c) => c.message_group_uuid !== groupUuid),
          cursor: this.list.cursor,
        };
        this.indexDirty = true;
      }
      if (this.last === groupUuid) {
        this.last = null;
        this.indexDirty = true;
      }
    });
  }

  lastConversation(): string | null {
    return this.last;
  }

  setLastConversation(groupUuid: string | null): void {
    if (this.closed || this.last === groupUuid) return;
    this.last = groupUuid;
    this.changed();
  }

  /** A new cap; threads over it are evicted at once. */
  setLimit(limitBytes: number): void {
    if (this.closed) return;
    this.limitBytes = limitBytes;
    this.clearTimer();
    void this.run(() => this.flushNow());
  }

  /** Writes everything pending now; resolves when it is on disk (a failure is logged: a cache is a copy). */
  flush(): Promise<void> {
    if (this.closed) return this.run(async () => {});
    this.clearTimer();
    return this.run(() => this.flushNow());
  }

  /** Writes what is pending and stops; later calls change nothing. */
  close(): Promise<void> {
    if (this.closed) return this.run(async () => {});
    const flushed = this.flush();
    this.closed = true;
    return flushed;
  }

  /** Sign-out: forgets everything and deletes the person's folder (whether or not it could be opened). */
  wipe(): Promise<void> {
    this.closed = true;
    this.wiped = true;
    this.clearTimer();
    this.forget();
    return this.run(async () => {
      this.forget();
      if (this.dir) await this.dir.wipe();
      else if (this.root !== undefined) await MessageCache.wipe(this.root, this.personUuid);
    });
  }

  stats(): MessageCacheStats {
    let bytes = this.indexBytes;
    let messages = 0;
    for (const entry of this.entries.values()) {
      bytes += entry.bytes;
      messages += entry.count;
    }
    return {
      bytes,
      conversations: this.list?.items.length ?? 0,
      threads: this.entries.size,
      messages,
      loadedThreads: this.loaded.size,
    };
  }

  private run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  /** A change to a thread, in the queue; nothing once closed. */
  private change(work: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.run(async () => {
      if (this.wiped) return;
      await work();
    });
  }

  /** The index changed: write it soon. */
  private changed(): void {
    this.indexDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || !this.dir || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run(() => this.flushNow());
    }, this.flushDelayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private forget(): void {
    this.list = undefined;
    this.last = null;
    this.entries.clear();
    this.loaded.clear();
    this.dirtyThreads.clear();
    this.indexDirty = false;
    this.indexBytes = 0;
  }

  /** Marks a thread used now (for eviction, and for which threads stay in memory). */
  private touch(groupUuid: string): void {
    const entry = this.entries.get(groupUuid);
    if (!entry) return;
    this.clock = Math.max(Date.now(), this.clock + 1);
    entry.usedAt = this.clock;
    const thread = this.loaded.get(groupUuid);
    if (thread) {
      this.loaded.delete(groupUuid);
      this.loaded.set(groupUuid, thread);
    }
    this.changed();
  }

  /** Keeps a thread's new content in memory, to be written with the next flush. */
  private store(groupUuid: string, thread: Thread): void {
    const entry = this.entries.get(groupUuid);
    if (entry) entry.count = thread.messages.length;
    else this.entries.set(groupUuid, { bytes: 0, usedAt: 0, count: thread.messages.length });
    this.loaded.delete(groupUuid);
    this.loaded.set(groupUuid, thread);
    this.dirtyThreads.add(groupUuid);
    this.indexDirty = true;
    this.trimLoaded();
    this.schedule();
  }

  /** The thread in memory, read from its file when it is not; undefined when not cached (or unreadable). */
  private async load(groupUuid: string): Promise<Thread | undefined> {
    const inMemory = this.loaded.get(groupUuid);
    if (inMemory) return inMemory;
    if (!this.dir || this.closed || !this.entries.has(groupUuid)) return undefined;
    let raw: unknown;
    try {
      raw = await this.dir.read(threadName(groupUuid), 'a cached conversation');
    } catch (error) {
      log.warn('a cached conversation could not be read; it is read from the table again', {
        code: errorCode(error),
      });
      raw = undefined;
    }
    const parsed = storedThread.safeParse(raw);
    if (!parsed.success || parsed.data.group !== groupUuid) {
      if (raw !== undefined) {
        log.warn('a cached conversation was not in the expected shape; it was discarded');
        await this.dir.remove(threadName(groupUuid)).catch(() => {});
      }
      this.entries.delete(groupUuid);
      this.changed();
      return undefined;
    }
    const { messages, olderCursor, syncedSk } = parsed.data;
    const thread: Thread = { messages, olderCursor, syncedSk: syncedSk ?? undefined };
    const entry = this.entries.get(groupUuid);
    if (entry) entry.count = messages.length;
    this.loaded.set(groupUuid, thread);
    this.trimLoaded();
    return thread;
  }

  /**
   * Unloads the threads loaded longest ago beyond MAX_LOADED_THREADS, except those not written
   * yet (unloaded after the next flush) and the one used last. In memory only, unloading forgets.
   */
  private trimLoaded(): void {
    if (this.loaded.size <= MAX_LOADED_THREADS) return;
    const keep = this.lastUsed();
    for (const groupUuid of this.loaded.keys()) {
      if (this.loaded.size <= MAX_LOADED_THREADS) break;
      if (groupUuid === keep || (this.dir && this.dirtyThreads.has(groupUuid))) continue;
      this.loaded.delete(groupUuid);
      if (!this.dir) {
        this.entries.delete(groupUuid);
        this.dirtyThreads.delete(groupUuid);
      }
    }
  }

  private lastUsed(): string | undefined {
    let newest: string | undefined;
    let at = -Infinity;
    for (const [groupUuid, entry] of this.entries)
      if (entry.usedAt > at) {
        at = entry.usedAt;
        newest = groupUuid;
      }
    return newest;
  }

  private async dropThread(groupUuid: string): Promise<void> {
    this.loaded.delete(groupUuid);
    this.dirtyThreads.delete(groupUuid);
    if (this.entries.delete(groupUuid)) this.indexDirty = true;
    if (this.dir) await this.dir.remove(threadName(groupUuid));
    this.schedule();
  }

  /** Writes the threads changed, evicts over the cap, then writes the index. */
  private async flushNow(): Promise<void> {
    const dir = this.dir;
    if (!dir || this.wiped) return;
    try {
      for (const groupUuid of [...this.dirtyThreads]) {
        const thread = this.loaded.get(groupUuid);
        this.dirtyThreads.delete(groupUuid);
        const entry = this.entries.get(groupUuid);
        if (!thread || !entry) continue;
        try {
          entry.bytes = await dir.write(threadName(groupUuid), {
            version: 1,
            group: groupUuid,
            messages: thread.messages,
            olderCursor: thread.olderCursor,
            syncedSk: thread.syncedSk ?? null,
          } satisfies z.input<typeof storedThread>);
        } catch (error) {
          this.dirtyThreads.add(groupUuid);
          throw error;
        }
        this.indexDirty = true;
      }
      await this.evictOverLimit();
      while (this.indexDirty) {
        await this.writeIndex(dir);
        // The index grew (a longer list): evict again, and write the index that names fewer threads.
        if (!(await this.evictOverLimit())) break;
      }
      this.trimLoaded();
    } catch (error) {
      log.warn('the message cache could not be written; it is tried again with the next change', {
        code: errorCode(error),
      });
    }
  }

  private async writeIndex(dir: SealedDir): Promise<void> {
    this.indexDirty = false;
    try {
      this.indexBytes = await dir.write(INDEX, {
        version: 1,
        conversations: this.list ?? null,
        lastConversation: this.last,
        threads: Object.fromEntries(this.entries),
      } satisfies z.input<typeof storedIndex>);
    } catch (error) {
      this.indexDirty = true;
      throw error;
    }
  }

  /** Evicts the least recently used threads while the files are over the cap; true when any went. */
  private async evictOverLimit(): Promise<boolean> {
    let total = this.stats().bytes;
    if (total <= this.limitBytes) return false;
    const keep = new Set([this.lastUsed(), this.last]);
    const oldestFirst = [...this.entries]
      .filter(([g]) => !keep.has(g))
      .sort(([, a], [, b]) => a.usedAt - b.usedAt);
    let evicted = false;
    for (const [groupUuid, entry] of oldestFirst) {
      if (total <= this.limitBytes) break;
      total -= entry.bytes;
      await this.dropThread(groupUuid);
      evicted = true;
    }
    return evicted;
  }

  /** Reads the index; anything unexpected starts the cache empty (it is read from the table again). */
  private async loadIndex(dir: SealedDir): Promise<void> {
    let raw: unknown;
    try {
      raw = await dir.read(INDEX, 'the message cache index');
    } catch (error) {
      log.warn('the message cache index could not be read; the cache starts empty', {
        code: errorCode(error),
      });
    }
    if (raw !== undefined) {
      const parsed = storedIndex.safeParse(raw);
      if (parsed.success) {
        this.list = parsed.data.conversations ?? undefined;
        this.last = parsed.data.lastConversation;
        for (const [groupUuid, entry] of Object.entries(parsed.data.threads)) {
          this.entries.set(groupUuid, entry);
          this.clock = Math.max(this.clock, entry.usedAt);
        }
        this.indexBytes = await stat(dir.pathOf(INDEX)).then(
          (s) => s.size,
          () => 0,
        );
      } else {
        log.warn('the message cache index was not in the expected shape; the cache starts empty');
        await dir.remove(INDEX).catch(() => {});
      }
    }
    await this.deleteUnnamed(dir);
  }

  /**
   * Deletes the sealed files the index does not name (a crash between a thread's write and the
   * index's, or an index that was discarded): nobody could ever find them, and they count for
   * nothing against the cap. The folder is the cache's own (a wipe deletes all of it).
   */
  private async deleteUnnamed(dir: SealedDir): Promise<void> {
    let files: string[];
    try {
      files = await readdir(dir.dir);
    } catch {
      return;
    }
    const named = new Set([
      dir.fileName(INDEX),
      ...[...this.entries.keys()].map((g) => dir.fileName(threadName(g))),
    ]);
    const unnamed = files.filter((file) => SEALED_FILE.test(file) && !named.has(file));
    await Promise.all(unnamed.map((file) => rm(join(dir.dir, file), { force: true }).catch(() => {})));
  }
}
