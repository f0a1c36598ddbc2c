import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { ConversationView } from '../../../shared/messages';
import { formatListTime } from '../lib/time';
import { useNow } from '../lib/use-now';
import { useConversationsStore } from '../store/conversations';
import { Avatar } from './Avatar';
import { UnreadBadge, unreadLabel } from './UnreadBadge';
import { exhaustive } from '../../../shared/exhaustive';

type Row = { kind: 'conversation'; conversation: ConversationView } | { kind: 'more' };

const ROW_HEIGHT = 68;

/** What a screen reader hears for a row: "Andrew Bayko, 3 unread, See you tomorrow, 10:42". */
export function conversationLabel(conversation: ConversationView, time: string): string {
  return [conversation.display_name, unreadLabel(conversation.unread_count), conversation.message, time]
    .filter(Boolean)
    .join(', ');
}

/**
 * Pattern B: my conversations, newest reply first, virtualized, next page fetched near the end.
 * Times move on every minute; a conversation with unread messages shows their number in bold.
 */
export function ConversationList() {
  const conversations = useConversationsStore((s) => s.conversations);
  const cursor = useConversationsStore((s) => s.cursor);
  const status = useConversationsStore((s) => s.status);
  const error = useConversationsStore((s) => s.error);
  const selected = useConversationsStore((s) => s.selected);
  const select = useConversationsStore((s) => s.select);
  const loadMore = useConversationsStore((s) => s.loadMore);
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();

  const rows = useMemo<Row[]>(
    () => [
      ...conversations.map((conversation) => ({ kind: 'conversation' as const, conversation })),
      ...(cursor ? [{ kind: 'more' as const }] : []),
    ],
    [conversations, cursor],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (cursor && lastIndex >= rows.length - 3) void loadMore();
  }, [cursor, lastIndex, rows.length, loadMore]);

  // A conversation chosen from the keyboard, the switcher or a notification comes into view.
  const selectedIndex = rows.findIndex(
    (row) => row.kind === 'conversation' && row.conversation.message_group_uuid === selected,
  );
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  if (status === 'error' && conversations.length === 0) {
    return <p className="pane__empty pane__empty--error">Could not load conversations: {error?.message}</p>;
  }
  if (status !== 'loading' && conversations.length === 0) {
    return <p className="pane__empty">No conversations yet.</p>;
  }

  return (
    <div ref={scrollRef} className="conversation-list" role="list" aria-label="Conversation list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={row.kind === 'conversation' ? row.conversation.message_group_uuid : 'more'}
              role="listitem"
              aria-label={
                row.kind === 'conversation'
                  ? conversationLabel(row.conversation, timeOf(row.conversation))
                  : undefined
              }
              aria-current={
                row.kind === 'conversation' && row.conversation.message_group_uuid === selected
                  ? 'true'
                  : undefined
              }
              className="conversation-list__slot"
              style={{ transform: `translateY(${item.start}px)`, height: item.size }}
            >
              {renderRow(row)}
            </div>
          );
        })}
      </div>
    </div>
  );

  function timeOf(conversation: ConversationView): string {
    return formatListTime(conversation.last_reply_at, now);
  }

  function renderRow(row: Row) {
    switch (row.kind) {
      case 'conversation': {
        const { conversation } = row;
        const active = conversation.message_group_uuid === selected;
        const unread = conversation.unread_count > 0;
        const time = timeOf(conversation);
        return (
          <button
            type="button"
            className={active ? 'conversation-row conversation-row--active' : 'conversation-row'}
            aria-current={active ? 'true' : undefined}
            onClick={() => select(conversation.message_group_uuid)}
          >
            {/* One name, exactly as written, in every browser and screen reader; the visible
                parts (in the grid's order) are not read a second time. */}
            <span className="sr-only">{conversationLabel(conversation, time)}</span>
            <span className="conversation-row__visual" aria-hidden="true">
              <Avatar name={conversation.display_name} />
              <span className="conversation-row__text">
                <span
                  className={
                    unread
                      ? 'conversation-row__name conversation-row__name--unread'
                      : 'conversation-row__name'
                  }
                >
                  {conversation.display_name}
                </span>
                <time className="conversation-row__time" dateTime={conversation.last_reply_at}>
                  {time}
                </time>
                <span
                  className={
                    unread
                      ? 'conversation-row__message conversation-row__message--unread'
                      : 'conversation-row__message'
                  }
                  dir="auto"
                >
                  {conversation.message}
                </span>
                <UnreadBadge count={conversation.unread_count} />
              </span>
            </span>
          </button>
        );
      }
      case 'more':
        return <p className="conversation-list__more">Loading more…</p>;
      default:
        return exhaustive(row);
    }
  }
}
