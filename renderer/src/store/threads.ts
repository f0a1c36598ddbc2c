import { create } from 'zustand';
import { newMessageUuid } from '../../../shared/message-uuid';
import { SEND_QUEUED } from '../../../shared/message-text';
import type { MessageView, OutboxEntryView, Page } from '../../../shared/messages';
import type { AppErrorShape } from '../../../shared/result';
import { mergeMessages } from '../../../shared/merge';

export { mergeMessages };

/**
 * Pattern A and C in the renderer: each open conversation's messages (oldest first, as shown),
 * older pages fetched on scroll, and sends shown at once as pending. A failed send keeps its
 * message uuid, so "Retry" is idempotent: the service stores it once however often it arrives.
 * A send made while DynamoDB cannot be reached waits in the main process's outbox; its outcome
 * comes later as an 'outbox.settled' event (settle()).
 */
export interface PendingMessage {
  message_uuid: string;
  message: string;
  created_at: string;
  /** 'waiting': in the main process's outbox until the connection is back (not failed: no Retry). */
  status: 'sending' | 'waiting' | 'failed';
  error?: string;
}

/** What the outbox made of a message: stored (as it was stored) or refused for good. */
export type OutboxOutcome = { ok: true; value: MessageView } | { ok: false; error: AppErrorShape };

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
  /**
   * The outbox sent a message (under `messageUuid`, the uuid it was sent with; the stored copy may
   * carry a new one when that uuid had expired) or gave up on it.
   */
  settle(messageGroupUuid: string, messageUuid: string, outcome: OutboxOutcome): void;
  /** Shows what is still in the outbox (sent while offline, maybe before a restart) as waiting. */
  loadOutbox(): Promise<void>;
  /** Conversations I may no longer read: their messages go. */
  remove(messageGroupUuids: readonly string[]): void;
  reset(): void;
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

/** The pending messages with `messageUuid`'s changed by `change` (the others as they are). */
const changePending = (
  pending: readonly PendingMessage[],
  messageUuid: string,
  change: (p: PendingMessage) => PendingMessage,
): PendingMessage[] => pending.map((p) => (p.message_uuid === messageUuid ? change(p) : p));

/** How many of my messages wait in the main process's outbox (shown as waiting in their threads). */
export function countWaiting(threads: Record<string, Thread>): number {
  let count = 0;
  for (const thread of Object.values(threads))
    for (const p of thread.pending) if (p.status === 'waiting') count += 1;
  return count;
}

