import type { SecretStore } from '../../core/auth/session-store';
import { createLogger } from '../../core/log';
import type { MessageOperations } from '../../core/messages';
import {
  DEFAULT_PAGE_SIZE,
  NEWS_OVERLAP_MS,
  type ConversationView,
  type MarkConversationReadInput,
  type MessageView,
  type OutboxEntryView,
  type Page,
  type PageOptions,
  type ReadMark,
  type StartConversationInput,
  type StartConversationResult,
} from '../../shared/messages';
import { MESSAGE_SK_PREFIX } from '../../shared/model';
import { AppError, type Result } from '../../shared/result';
import { MessageCache, type CachedThread } from './message-cache';
import { Outbox, type OutboxEntry } from './outbox';
import type { ConversationPoller, PollSession } from './poller';
import type { NewsPush, Publish } from './push-tap';
import type { UnreadTally } from './unread-tally';

const log = createLogger('session-messages');

/** The message operations as a sign-in uses them (through the connectivity monitor), in either mode. */
export type MessageSource = Pick<
  MessageOperations,
  'listMessages' | 'listConversations' | 'sendMessage' | 'markConversationRead' | 'startConversation'
>;

export interface SessionMessagesOptions {
  session: PollSession;
  source: MessageSource;
  poller: ConversationPoller;
  unread: UnreadTally;
  publish: Publish;
  secrets: SecretStore;
  /** `<userData>/cache` and `<userData>/outbox`; undefined: both in memory only. */
  cacheRoot: string | undefined;
  outboxRoot: string | undefined;
  cacheLimitBytes: number;
  /** False while DynamoDB is known to be unreachable (sends are queued without a try). */
  isOnline?(): boolean;
}

/**
 * A page cursor the main process makes for messages it answers from the cache: `cached:` and the
 * sort key of the page's oldest message. It only ever selects among the person's own cached
 * messages of a conversation they have read, so the renderer gains nothing by forging one; the
 * real (signed) cursors of DynamoDB pages never start like this.
 */
const CACHED_CURSOR = 'cached:';

/**
 * The messages of one sign-in as the renderer sees them, over the message cache and the outbox:
 *
 * - Pattern B and A answer from the cache when it has the conversation (no wait on the network),
 *   then the poller asks DynamoDB only for what is newer (one Query after the newest cached
 *   message, less the clock window), and what it finds is pushed as usual and kept. A
 *   conversation whose cached messages reach its list entry's last reply (after the list itself
 *   was checked this session) is not read at all.
 * - Pages read from DynamoDB are kept; older pages of a cached conversation come from the cache
 *   until it runs out, then from DynamoDB with the cursor DynamoDB gave for that point.
 * - Every send goes through the outbox (on disk, in order), so a send made offline goes out once
 *   when DynamoDB is back.
 * - A conversation whose membership check fails is dropped from the cache and the renderer told.
 */
export class SessionMessages {
  /** The conversation list was read from DynamoDB this session (not only from the cache). */
  private listChecked = false;
  private closed = false;

  private constructor(
    private readonly options: SessionMessagesOptions,
    readonly cache: MessageCache,
    readonly outbox: Outbox,
  ) {}

  static async open(options: SessionMessagesOptions): Promise<SessionMessages> {
    const { person } = options.session;
    const cache = await MessageCache.open({
      root: options.cacheRoot,
      personUuid: person.uuid,
      secrets: options.secrets,
      limitBytes: options.cacheLimitBytes,
    });
    // The outbox reports to the SessionMessages made from it, which exists once it is open.
    const self: { opened?: SessionMessages } = {};
    const outbox = await Outbox.open({
      root: options.outboxRoot,
      personUuid: person.uuid,
      secrets: options.secrets,
      send: (entry) => options.source.sendMessage(person, entry),
      settled: (entry, outcome) => self.opened?.settled(entry, outcome),
      ...(options.isOnline && { isOnline: options.isOnline }),
    });
    self.opened = new SessionMessages(options, cache, outbox);
    return self.opened;
  }

  private get id(): string {
    return this.options.session.id;
  }

