import type { EventMap, EventName } from '../../shared/contract';
import type { ConversationView, MessageView, NewerItems } from '../../shared/messages';
import type { Person } from '../../shared/model';
import { createLogger } from '../../core/log';

/** The part of the message service the poller uses. */
export interface PollSource {
  listMessagesAfter(caller: Person, groupUuid: string, afterSk: string): Promise<NewerItems<MessageView>>;
  listConversationsAfter(caller: Person, afterSk: string): Promise<NewerItems<ConversationView>>;
}

export interface PollerOptions {
  source: PollSource;
  /** The signed-in user, or undefined (then nothing is polled). */
  caller(): Person | undefined;
  publish<E extends EventName>(event: E, payload: EventMap[E]): void;
  isFocused(): boolean;
  intervals?: { focusedMs: number; blurredMs: number };
  /** At most this many pages of news per tick, so a flood cannot starve the app. */
  maxPagesPerTick?: number;
}

const log = createLogger('poller');

/**
 * Keeps the renderer current without a reload: every 2.5 s while the window is focused (10 s when
 * it is not) it asks for what is newer than what the renderer already has — in the open
 * conversation (Pattern A after the newest message) and in the conversation list (Pattern B after
 * the newest group item) — and pushes only that.
 */
export class ConversationPoller {
  private watched: string | undefined;
  private newestMessageSk = new Map<string, string>();
  private newestConversationSk: string | undefined;
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

  /** Forgets everything (sign-out). */
  reset(): void {
    this.watched = undefined;
    this.newestMessageSk.clear();
    this.newestConversationSk = undefined;
  }

  watch(groupUuid: string | null): void {
    this.watched = groupUuid ?? undefined;
  }

  /**
   * Messages the renderer now has: the first page it loaded. A message it sent is not noted,
   * or a reply stored just before it (a smaller sort key) would never be polled.
   */
  noteMessages(groupUuid: string, messages: readonly Pick<MessageView, 'sk'>[]): void {
    for (const { sk } of messages) {
      const known = this.newestMessageSk.get(groupUuid);
      if (!known || sk > known) this.newestMessageSk.set(groupUuid, sk);
    }
  }

  /** Group items the renderer now has. */
  noteConversations(conversations: readonly Pick<ConversationView, 'sk'>[]): void {
    for (const { sk } of conversations)
      if (!this.newestConversationSk || sk > this.newestConversationSk) this.newestConversationSk = sk;
  }

  /** One round of polling; exposed so tests can drive it without timers. */
  async tick(): Promise<void> {
    const caller = this.options.caller();
    if (!caller) return;
    await Promise.all([this.pollConversations(caller), this.pollWatched(caller)]);
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

  private async pollConversations(caller: Person): Promise<void> {
    if (!this.newestConversationSk) return; // the renderer has not loaded the list yet
    const conversations: ConversationView[] = [];
    for (let page = 0; page < (this.options.maxPagesPerTick ?? 5); page++) {
      const news = await this.options.source.listConversationsAfter(caller, this.newestConversationSk);
      conversations.push(...news.items);
      this.noteConversations(news.items);
      if (!news.has_more) break;
    }
    if (conversations.length > 0)
      this.options.publish('conversations.changed', { conversations: conversations.reverse() });
  }

  private async pollWatched(caller: Person): Promise<void> {
    const groupUuid = this.watched;
    if (!groupUuid) return;
    const after = this.newestMessageSk.get(groupUuid);
    if (!after) return; // the renderer has not loaded this conversation yet
    const messages: MessageView[] = [];
    for (let page = 0; page < (this.options.maxPagesPerTick ?? 5); page++) {
      const news = await this.options.source.listMessagesAfter(
        caller,
        groupUuid,
        this.newestMessageSk.get(groupUuid)!,
      );
      messages.push(...news.items);
      this.noteMessages(groupUuid, news.items);
      if (!news.has_more) break;
    }
    if (messages.length > 0 && this.watched === groupUuid)
      this.options.publish('messages.new', { groupUuid, messages });
  }
}
