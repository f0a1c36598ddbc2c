import { create } from 'zustand';
import type { ConversationView } from '../../../shared/messages';
import type { AppErrorShape } from '../../../shared/result';

/** Pattern B in the renderer: my conversations, most recent reply first, paged, kept fresh by pushes. */
interface ConversationsState {
  conversations: ConversationView[];
  cursor: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: AppErrorShape | undefined;
  selected: string | undefined;
  loadFirst(): Promise<void>;
  loadMore(): Promise<void>;
  select(messageGroupUuid: string | undefined): void;
  upsert(conversations: ConversationView[]): void;
  /** A read mark moved (answered by markConversationRead): the conversation's new unread count. */
  setUnread(messageGroupUuid: string, unreadCount: number): void;
  reset(): void;
}

const initial = {
  conversations: [],
  cursor: null,
  status: 'idle' as const,
  error: undefined,
  selected: undefined,
};

/** Newest reply first; ties broken by uuid so the order never flickers. */
function byLastReply(a: ConversationView, b: ConversationView): number {
  if (a.last_reply_at !== b.last_reply_at) return a.last_reply_at < b.last_reply_at ? 1 : -1;
  return a.message_group_uuid < b.message_group_uuid ? 1 : -1;
}

/**
 * The newer of two copies of one conversation. A newer last message brings the table's unread
 * count; with the same last message the count can only have gone down (a read mark moves forward,
 * never back), so an answer read before my mark moved cannot bring back a count I cleared.
 */
function newerCopy(known: ConversationView | undefined, incoming: ConversationView): ConversationView {
  if (!known || known.last_reply_at < incoming.last_reply_at) return incoming;
  if (known.last_reply_at > incoming.last_reply_at) return known;
  return { ...incoming, unread_count: Math.min(known.unread_count, incoming.unread_count) };
}

export function mergeConversations(
  current: ConversationView[],
  incoming: ConversationView[],
): ConversationView[] {
  const merged = new Map(current.map((conversation) => [conversation.message_group_uuid, conversation]));
  for (const conversation of incoming) {
    merged.set(
      conversation.message_group_uuid,
      newerCopy(merged.get(conversation.message_group_uuid), conversation),
    );
  }
  return [...merged.values()].sort(byLastReply);
}

export const useConversationsStore = create<ConversationsState>()((set, get) => {
  /** Bumped by reset(): an answer to a request made before it belongs to the person before. */
  let generation = 0;

  /** Fetches one page (the first without a cursor) and merges it into the list. */
  async function fetchPage(cursor?: string) {
    const asked = generation;
    set({ status: 'loading', error: undefined });
    const result = await window.api.listConversations(cursor ? { cursor } : {});
    if (asked !== generation) return;
    if (!result.ok) {
      set({ status: 'error', error: result.error });
      return;
    }
    set((state) => ({
      conversations: mergeConversations(state.conversations, result.value.items),
      cursor: result.value.cursor,
      status: 'ready',
    }));
  }

  return {
    ...initial,
    loadFirst: () => fetchPage(),
    async loadMore() {
      const { cursor, status } = get();
      if (cursor && status !== 'loading') await fetchPage(cursor);
    },
    select(messageGroupUuid) {
      set({ selected: messageGroupUuid });
    },
    upsert(conversations) {
      set((state) => ({ conversations: mergeConversations(state.conversations, conversations) }));
    },
    setUnread(messageGroupUuid, unreadCount) {
      set((state) => ({
        conversations: state.conversations.map((conversation) =>
          conversation.message_group_uuid === messageGroupUuid && conversation.unread_count !== unreadCount
            ? { ...conversation, unread_count: unreadCount }
            : conversation,
        ),
      }));
    },
    reset() {
      generation += 1;
      set(initial);
    },
  };
});
