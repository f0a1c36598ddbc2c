import { create } from 'zustand';
import type { ConversationView } from '../../../shared/messages';
import type { AppErrorShape } from '../../../shared/result';
import { mergeConversations } from '../../../shared/merge';

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
  /**
   * After the first load, with nothing selected: selects the conversation I had open last (as a
   * click would), when it is in the list.
   */
  selectLast(): Promise<void>;
  upsert(conversations: ConversationView[]): void;
  /** Conversations I may no longer read: out of the list, and deselected if one was open. */
  remove(messageGroupUuids: readonly string[]): void;
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
    async selectLast() {
      if (get().selected !== undefined || get().status !== 'ready') return;
      const asked = generation;
      const result = await window.api.getLastConversation();
      if (asked !== generation || !result.ok || result.value === null) return;
      const last = result.value;
      // A conversation picked while the answer was on its way wins.
      const { selected, conversations } = get();
      if (selected === undefined && conversations.some((c) => c.message_group_uuid === last)) {
        get().select(last);
      }
    },
    upsert(conversations) {
      set((state) => ({ conversations: mergeConversations(state.conversations, conversations) }));
    },
    remove(messageGroupUuids) {
      const gone = new Set(messageGroupUuids);
      set((state) => ({
        conversations: state.conversations.filter((c) => !gone.has(c.message_group_uuid)),
        selected: state.selected !== undefined && gone.has(state.selected) ? undefined : state.selected,
      }));
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
