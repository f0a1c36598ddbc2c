import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { useConversationsStore } from '../store/conversations';
import { useSessionStore } from '../store/session';
import { emptyThread, useThreadsStore } from '../store/threads';
import { Avatar } from './Avatar';
import { Composer } from './Composer';
import { firstUnreadMessage } from './message-rows';
import { MessageList, type MessageListControl, type VisibleMessages } from './MessageList';
import { useReadMarks } from './use-read-marks';

/** One object, so a selector that finds no thread returns the same value every render. */
const EMPTY = emptyThread();
const NOTHING_VISIBLE: VisibleMessages = { newest: undefined, newestTheirs: undefined };

/** The right pane: the selected conversation with its composer. */
export function ConversationPane() {
  const selected = useConversationsStore((s) => s.selected);
  const group = useConversationsStore((s) =>
    s.conversations.find((c) => c.message_group_uuid === s.selected),
  );
  const thread = useThreadsStore((s) => (selected ? s.threads[selected] : undefined)) ?? EMPTY;
  const send = useThreadsStore((s) => s.send);
  const list = useRef<MessageListControl>(null);
  const onPage = useCallback((direction: -1 | 1) => list.current?.scrollByPage(direction), []);

  if (!selected) return <p className="pane__empty">Select a conversation to read it.</p>;

  return (
    <>
      <header className="pane__header conversation__header">
        {group && <Avatar name={group.display_name} />}
        <div>
          <h2>{group?.display_name ?? 'Conversation'}</h2>
          {group && <span className="conversation__handle">@{group.handle}</span>}
        </div>
      </header>
      {/* Keyed: each visit starts afresh (its divider, its place, its read-mark timer). */}
      <ConversationVisit key={selected} groupUuid={selected} controlRef={list} />
      <Composer
        groupUuid={selected}
        onSend={(text) => void send(selected, text)}
        onPage={onPage}
        disabled={thread.status !== 'ready'}
      />
    </>
  );
}

/**
 * One visit to a conversation: it is read (again, if news came while it was closed), the
 * "New messages" divider is placed once above the first unread message and stays for the visit,
 * and what is on screen in a focused window is marked read.
 */
function ConversationVisit({
  groupUuid,
  controlRef,
}: {
  groupUuid: string;
  controlRef: RefObject<MessageListControl | null>;
}) {
  const thread = useThreadsStore((s) => s.threads[groupUuid]) ?? EMPTY;
  const open = useThreadsStore((s) => s.open);
  const loadOlder = useThreadsStore((s) => s.loadOlder);
  const retry = useThreadsStore((s) => s.retry);
  const me = useSessionStore((s) => s.profile);
  const [opened] = useState(() => {
    const group = useConversationsStore
      .getState()
      .conversations.find((c) => c.message_group_uuid === groupUuid);
    return { unread: group?.unread_count ?? 0, lastReplyAt: group?.last_reply_at };
  });
  const [read, setRead] = useState(false);
  // undefined until this visit's read is done; then the first unread message's uuid, or null.
  const [divider, setDivider] = useState<string | null | undefined>(undefined);
  if (divider === undefined && read && thread.status !== 'loading') {
    setDivider(firstUnreadMessage(thread.messages, me?.uuid, opened.unread)?.message_uuid ?? null);
  }
  const [visible, setVisible] = useState(NOTHING_VISIBLE);
  useReadMarks(groupUuid, thread.messages, me?.uuid, visible);

  useEffect(() => {
    let current = true;
    void open(groupUuid, opened.lastReplyAt).then(() => current && setRead(true));
    return () => {
      current = false;
    };
  }, [groupUuid, open, opened]);

  const onLoadOlder = useCallback(() => void loadOlder(groupUuid), [groupUuid, loadOlder]);
  const onRetry = useCallback((uuid: string) => void retry(groupUuid, uuid), [groupUuid, retry]);

  if (thread.status === 'error' && thread.messages.length === 0) {
    return (
      <p className="pane__empty pane__empty--error">
        Could not load this conversation: {thread.error?.message}
      </p>
    );
  }
  // Until the divider is placed the list waits, so the visit opens on it, not on the bottom.
  const placed = divider !== undefined;
  return (
    <MessageList
      messages={placed ? thread.messages : NO_MESSAGES}
      pending={placed ? thread.pending : NO_PENDING}
      myUuid={me?.uuid}
      hasOlder={placed && thread.olderCursor !== null}
      loadingOlder={thread.loadingOlder}
      onLoadOlder={onLoadOlder}
      onRetry={onRetry}
      firstUnreadUuid={divider ?? undefined}
      onVisibleChange={setVisible}
      controlRef={controlRef}
    />
  );
}

const NO_MESSAGES: never[] = [];
const NO_PENDING: never[] = [];