  async listConversations(options: PageOptions): Promise<Page<ConversationView>> {
    const cached = options.cursor ? undefined : this.cache.conversations();
    // A cached list shorter than the page asked for, with more behind it, is not a first page.
    const enough =
      cached && (cached.cursor === null || cached.items.length >= (options.limit ?? DEFAULT_PAGE_SIZE));
    if (cached && enough) {
      this.noteConversations(cached.items);
      if (!this.listChecked)
        this.inBackground(
          this.options.poller.refreshConversations(this.id).then(() => {
            this.listChecked = true;
          }),
        );
      return { items: cached.items, cursor: cached.cursor, consumed_capacity: 0 };
    }
    const page = await this.options.source.listConversations(this.options.session.person, options);
    this.cache.putConversationPage(page, options.cursor);
    if (!options.cursor) this.listChecked = true;
    this.noteConversations(page.items);
    return page;
  }

  async listMessages(groupUuid: string, options: PageOptions): Promise<Page<MessageView>> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    if (options.cursor?.startsWith(CACHED_CURSOR))
      return this.olderFromCache(groupUuid, options.cursor, limit);
    if (!options.cursor) {
      const thread = await this.cache.thread(groupUuid);
      if (thread && thread.messages.length > 0) {
        this.options.poller.noteMessages(this.id, groupUuid, syncedPart(thread));
        if (!this.isCurrent(groupUuid, thread)) this.inBackground(this.refresh(groupUuid));
        return pageOf(thread, thread.messages.length, limit);
      }
    }
    const page = await this.guarded(groupUuid, () =>
      this.options.source.listMessages(this.options.session.person, groupUuid, options),
    );
    if (options.cursor) {
      await this.cache.putOlderPage(groupUuid, options.cursor, page);
    } else {
      await this.cache.putNewestPage(groupUuid, page);
      // Only a first page holds the newest message; a sent message is not noted, or the poll
      // would skip a reply that arrived just before it.
      this.options.poller.noteMessages(this.id, groupUuid, page.items);
    }
    return page;
  }

  /** Pattern C through the outbox: resolves with the stored message, or rejects (queued or refused). */
  sendMessage(input: { groupUuid: string; messageUuid: string; text: string }): Promise<MessageView> {
    return this.outbox.send({ ...input, created_at: new Date().toISOString() });
  }

  /** Pattern D, not through the outbox (its conversation may not exist yet); the list keeps it. */
  async startConversation(input: StartConversationInput): Promise<StartConversationResult> {
    const started = await this.options.source.startConversation(this.options.session.person, input);
    this.cache.upsertConversations([started.group]);
    return started;
  }

  async markConversationRead(input: MarkConversationReadInput): Promise<ReadMark> {
    const mark = await this.options.source.markConversationRead(this.options.session.person, input);
    this.options.unread.marked(this.id, input.groupUuid, mark.unread_count);
    this.cache.setUnread(input.groupUuid, mark.unread_count);
    return mark;
  }

  watch(groupUuid: string | null): void {
    this.options.poller.watch(this.id, groupUuid);
    if (groupUuid) this.cache.setLastConversation(groupUuid);
  }

  outboxEntries(): OutboxEntryView[] {
    return this.outbox.entries().map(({ groupUuid, messageUuid, text, created_at }) => ({
      groupUuid,
      messageUuid,
      text,
      created_at,
    }));
  }

  lastConversation(): string | null {
    return this.cache.lastConversation();
  }

  /** The poller pushed news of this session: the cache keeps it. */
  async heard(push: NewsPush): Promise<void> {
    if (push.payload.session !== this.id || this.closed) return;
    if (push.event === 'messages.new')
      await this.cache.addNews(push.payload.groupUuid, push.payload.messages);
    else this.cache.upsertConversations(push.payload.conversations);
  }

  /** The person may no longer read the conversation: it leaves the cache and the renderer's list. */
  async drop(groupUuid: string): Promise<void> {
    await this.cache.remove(groupUuid);
    this.options.unread.marked(this.id, groupUuid, 0);
    if (!this.closed)
      this.options.publish('conversations.removed', { session: this.id, groupUuids: [groupUuid] });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.cache.close(), this.outbox.close()]);
  }

  private settled(entry: OutboxEntry, outcome: Result<MessageView>): void {
    if (outcome.ok) this.inBackground(this.cache.addSent(entry.groupUuid, outcome.value));
    if (this.closed) return;
    this.options.publish('outbox.settled', {
      session: this.id,
      groupUuid: entry.groupUuid,
      messageUuid: entry.messageUuid,
      outcome,
    });
  }

  /** The cached messages reach the conversation's last reply, and the list was checked this session. */
  private isCurrent(groupUuid: string, thread: CachedThread): boolean {
    const entry = this.cache.conversation(groupUuid);
    const synced = thread.syncedSk && createdAtOf(thread.syncedSk);
    return this.listChecked && entry !== undefined && !!synced && entry.last_reply_at <= synced;
  }

  private async refresh(groupUuid: string): Promise<void> {
    await this.guarded(groupUuid, () => this.options.poller.refreshMessages(this.id, groupUuid));
  }

  /** Runs a read of a conversation; a Forbidden answer drops it from the cache (then rethrows). */
  private async guarded<T>(groupUuid: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof AppError && error.code === 'Forbidden') await this.drop(groupUuid);
      throw error;
    }
  }

  private async olderFromCache(groupUuid: string, cursor: string, limit: number): Promise<Page<MessageView>> {
    const before = cursor.slice(CACHED_CURSOR.length);
    if (!before.startsWith(MESSAGE_SK_PREFIX) || before.length > 512)
      throw new AppError('Invalid', 'the cursor is not valid here');
    const thread = await this.cache.thread(groupUuid);
    if (!thread)
      throw new AppError('NotFound', 'These messages are no longer kept here; open the conversation again.');
    const end = firstAtOrAfter(thread.messages, before);
    if (end > 0) return pageOf(thread, end, limit);
    // Nothing older is cached: DynamoDB, from where the cache ends.
    if (thread.olderCursor === null) return { items: [], cursor: null, consumed_capacity: 0 };
    return this.listMessages(groupUuid, { limit, cursor: thread.olderCursor });
  }

  private noteConversations(items: ConversationView[]): void {
    this.options.poller.noteConversations(this.id, items);
    this.options.unread.note(this.id, items);
  }

  /** Background reads: their failures are the connectivity monitor's and the log's, not the caller's. */
  private inBackground(work: Promise<unknown>): void {
    work.catch((error: unknown) => log.info('a background read failed', { error }));
  }
}

