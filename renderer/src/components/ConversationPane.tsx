import { useCallback, useEffect } from 'react';
import { useConversationsStore } from '../store/conversations';
import { useSessionStore } from '../store/session';
import { emptyThread, useThreadsStore } from '../store/threads';
import { Avatar } from './Avatar';
import { Composer } from './Composer';
import { MessageList } from './MessageList';

/** One object, so a selector that finds no thread returns the same value every render. */
const EMPTY = emptyThread();

/** The right pane: the selected conversation with its composer. */
export function ConversationPane() {
  const selected = useConversationsStore((s) => s.selected);
  const group = useConversationsStore((s) =>
    s.conversations.find((c) => c.message_group_uuid === s.selected),
  );
  const thread = useThreadsStore((s) => (selected ? s.threads[selected] : undefined)) ?? EMPTY;
  const open = useThreadsStore((s) => s.open);
  const loadOlder = useThreadsStore((s) => s.loadOlder);
  const send = useThreadsStore((s) => s.send);
  const retry = useThreadsStore((s) => s.retry);
  const me = useSessionStore((s) => s.profile);

  useEffect(() => {
    if (selected) void open(selected);
  }, [selected, open]);

  const onLoadOlder = useCallback(() => {
    if (selected) void loadOlder(selected);
  }, [selected, loadOlder]);
  const onRetry = useCallback((uuid: string) => selected && void retry(selected, uuid), [selected, retry]);

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
      {thread.status === 'error' && thread.messages.length === 0 ? (
        <p className="pane__empty pane__empty--error">
          Could not load this conversation: {thread.error?.message}
        </p>
      ) : (
        <MessageList
          messages={thread.messages}
          pending={thread.pending}
          myUuid={me?.uuid}
          hasOlder={thread.olderCursor !== null}
          loadingOlder={thread.loadingOlder}
          onLoadOlder={onLoadOlder}
          onRetry={onRetry}
        />
      )}
      <Composer onSend={(text) => void send(selected, text)} disabled={thread.status !== 'ready'} />
    </>
  );
}
