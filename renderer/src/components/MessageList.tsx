import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { MessageView } from '../../../shared/messages';
import { formatDayHeading, formatFullTime, formatMessageTime, isSameDay } from '../lib/time';
import type { PendingMessage } from '../store/threads';
import { exhaustive } from '../../../shared/exhaustive';

type Row =
  | { kind: 'older'; loading: boolean }
  | { kind: 'day'; key: string; label: string }
  | { kind: 'message'; message: MessageView; mine: boolean }
  | { kind: 'pending'; pending: PendingMessage };

interface Props {
  messages: readonly MessageView[];
  pending: readonly PendingMessage[];
  myUuid: string | undefined;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  onRetry(messageUuid: string): void;
}

function buildRows({
  messages,
  pending,
  myUuid,
  hasOlder,
  loadingOlder,
}: Omit<Props, 'onLoadOlder' | 'onRetry'>): Row[] {
  const rows: Row[] = hasOlder ? [{ kind: 'older', loading: loadingOlder }] : [];
  let previous: string | undefined;
  for (const message of messages) {
    if (!previous || !isSameDay(previous, message.created_at)) {
      rows.push({
        kind: 'day',
        key: `day-${message.created_at.slice(0, 10)}-${message.message_uuid}`,
        label: formatDayHeading(message.created_at),
      });
    }
    previous = message.created_at;
    rows.push({ kind: 'message', message, mine: message.user_uuid === myUuid });
  }
  for (const item of pending) rows.push({ kind: 'pending', pending: item });
  return rows;
}

const rowKey = (row: Row): string => {
  switch (row.kind) {
    case 'older':
      return 'older';
    case 'day':
      return row.key;
    case 'message':
      return row.message.message_uuid;
    case 'pending':
      return `pending-${row.pending.message_uuid}`;
    default:
      return exhaustive(row);
  }
};

/**
 * Pattern A: a conversation, oldest at the top, virtualized with measured row heights. Scrolling
 * near the top fetches the older page; the view stays on the message the reader was looking at,
 * and follows new messages only when the reader is already at the bottom.
 */
export function MessageList(props: Props) {
  const { messages, pending, myUuid, hasOlder, loadingOlder, onLoadOlder } = props;
  const rows = useMemo(
    () => buildRows({ messages, pending, myUuid, hasOlder, loadingOlder }),
    [messages, pending, myUuid, hasOlder, loadingOlder],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const firstKey = useRef<string | undefined>(undefined);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (rows[index]?.kind === 'message' ? 56 : 36),
    getItemKey: (index) => rowKey(rows[index]!),
    overscan: 12,
  });

  // Older messages were prepended: keep the previously first row where the reader saw it.
  useLayoutEffect(() => {
    const previousFirst = firstKey.current;
    const currentFirst = rows[0] ? rowKey(rows[0]) : undefined;
    firstKey.current = currentFirst;
    if (atBottom.current) {
      if (rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
      return;
    }
    if (previousFirst && previousFirst !== currentFirst) {
      const index = rows.findIndex((row) => rowKey(row) === previousFirst);
      if (index > 0) virtualizer.scrollToIndex(index, { align: 'start' });
    }
  }, [rows, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstVisible = items[0]?.index ?? 0;
  useEffect(() => {
    if (hasOlder && !loadingOlder && firstVisible <= 2 && !atBottom.current) onLoadOlder();
  }, [hasOlder, loadingOlder, firstVisible, onLoadOlder]);

  return (
    <div
      ref={scrollRef}
      className="message-list"
      role="log"
      aria-label="Messages"
      aria-live="polite"
      onScroll={(event) => {
        const el = event.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="message-list__slot"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {renderRow(row)}
            </div>
          );
        })}
      </div>
    </div>
  );

  function renderRow(row: Row) {
    switch (row.kind) {
      case 'older':
        return (
          <p className="message-list__older">
            {row.loading ? (
              'Loading older messages…'
            ) : (
              <button type="button" onClick={props.onLoadOlder}>
                Load older messages
              </button>
            )}
          </p>
        );
      case 'day':
        return <h3 className="message-list__day">{row.label}</h3>;
      case 'message':
        return (
          <div className={row.mine ? 'bubble bubble--mine' : 'bubble'}>
            {!row.mine && <span className="bubble__author">{row.message.display_name}</span>}
            <p className="bubble__text" dir="auto">
              {row.message.message}
            </p>
            <time
              className="bubble__time"
              dateTime={row.message.created_at}
              title={formatFullTime(row.message.created_at)}
            >
              {formatMessageTime(row.message.created_at)}
            </time>
          </div>
        );
      case 'pending':
        return (
          <div className={`bubble bubble--mine bubble--${row.pending.status}`}>
            <p className="bubble__text" dir="auto">
              {row.pending.message}
            </p>
            {row.pending.status === 'sending' ? (
              <span className="bubble__time">Sending…</span>
            ) : (
              <span className="bubble__failed" role="alert">
                Not sent: {row.pending.error}{' '}
                <button type="button" onClick={() => props.onRetry(row.pending.message_uuid)}>
                  Retry
                </button>
              </span>
            )}
          </div>
        );
      default:
        return exhaustive(row);
    }
  }
}
