import { create } from 'zustand';
import type { MessageGroupView } from '../../../shared/messages';
import type { AppErrorShape } from '../../../shared/result';

/** Pattern B in the renderer: my conversations, most recent reply first, paged, kept fresh by pushes. */
interface ConversationsState {
  groups: MessageGroupView[];
  cursor: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: AppErrorShape | undefined;
  selected: string | undefined;
  loadFirst(): Promise<void>;
  loadMore(): Promise<void>;
  select(messageGroupUuid: string | undefined): void;
  upsert(groups: MessageGroupView[]): void;
  reset(): void;
}

const initial = {
  groups: [],
  cursor: null,
  status: 'idle' as const,
  error: undefined,
  selected: undefined,
};

/** Newest reply first; ties broken by uuid so the order never flickers. */
function byLastReply(a: MessageGroupView, b: MessageGroupView): number {
  if (a.last_reply_at !== b.last_reply_at) return a.last_reply_at < b.last_reply_at ? 1 : -1;
  return a.message_group_uuid < b.message_group_uuid ? 1 : -1;
}

export function mergeGroups(current: MessageGroupView[], incoming: MessageGroupView[]): MessageGroupView[] {
  const merged = new Map(current.map((group) => [group.message_group_uuid, group]));
  for (const group of incoming) {
    const known = merged.get(group.message_group_uuid);
    if (!known || known.last_reply_at <= group.last_reply_at) merged.set(group.message_group_uuid, group);
  }
  return [...merged.values()].sort(byLastReply);
}

export const useConversationsStore = create<ConversationsState>()((set, get) => {
  /** Fetches one page (the first without a cursor) and merges it into the list. */
  async function fetchPage(cursor?: string) {
    set({ status: 'loading', error: undefined });
    const result = await window.api.listConversations(cursor ? { cursor } : {});
    if (!result.ok) {
      set({ status: 'error', error: result.error });
      return;
    }
    set((state) => ({
      groups: mergeGroups(state.groups, result.value.items),
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
    upsert(groups) {
      set((state) => ({ groups: mergeGroups(state.groups, groups) }));
    },
    reset() {
      set(initial);
    },
  };
});
