import type { ConversationView, MessageView } from '../../shared/messages';
import type { Person } from '../../shared/model';

/** A sign-in as the poller serves it: its opaque id (which every push names) and its person. */
export interface PollSession {
  id: string;
  person: Person;
}

/** A Map that forgets its least recently written entries beyond `capacity`. */
class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }
}

// Enough for every message of an overlap window in a busy conversation; one forgotten is merely
// pushed twice (the renderer merges by message uuid).
const MESSAGES_PER_CONVERSATION = 500;
const CONVERSATIONS = 1_000;

/**
 * What the renderer has for one sign-in: the newest sort key it has per list (the position a poll
 * reads after) and what it has been given, so a read that overlaps what it has (a clock window
 * before the position) pushes each message and each group item once. A new sign-in gets a new
 * one: nothing of another person's positions carries over.
 */
export class SessionPositions {
  watched: string | undefined;
  private readonly newestMessageSk = new RecentMap<string, string>(CONVERSATIONS);
  private readonly messagesHad = new RecentMap<string, RecentMap<string, true>>(CONVERSATIONS);
  private newestConversationSk: string | undefined;
  /** Per conversation, the sort key of the group item the renderer has. */
  private readonly groupItemHad = new RecentMap<string, string>(CONVERSATIONS);

  constructor(readonly session: PollSession) {}

  newestMessage(groupUuid: string): string | undefined {
    return this.newestMessageSk.get(groupUuid);
  }

  newestConversation(): string | undefined {
    return this.newestConversationSk;
  }

  /** The messages the renderer does not have yet, which it has from now on. */
  takeNewMessages(groupUuid: string, messages: readonly MessageView[]): MessageView[] {
    let had = this.messagesHad.get(groupUuid);
    if (!had) this.messagesHad.set(groupUuid, (had = new RecentMap(MESSAGES_PER_CONVERSATION)));
    const fresh = messages.filter(({ message_uuid }) => !had.get(message_uuid));
    for (const { message_uuid } of messages) had.set(message_uuid, true);
    this.advanceMessages(groupUuid, messages);
    return fresh;
  }

  /** The group items the renderer does not have yet (newer than its own of that conversation). */
  takeNewConversations(conversations: readonly ConversationView[]): ConversationView[] {
    const fresh = conversations.filter(({ message_group_uuid, sk }) => {
      const had = this.groupItemHad.get(message_group_uuid);
      return !had || sk > had;
    });
    for (const { message_group_uuid, sk } of fresh) this.groupItemHad.set(message_group_uuid, sk);
    this.advanceConversations(conversations);
    return fresh;
  }

  private advanceMessages(groupUuid: string, messages: readonly Pick<MessageView, 'sk'>[]): void {
    for (const { sk } of messages) {
      const known = this.newestMessageSk.get(groupUuid);
      if (!known || sk > known) this.newestMessageSk.set(groupUuid, sk);
    }
  }

  private advanceConversations(conversations: readonly Pick<ConversationView, 'sk'>[]): void {
    for (const { sk } of conversations)
      if (!this.newestConversationSk || sk > this.newestConversationSk) this.newestConversationSk = sk;
  }
}
