import type { EventMap, EventName } from '../../shared/contract';
import type { MessageOperations } from '../../core/messages';
import type { ConversationView, MessageView, NewerItems } from '../../shared/messages';
import { createLogger } from '../../core/log';
import { AppError } from '../../shared/result';
import { SessionPositions, type PollSession } from './poll-positions';

export type { PollSession };

/** The part of the message operations the poller uses (DynamoDB itself, or the message API). */
export type PollSource = Pick<MessageOperations, 'listMessagesAfter' | 'listConversationsAfter'>;

export interface PollerOptions {
  source: PollSource;
  publish<E extends EventName>(event: E, payload: EventMap[E]): void;
  isFocused(): boolean;
  intervals?: { focusedMs: number; blurredMs: number };
  /** At most this many pages of news per tick, so a flood cannot starve the app. */
  maxPagesPerTick?: number;
  /** False while DynamoDB cannot be reached: ticks are skipped (the connectivity monitor probes). */
  isOnline?(): boolean;
  /** A poll of a conversation was refused (Forbidden): the person may no longer read it. */
  lost?(session: string, groupUuid: string): void;
}

const log = createLogger('poller');

/**
 * Keeps the renderer current without a reload: every 2.5 s while the window is focused (10 s when
 * it is not) it asks for what is newer than what the renderer already has — in the open
 * conversation (Pattern A after the newest message) and in the conversation list (Pattern B after
 * the newest group item) — and pushes only what the renderer does not have.
 *
 * It serves one sign-in at a time. A poll captures the sign-in it began for and publishes nothing
 * once another has begun (a slow DynamoDB answer for one person never reaches the next), and
 * everything it knows is per sign-in: notes, watches and answers for another session are dropped.
 */
export class ConversationPoller {
  private current: SessionPositions | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private readonly intervals: { focusedMs: number; blurredMs: number };

  constructor(private readonly options: PollerOptions) {
    this.intervals = options.intervals ?? { focusedMs: 2_500, blurredMs: 10_000 };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Begins serving a new sign-in (undefined: nobody is signed in), on every change of who is
   * signed in: its positions start empty and are seeded from the pages its own renderer loads.
   */
  reset(session: PollSession | undefined): void {
    this.current = session && new SessionPositions(session);
  }

  /** The conversation the renderer of the current sign-in has on screen, if any. */
  watched(): string | undefined {
    return this.current?.watched;
  }

  watch(session: string, groupUuid: string | null): void {
    const positions = this.positionsOf(session);
    if (positions) positions.watched = groupUuid ?? undefined;
  }

  /**
   * Messages the renderer now has: the first page it loaded. A message it sent is not noted,
   * or a reply stored just before it (a smaller sort key) would never be polled.
   */
  noteMessages(session: string, groupUuid: string, messages: readonly MessageView[]): void {
    this.positionsOf(session)?.takeNewMessages(groupUuid, messages);
  }

  /** Group items the renderer now has. */
  noteConversations(session: string, conversations: readonly ConversationView[]): void {
    this.positionsOf(session)?.takeNewConversations(conversations);
  }

  /** One round of polling; exposed so tests can drive it without timers. */
  async tick(): Promise<void> {
    const positions = this.current;
    if (!positions || this.options.isOnline?.() === false) return;
    await Promise.all([this.pollConversations(positions), this.pollWatched(positions)]);
  }

  /**
   * Reads what is newer in the conversation list now, instead of at the next tick (the list was
   * shown from the cache). Rejects when the read fails, so the caller knows it is not current.
   */
  async refreshConversations(session: string): Promise<void> {
    const positions = this.positionsOf(session);
    if (positions) await this.pollConversations(positions);
  }

  /** Reads what is newer in one conversation now (it was opened from the cache); rejects on failure. */
  async refreshMessages(session: string, groupUuid: string): Promise<void> {
    const positions = this.positionsOf(session);
    if (positions) await this.pollMessages(positions, groupUuid);
  }

  private positionsOf(session: string): SessionPositions | undefined {
    return this.current?.session.id === session ? this.current : undefined;
  }

  private schedule(): void {
    if (!this.running) return;
    const delay = this.options.isFocused() ? this.intervals.focusedMs : this.intervals.blurredMs;
    this.timer = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => log.warn('poll failed', { error }))
        .finally(() => this.schedule());
    }, delay);
  }

  /** Reads pages of news after the position until none is left or one moves it no further. */
  private async readNews<T>(
    position: () => string | undefined,
    read: (after: string) => Promise<NewerItems<T>>,
  ): Promise<void> {
    for (let page = 0; page < (this.options.maxPagesPerTick ?? 5); page++) {
      const after = position();
      if (!after) return; // the renderer has not loaded this list yet
      const news = await read(after);
      if (!news.has_more || position() === after) return;
    }
  }

  private async pollConversations(positions: SessionPositions): Promise<void> {
    const { session } = positions;
    const fresh: ConversationView[] = [];
    try {
      await this.readNews(
        () => positions.newestConversation(),
        async (after) => {
          const news = await this.options.source.listConversationsAfter(session.person, after);
          fresh.push(...positions.takeNewConversations(news.items));
          return news;
        },
      );
    } finally {
      // What pages read before a failure brought is pushed: the positions already count it as had.
      if (fresh.length > 0 && positions === this.current)
        this.options.publish('conversations.changed', {
          session: session.id,
          conversations: fresh.reverse(),
        });
    }
  }

  private async pollWatched(positions: SessionPositions): Promise<void> {
    if (positions.watched) await this.pollMessages(positions, positions.watched);
  }

  private async pollMessages(positions: SessionPositions, groupUuid: string): Promise<void> {
    const { session } = positions;
    const fresh: MessageView[] = [];
    try {
      await this.readNews(
        () => positions.newestMessage(groupUuid),
        async (after) => {
          const news = await this.options.source.listMessagesAfter(session.person, groupUuid, after);
          fresh.push(...positions.takeNewMessages(groupUuid, news.items));
          return news;
        },
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'Forbidden' && positions === this.current)
        this.options.lost?.(session.id, groupUuid);
      throw error;
    } finally {
      // Published even if another conversation is open by now: its thread keeps them.
      if (fresh.length > 0 && positions === this.current)
        this.options.publish('messages.new', { session: session.id, groupUuid, messages: fresh });
    }
  }
}
