import { create } from 'zustand';
import { newMessageUuid } from '../../../shared/message-uuid';
import { MESSAGE_UUID_EXPIRED } from '../../../shared/message-text';
import type { MessageView, Page } from '../../../shared/messages';
import type { AppErrorShape } from '../../../shared/result';

/**
 * Pattern A and C in the renderer: each open conversation's messages (oldest first, as shown),
 * older pages fetched on scroll, and sends shown at once as pending. A failed send keeps its
 * message uuid, so "Retry" is idempotent: the service stores it once however often it arrives.
 */
export interface PendingMessage {
  message_uuid: string;
  message: string;
  created_at: string;
  status: 'sending' | 'failed';
  error?: string;
}

export interface Thread {
  messages: MessageView[];
  pending: PendingMessage[];
  olderCursor: string | null;
  status: 'loading' | 'ready' | 'error';
  loadingOlder: boolean;
  error: AppErrorShape | undefined;
}

interface ThreadsState {
  threads: Record<string, Thread>;
  /**
   * Reads a conversation's newest page, unless it is loaded and holds the last message
   * (`lastReplyAt`, from the conversation list): a conversation that had news while another one
   * was open is read again, so its unread messages are there when it opens.
   */
  open(messageGroupUuid: string, lastReplyAt?: string): Promise<void>;
  loadOlder(messageGroupUuid: string): Promise<void>;
  receive(messageGroupUuid: string, messages: MessageView[]): void;
  send(messageGroupUuid: string, text: string): Promise<void>;
  retry(messageGroupUuid: string, messageUuid: string): Promise<void>;
  reset(): void;
}

const bySk = (a: MessageView, b: MessageView) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0);

/** The incoming messages oldest first, one per uuid (the later copy wins, as a Map would keep it). */
function sortedUnique(incoming: readonly MessageView[]): MessageView[] {
  const byUuid = new Map<string, MessageView>();
  for (const message of incoming) byUuid.set(message.message_uuid, message);
  return [...byUuid.values()].sort(bySk);
}

/**
 * Loaded messages and new ones, oldest first, one per uuid (the incoming copy wins). The sort
 * key is `sk` (`MSG#{created_at}#{uuid}`, ordered as a string). Why not a Map and a sort of
 * everything: a page arrives per scroll to the top of a 10,000-message conversation, so the work
 * is one pass over both sorted arrays, with no comparison at all for a page wholly older than what
 * is loaded (an older page) or wholly newer (arrivals). A message's sk never changes (it is made of
 * its time and uuid), so a page strictly older or newer than what is loaded holds no copy of it.
 */
export function mergeMessages(
  current: readonly MessageView[],
  incoming: readonly MessageView[],
): MessageView[] {
  if (incoming.length === 0) return current as MessageView[];
  const fresh = sortedUnique(incoming);
  if (current.length === 0) return fresh;
  if (fresh.at(-1)!.sk < current[0]!.sk) return fresh.concat(current);
  if (fresh[0]!.sk > current.at(-1)!.sk) return current.concat(fresh);
  const uuids = new Set(fresh.map((m) => m.message_uuid));
  return mergeSorted(
    current.filter((m) => !uuids.has(m.message_uuid)),
    fresh,
  );
}

/** Two arrays sorted by sk, with no uuid in both, merged in one pass. */
function mergeSorted(a: readonly MessageView[], b: readonly MessageView[]): MessageView[] {
  const merged = new Array<MessageView>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) merged[k++] = a[i]!.sk <= b[j]!.sk ? a[i++]! : b[j++]!;
  while (i < a.length) merged[k++] = a[i++]!;
  while (j < b.length) merged[k++] = b[j++]!;
  return merged;
}

/**
 * The newest page merged into what is loaded; when the page does not reach what was loaded (more
 * than a page arrived meanwhile), it replaces it, so the thread never has a hole in it.
 */
function withNewestPage(thread: Thread, page: Page<MessageView>, wasLoaded: boolean): Partial<Thread> {
  const newestKnown = thread.messages.at(-1);
  const oldestInPage = page.items.reduce<string | undefined>(
    (oldest, item) => (oldest === undefined || item.sk < oldest ? item.sk : oldest),
    undefined,
  );
  const reaches = !newestKnown || !oldestInPage || page.cursor === null || oldestInPage <= newestKnown.sk;
  if (!reaches) return { messages: mergeMessages([], page.items), olderCursor: page.cursor, status: 'ready' };
  return {
    messages: mergeMessages(thread.messages, page.items),
    // A thread read before keeps its own cursor: it may already hold pages older than this one.
    olderCursor: wasLoaded ? thread.olderCursor : page.cursor,
    status: 'ready',
  };
}

const isCurrent = (thread: Thread | undefined, lastReplyAt: string | undefined): boolean =>
  thread?.status === 'ready' &&
  (lastReplyAt === undefined || (thread.messages.at(-1)?.created_at ?? '') >= lastReplyAt);

/** A conversation not read yet (its first page is loading). */
export const emptyThread = (): Thread => ({
  messages: [],
  pending: [],
  olderCursor: null,
  status: 'loading',
  loadingOlder: false,
  error: undefined,
});

