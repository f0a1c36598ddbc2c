import { useEffect, useRef, useState } from 'react';
import type { MessageView } from '../../../shared/messages';
import { useAppStore } from '../store/app';
import { useConnectivityStore } from '../store/connectivity';
import { useConversationsStore } from '../store/conversations';
import { firstUnreadMessage } from './message-rows';
import type { VisibleMessages } from './MessageList';

/** A message counts as seen once the window has been focused this long with it open (Signal: ~1 s). */
export const READ_DWELL_MS = 1_000;

/**
 * Moves my read mark to what I have seen: only a message from someone else that is on screen,
 * unread, and newer than the last mark, and only after the window has been focused (and this
 * conversation open) for READ_DWELL_MS without a break. Never while blurred, never from a
 * background poll: pushed messages nobody looked at stay unread. One call per newer message; the
 * answer's count goes into the conversation list.
 */
export function useReadMarks(
  groupUuid: string,
  messages: readonly MessageView[],
  myUuid: string | undefined,
  visible: VisibleMessages,
) {
  const focused = useAppStore((s) => s.focused);
  const unread = useConversationsStore(
    (s) => s.conversations.find((c) => c.message_group_uuid === groupUuid)?.unread_count ?? 0,
  );
  const setUnread = useConversationsStore((s) => s.setUnread);
  // Offline a mark cannot be written; when the connection is back, the one that failed is due again.
  const online = useConnectivityStore((s) => s.connectivity?.online !== false);
  const settled = useSettledFocus(focused);
  const markedSk = useRef<string | undefined>(undefined);

  const oldestUnread = firstUnreadMessage(messages, myUuid, unread);
  const { newest, newestTheirs } = visible;
  const isNewerThanMark = (message: MessageView) =>
    markedSk.current === undefined || message.sk > markedSk.current;
  const due =
    online &&
    settled &&
    unread > 0 &&
    newest !== undefined &&
    newestTheirs !== undefined &&
    oldestUnread !== undefined &&
    newestTheirs.sk >= oldestUnread.sk &&
    isNewerThanMark(newestTheirs);

  useEffect(() => {
    // Checked again here: an effect can run twice for one render (React's StrictMode).
    if (!due || !newest || !newestTheirs || !isNewerThanMark(newestTheirs)) return;
    const previous = markedSk.current;
    markedSk.current = newest.sk;
    const lastReplyAt = () =>
      useConversationsStore.getState().conversations.find((c) => c.message_group_uuid === groupUuid)
        ?.last_reply_at;
    const askedAt = lastReplyAt();
    void window.api.markConversationRead({ groupUuid, upTo: newest.message_uuid }).then((result) => {
      if (!result.ok) {
        // Not marked: the next message on screen (or the next scroll) tries again.
        if (markedSk.current === newest.sk) markedSk.current = previous;
        return;
      }
      // A newer last message arrived meanwhile: its push carries the table's count.
      if (lastReplyAt() === askedAt) setUnread(groupUuid, result.value.unread_count);
    });
  }, [due, newest, newestTheirs, groupUuid, setUnread]);
}

/** True once the window has been focused for READ_DWELL_MS without a break (reset by a blur). */
function useSettledFocus(focused: boolean): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    setSettled(false);
    if (!focused) return;
    const timer = setTimeout(() => setSettled(true), READ_DWELL_MS);
    return () => clearTimeout(timer);
  }, [focused]);
  return settled && focused;
}