export const useThreadsStore = create<ThreadsState>()((set, get) => {
  /** Bumped by reset(): an answer to a request made before it belongs to the person before. */
  let generation = 0;
  const reads = new Map<string, Promise<void>>();
  /**
   * The uuids 'outbox.settled' named since the last reset: an outbox read that was answered
   * before a message settled (and arrives after) must not show it as waiting again.
   */
  const settled = new Set<string>();

  const update = (uuid: string, change: (thread: Thread) => Partial<Thread>) =>
    set((state) => {
      const thread = state.threads[uuid] ?? emptyThread();
      return { threads: { ...state.threads, [uuid]: { ...thread, ...change(thread) } } };
    });
  /** As update, for an answer to a request: a conversation removed meanwhile stays removed. */
  const updateKnown = (uuid: string, change: (thread: Thread) => Partial<Thread>) => {
    if (get().threads[uuid]) update(uuid, change);
  };

  async function deliver(messageGroupUuid: string, pending: PendingMessage) {
    const asked = generation;
    const result = await window.api.sendMessage({
      groupUuid: messageGroupUuid,
      messageUuid: pending.message_uuid,
      text: pending.message,
    });
    if (asked !== generation) return;
    if (result.ok) {
      // Removed by the uuid it was sent with: the stored copy may carry a new one (the main
      // process's outbox renews a uuid that expired while the message waited).
      updateKnown(messageGroupUuid, (thread) => ({
        messages: mergeMessages(thread.messages, [result.value]),
        pending: thread.pending.filter((p) => p.message_uuid !== pending.message_uuid),
      }));
      return;
    }
    const queued = result.error.reason === SEND_QUEUED;
    updateKnown(messageGroupUuid, (thread) => ({
      // Only a send still on its way changes: 'outbox.settled' may have come first.
      pending: changePending(thread.pending, pending.message_uuid, (p) =>
        p.status !== 'sending'
          ? p
          : queued
            ? { ...p, status: 'waiting', error: undefined }
            : { ...p, status: 'failed', error: result.error.message },
      ),
    }));
  }

  /** The newest page of a conversation, merged into what is loaded. */
  async function read(messageGroupUuid: string) {
    const wasLoaded = get().threads[messageGroupUuid]?.status === 'ready';
    const asked = generation;
    update(messageGroupUuid, () => ({ status: 'loading', error: undefined }));
    const result = await window.api.listMessages({ groupUuid: messageGroupUuid });
    if (asked !== generation) return;
    if (!result.ok) {
      updateKnown(messageGroupUuid, () => ({ status: 'error', error: result.error }));
      return;
    }
    updateKnown(messageGroupUuid, (thread) => withNewestPage(thread, result.value, wasLoaded));
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
      updateKnown(messageGroupUuid, (current) =>
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
      if (pending?.status !== 'failed') return;
      // The same uuid again: the service stores it once, and the main process's outbox answers the
      // stored copy (under a new uuid when the old one expired) however long it waited.
      const again = { ...pending, status: 'sending' as const, error: undefined };
      update(messageGroupUuid, (thread) => ({
        pending: changePending(thread.pending, messageUuid, () => again),
      }));
      await deliver(messageGroupUuid, again);
    },
    settle(messageGroupUuid, messageUuid, outcome) {
      settled.add(messageUuid);
      // A conversation not loaded (or removed) has nothing to change: opening it reads the message.
      if (outcome.ok) {
        updateKnown(messageGroupUuid, (thread) => ({
          messages: mergeMessages(thread.messages, [outcome.value]),
          pending: thread.pending.filter(
            (p) => p.message_uuid !== messageUuid && p.message_uuid !== outcome.value.message_uuid,
          ),
        }));
        return;
      }
      updateKnown(messageGroupUuid, (thread) => ({
        pending: changePending(thread.pending, messageUuid, (p) => ({
          ...p,
          status: 'failed',
          error: outcome.error.message,
        })),
      }));
    },
    async loadOutbox() {
      const asked = generation;
      const result = await window.api.getOutbox();
      if (asked !== generation || !result.ok) return;
      const byGroup = new Map<string, OutboxEntryView[]>();
      for (const entry of result.value) {
        if (settled.has(entry.messageUuid)) continue;
        byGroup.set(entry.groupUuid, [...(byGroup.get(entry.groupUuid) ?? []), entry]);
      }
      for (const [groupUuid, entries] of byGroup) {
        update(groupUuid, (thread) => {
          const known = new Set([
            ...thread.pending.map((p) => p.message_uuid),
            ...thread.messages.map((m) => m.message_uuid),
          ]);
          const waiting = entries
            .filter((entry) => !known.has(entry.messageUuid))
            .map<PendingMessage>((entry) => ({
              message_uuid: entry.messageUuid,
              message: entry.text,
              created_at: entry.created_at,
              status: 'waiting',
            }));
          return waiting.length > 0 ? { pending: [...thread.pending, ...waiting] } : {};
        });
      }
    },
    remove(messageGroupUuids) {
      const gone = new Set(messageGroupUuids);
      for (const uuid of gone) reads.delete(uuid);
      set((state) => ({
        threads: Object.fromEntries(Object.entries(state.threads).filter(([uuid]) => !gone.has(uuid))),
      }));
    },
    reset() {
      generation += 1;
      reads.clear();
      settled.clear();
      set({ threads: {} });
    },
  };
});