/** The messages `end` back from the index `end` (exclusive), newest first, as a page. */
function pageOf(thread: CachedThread, end: number, limit: number): Page<MessageView> {
  const start = Math.max(0, end - limit);
  const items = thread.messages.slice(start, end).reverse();
  const cursor = start > 0 ? `${CACHED_CURSOR}${thread.messages[start]!.sk}` : thread.olderCursor;
  return { items, cursor, consumed_capacity: 0 };
}

/** The poller remembers at most this many messages of a conversation it was told of. */
const NOTED_TAIL = 500;

/**
 * What the poller must know of a conversation opened from the cache: its newest message known
 * complete (the position it reads after) and the messages of the clock window before it, which
 * that read brings again and which must not be pushed twice. Own sends after it are left out.
 */
function syncedPart(thread: CachedThread): MessageView[] {
  const synced = thread.syncedSk;
  if (!synced) return [];
  const at = firstAtOrAfter(thread.messages, synced);
  const end = at + (thread.messages[at]?.sk === synced ? 1 : 0);
  const millis = Date.parse(createdAtOf(synced)) - NEWS_OVERLAP_MS;
  const since = Number.isFinite(millis) ? new Date(millis).toISOString() : '';
  let start = end;
  while (start > 0 && end - start < NOTED_TAIL && thread.messages[start - 1]!.created_at >= since) start--;
  return thread.messages.slice(Math.max(0, Math.min(start, end - 1)), end);
}

/** The index of the first message whose sk is `sk` or after (messages are sorted by sk). */
function firstAtOrAfter(messages: readonly MessageView[], sk: string): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (messages[middle]!.sk < sk) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `MSG#{created_at}#{uuid}` → created_at. */
const createdAtOf = (sk: string): string => sk.slice(MESSAGE_SK_PREFIX.length).split('#', 1)[0] ?? '';