export const useThreadsStore = create<ThreadsState>()((set, get) => {
  /** Bumped by reset(): an answer to a request made before it belongs to the person before. */
  let generation = 0;
  const reads = new Map<string, Promise<void>>();

  const update = (uuid: string, change: (thread: Thread) => Partial<Thread>) =>
    set((state) => {
      const thread = state.threads[uuid] ?? emptyThread();
      return { threads: { ...state.threads, [uuid]: { ...thread, ...change(thread) } } };
    });

  async function deliver(messageGroupUuid: string, pending: PendingMessage) {
    const asked = generation;
    const result = await window.api.sendMessage({
      groupUuid: messageGroupUuid,
      messageUuid: pending.message_uuid,
      text: pending.message,
    });
    if (asked !== generation) return;
    if (result.ok) {
      update(messageGroupUuid, (thread) => ({
        messages: mergeMessages(thread.messages, [result.value]),
        pending: thread.pending.filter((p) => p.message_uuid !== pending.message_uuid),
      }));
    } else {
      update(messageGroupUuid, (thread) => ({
        pending: thread.pending.map((p) =>
          p.message_uuid === pending.message_uuid
            ? { ...p, status: 'failed', error: result.error.message }
            : p,
        ),
      }));
      return result.error;
    }
    return undefined;
  }

  /** The newest page of a conversation, merged into what is loaded. */
  async function read(messageGroupUuid: string) {
    const wasLoaded = get().threads[messageGroupUuid]?.status === 'ready';
    const asked = generation;
    update(messageGroupUuid, () => ({ status: 'loading', error: undefined }));
    const result = await window.api.listMessages({ groupUuid: messageGroupUuid });
    if (asked !== generation) return;
    if (!result.ok) {
      update(messageGroupUuid, () => ({ status: 'error', error: result.error }));
      return;
    }
    update(messageGroupUuid, (thread) => withNewestPage(thread, result.value, wasLoaded));
  }

  return {
    threads: {},
    open(messageGroupUuid, lastReplyAt) {
      void window.api.watchConversation({ groupUuid: messageGroupUuid });
      if (isCurrent(get().threads[messageGroupUuid], lastReplyAt)) return Promise.resolve();
      // One read per conversation at a time, however often it is opened meanwhile.
      let reading = reads.get(messageGroupUuid);
      if (!reading) {
        const started: Promise<void> = read(messageGroupUuid).finally(() => {
          if (reads.get(messageGroupUuid) === started) reads.delete(messageGroupUuid);
        });
        reads.set(messageGroupUuid, started);
        reading = started;
      }
      return reading;
    },
    async loadOlder(messageGroupUuid) {
      const thread = get().threads[messageGroupUuid];
      if (!thread?.olderCursor || thread.loadingOlder) return;
      const asked = generation;
      update(messageGroupUuid, () => ({ loadingOlder: true }));
      const result = await window.api.listMessages({
        groupUuid: messageGroupUuid,
        cursor: thread.olderCursor,
      });
      if (asked !== generation) return;
      update(messageGroupUuid, (current) =>
        result.ok
          ? {
              messages: mergeMessages(current.messages, result.value.items),
              olderCursor: result.value.cursor,
              loadingOlder: false,
            }
          : { loadingOlder: false, error: result.error },
      );
    },
    receive(messageGroupUuid, messages) {
      update(messageGroupUuid, (thread) => ({
        messages: mergeMessages(thread.messages, messages),
        pending: thread.pending.filter((p) => !messages.some((m) => m.message_uuid === p.message_uuid)),
      }));
    },
    async send(messageGroupUuid, text) {
      const pending: PendingMessage = {
        message_uuid: newMessageUuid(),
        message: text,
        created_at: new Date().toISOString(),
        status: 'sending',
      };
      update(messageGroupUuid, (thread) => ({ pending: [...thread.pending, pending] }));
      await deliver(messageGroupUuid, pending);
    },
    async retry(messageGroupUuid, messageUuid) {
      const pending = get().threads[messageGroupUuid]?.pending.find((p) => p.message_uuid === messageUuid);
      if (!pending) return;
      update(messageGroupUuid, (thread) => ({
        pending: thread.pending.map((p) =>
          p.message_uuid === messageUuid ? { ...p, status: 'sending', error: undefined } : p,
        ),
      }));
      const answer = await deliver(messageGroupUuid, pending);
      // A retry after the clock window: the service found nothing stored under the old uuid, so
      // the same text goes out once under a new one.
      if (answer?.reason !== MESSAGE_UUID_EXPIRED) return;
      const renewed = { ...pending, message_uuid: newMessageUuid(), status: 'sending' as const };
      update(messageGroupUuid, (thread) => ({
        pending: thread.pending.map((p) => (p.message_uuid === messageUuid ? renewed : p)),
      }));
      await deliver(messageGroupUuid, renewed);
    },
    reset() {
      generation += 1;
      reads.clear();
      set({ threads: {} });
    },
  };
});
