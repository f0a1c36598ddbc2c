import type { ConversationView } from '../../shared/messages';
import { createLogger } from '../../core/log';

const log = createLogger('unread');

/** What the tally reads of a conversation. */
export type UnreadOf = Pick<ConversationView, 'message_group_uuid' | 'sk' | 'unread_count'>;

interface Entry {
  /** The group item's sort key: it changes with every new last message. */
  sk: string;
  unread: number;
}

/**
 * The signed-in person's unread messages per conversation, as far as the main process has seen
 * them: the pages listConversations served, the poller's conversations.changed pushes and the
 * answers of markConversationRead. Their total is the app's badge (the dock or taskbar count),
 * set whenever it changes and 0 while nobody is signed in.
 *
 * Counts of one sign-in never mix with another's: everything is per session, and a note for a
 * session that is not the current one is dropped.
 */
export class UnreadTally {
  private session: string | undefined;
  private readonly counts = new Map<string, Entry>();
  private shown: number | undefined;

  constructor(private readonly setBadgeCount: (count: number) => void) {}

  /** Starts over for a new sign-in (undefined: nobody is signed in): the badge goes to 0. */
  reset(session: string | undefined): void {
    this.session = session;
    this.counts.clear();
    this.showTotal();
  }

  /** The count last seen for a conversation of `session`, or undefined when it is not known. */
  unreadOf(session: string, groupUuid: string): number | undefined {
    return session === this.session ? this.counts.get(groupUuid)?.unread : undefined;
  }

  /**
   * Takes the counts of conversations as a page or a push shows them. An older group item than
   * the one known changes nothing; the same one can only have fewer unread (a read mark only moves
   * forward), so a page read before a mark cannot bring its count back.
   */
  note(session: string, conversations: readonly UnreadOf[]): void {
    if (session !== this.session) return;
    for (const { message_group_uuid, sk, unread_count } of conversations) {
      const known = this.counts.get(message_group_uuid);
      if (known && sk < known.sk) continue;
      const unread = known && sk === known.sk ? Math.min(known.unread, unread_count) : unread_count;
      this.counts.set(message_group_uuid, { sk, unread });
    }
    this.showTotal();
  }

  /** The count markConversationRead answered (what was unread after the mark moved). */
  marked(session: string, groupUuid: string, unread: number): void {
    if (session !== this.session) return;
    const known = this.counts.get(groupUuid);
    this.counts.set(groupUuid, { sk: known?.sk ?? '', unread });
    this.showTotal();
  }

  total(): number {
    let total = 0;
    for (const { unread } of this.counts.values()) total += unread;
    return total;
  }

  private showTotal(): void {
    const total = this.total();
    if (total === this.shown) return;
    this.shown = total;
    try {
      this.setBadgeCount(total);
    } catch (error) {
      // A desktop without a badge (most Linux ones) is not a failure of the app.
      log.info('could not set the badge', { error });
    }
  }
}
