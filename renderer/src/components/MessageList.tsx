import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type Ref,
} from 'react';
import type { MessageView } from '../../../shared/messages';
import { exhaustive } from '../../../shared/exhaustive';
import { formatDayHeading, formatFullTime, formatMessageTime } from '../lib/time';
import { useNow } from '../lib/use-now';
import type { PendingMessage } from '../store/threads';
import { JumpToLatest } from './JumpToLatest';
import { MessageText } from './MessageText';
import { buildRows, rowKey, type BuiltRows, type Row } from './message-rows';
import './conversation.css';

/** What of the conversation is inside the viewport now (pending messages are not counted). */
export interface VisibleMessages {
  newest: MessageView | undefined;
  /** The newest message from someone else: what a read mark is about. */
  newestTheirs: MessageView | undefined;
}

/** What the composer may ask of the list while the reader types. */
export interface MessageListControl {
  /** Scrolls by about a screen: -1 up (PageUp), 1 down (PageDown). */
  scrollByPage(direction: -1 | 1): void;
}

interface Props {
  messages: readonly MessageView[];
  pending: readonly PendingMessage[];
  myUuid: string | undefined;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  onRetry(messageUuid: string): void;
  /** The "New messages" divider goes above this message (fixed for the visit by the caller). */
  firstUnreadUuid?: string | undefined;
  onVisibleChange?(visible: VisibleMessages): void;
  controlRef?: Ref<MessageListControl>;
}

/** Closer to the bottom than this (px) counts as at the bottom: new messages are followed. */
const BOTTOM_SLACK = 48;

const distanceToBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight;

/**
 * Pattern A: a conversation, oldest at the top, virtualized with measured row heights. Scrolling
 * near the top fetches the older page; the view stays on the message the reader was looking at,
 * and follows new messages only when the reader is already at the bottom. Scrolled up, arrivals
 * never move the view: "Jump to latest" counts them. A visit with unread messages opens on the
 * "New messages" divider instead of the bottom.
 */
export function MessageList(props: Props) {
  const { messages, pending, myUuid, hasOlder, loadingOlder, onLoadOlder, firstUnreadUuid } = props;
  const built = useRef<BuiltRows | undefined>(undefined);
  const rows = useMemo(() => {
    const source = { messages, pending, myUuid, hasOlder, firstUnreadUuid };
    const next = buildRows(source, built.current);
    built.current = { source, rows: next };
    return next;
  }, [messages, pending, myUuid, hasOlder, firstUnreadUuid]);
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [arrived, setArrived] = useState(0);
  // Stable while the rows are: a new getItemKey makes the virtualizer lay out every row again.
  const getItemKey = useCallback((index: number) => rowKey(rows[index]!), [rows]);
  const estimateSize = useCallback((index: number) => estimateRow(rows[index]), [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: 12,
  });
  /** The row at the top of the view and how far into it the view starts (kept on every scroll). */
  const anchor = useRef<Anchor | undefined>(undefined);
  const noteAnchor = () => {
    const el = scrollRef.current;
    const top = el ? virtualizer.getVirtualItemForOffset(el.scrollTop) : undefined;
    // A message, not the "older" row (first whatever arrives) nor a day heading (its key is its
    // first message's, so an older page from that day replaces it): what the reader sees.
    const item = top && firstMessageFrom(rows, top.index, virtualizer.measurementsCache);
    anchor.current = item && {
      key: String(item.key),
      index: item.index,
      count: rows.length,
      offset: el!.scrollTop - item.start,
    };
  };
  const scrollToLatest = () => {
    if (rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    atBottom.current = true;
    setArrived(0);
  };

  useKeepPlace(rows, messages, pending, myUuid, {
    atBottom,
    scrollToLatest,
    scrollToIndex: (index) => {
      virtualizer.scrollToIndex(index, { align: 'start' });
      const el = scrollRef.current;
      if (el) atBottom.current = distanceToBottom(el) < BOTTOM_SLACK;
    },
    onArrived: (count) => setArrived((current) => current + count),
    keepAnchor: () => {
      const el = scrollRef.current;
      const start = anchor.current && startOfRow(rows, anchor.current, virtualizer.measurementsCache);
      if (el && start !== undefined) {
        const target = Math.round(start + anchor.current!.offset);
        if (Math.abs(el.scrollTop - target) >= 1) el.scrollTop = target;
      }
      noteAnchor();
    },
  });

  useImperativeHandle(
    props.controlRef,
    () => ({
      scrollByPage(direction) {
        const el = scrollRef.current;
        if (el) el.scrollTop += direction * Math.max(el.clientHeight * 0.9, 40);
      },
    }),
    [],
  );

  const items = virtualizer.getVirtualItems();
  const lastVisible = useRef<string>('');
  /** Reports what is inside the viewport when it changed; run after renders and on scroll. */
  function reportVisible() {
    const el = scrollRef.current;
    if (!el || !props.onVisibleChange) return;
    const top = el.scrollTop;
    const bottom = top + el.clientHeight;
    const visible: VisibleMessages = { newest: undefined, newestTheirs: undefined };
    for (const item of virtualizer.getVirtualItems()) {
      const row = rows[item.index];
      if (row?.kind !== 'message' || item.end <= top || item.start >= bottom) continue;
      visible.newest = row.message;
      if (!row.mine) visible.newestTheirs = row.message;
    }
    const key = `${visible.newest?.message_uuid}|${visible.newestTheirs?.message_uuid}`;
    if (key === lastVisible.current) return;
    lastVisible.current = key;
    props.onVisibleChange(visible);
  }
  useEffect(reportVisible);

  // The first row inside the viewport (not the overscan rows rendered above it).
  const firstVisible = virtualizer.range?.startIndex ?? 0;
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || !hasOlder || loadingOlder || atBottom.current) return;
    // Where the view is now: the page that just arrived has moved it down (rows were added above).
    const first = virtualizer.getVirtualItemForOffset(el.scrollTop)?.index ?? 0;
    if (first <= 2) onLoadOlder();
  }, [hasOlder, loadingOlder, firstVisible, onLoadOlder, virtualizer]);

  return (
    <div className="message-list-frame">
      <div
        ref={scrollRef}
        className="message-list"
        role="log"
        aria-label="Messages"
        aria-live="polite"
        aria-relevant="additions"
        tabIndex={0}
        onScroll={(event) => {
          atBottom.current = distanceToBottom(event.currentTarget) < BOTTOM_SLACK;
          if (atBottom.current) setArrived(0);
          noteAnchor();
          reportVisible();
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
                className={slotClass(row)}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {renderRow(row)}
              </div>
            );
          })}
        </div>
      </div>
      {arrived > 0 && (
        <JumpToLatest
          count={arrived}
          onJump={() => {
            scrollToLatest();
            scrollRef.current?.focus();
          }}
        />
      )}
    </div>
  );

  function renderRow(row: Row) {
    switch (row.kind) {
      case 'older':
        return (
          <p className="message-list__older">
            {loadingOlder ? (
              'Loading older messages…'
            ) : (
              <button type="button" onClick={props.onLoadOlder}>
                Load older messages
              </button>
            )}
          </p>
        );
      case 'day':
        return <h3 className="message-list__day">{formatDayHeading(row.iso, now)}</h3>;
      case 'unread':
        return (
          <div className="message-list__unread" role="separator" aria-label="New messages">
            <span>New messages</span>
          </div>
        );
      case 'message': {
        const { message, mine, first } = row;
        return (
          <div className={mine ? 'bubble bubble--mine' : 'bubble'}>
            {!mine &&
              (first ? (
                <span className="bubble__author">{message.display_name}</span>
              ) : (
                <span className="sr-only">{message.display_name}</span>
              ))}
            <MessageText text={message.message} />
            <time
              className="bubble__time"
              dateTime={message.created_at}
              title={formatFullTime(message.created_at)}
            >
              {formatMessageTime(message.created_at, now)}
            </time>
          </div>
        );
      }
      case 'pending':
        return (
          <div className={`bubble bubble--mine bubble--${row.pending.status}`}>
            <MessageText text={row.pending.message} />
            {renderPendingStatus(row.pending, props.onRetry)}
          </div>
        );
      default:
        return exhaustive(row);
    }
  }
}

/**
 * Where my unsent message is: on its way, waiting in the outbox for the connection (it goes out
 * by itself, so no Retry), or refused (with why, and Retry).
 */
function renderPendingStatus(pending: PendingMessage, onRetry: (messageUuid: string) => void) {
  switch (pending.status) {
    case 'sending':
      return <span className="bubble__time">Sending…</span>;
    case 'waiting':
      return <span className="bubble__time">Waiting for connection</span>;
    case 'failed':
      return (
        <span className="bubble__failed" role="alert">
          Not sent: {pending.error}{' '}
          <button type="button" onClick={() => onRetry(pending.message_uuid)}>
            Retry
          </button>
        </span>
      );
    default:
      return exhaustive(pending.status);
  }
}

/** A first guess at a row's height (px) before it is measured: a bubble, its author line, a heading. */
function estimateRow(row: Row | undefined): number {
  if (row?.kind === 'message' || row?.kind === 'pending') return row.first ? 56 : 48;
  return 36;
}

function slotClass(row: Row): string {
  const continued = (row.kind === 'message' || row.kind === 'pending') && !row.first;
  return continued ? 'message-list__slot message-list__slot--continued' : 'message-list__slot';
}

interface Place {
  atBottom: { current: boolean };
  scrollToLatest(): void;
  scrollToIndex(index: number): void;
  onArrived(count: number): void;
  /** Puts the row that was at the top of the view back where it was (rows came above it). */
  keepAnchor(): void;
}

/** The first message row at or after `index` (a heading or two come before one), as measured. */
function firstMessageFrom<T>(rows: readonly Row[], index: number, measurements: readonly T[]): T | undefined {
  for (let i = index; i < Math.min(rows.length, index + 4); i++) {
    const kind = rows[i]!.kind;
    if (kind === 'message' || kind === 'pending') return measurements[i];
  }
  return measurements[index];
}

interface Anchor {
  key: string;
  index: number;
  /** How many rows there were when it was noted. */
  count: number;
  offset: number;
}

/**
 * Where the anchor row starts now: an older page moves it down by the rows it added, so its old
 * index plus that count is tried first, and only then is every row searched.
 */
function startOfRow(
  rows: readonly Row[],
  anchor: Anchor,
  measurements: readonly { start: number }[],
): number | undefined {
  const guess = anchor.index + rows.length - anchor.count;
  const index =
    rows[guess] && rowKey(rows[guess]) === anchor.key
      ? guess
      : rows.findIndex((row) => rowKey(row) === anchor.key);
  return index < 0 ? undefined : measurements[index]?.start;
}

/**
 * Where the view goes when the rows change: on the first messages, to the divider or the bottom;
 * on my own send, to the bottom; at the bottom, it follows arrivals; scrolled up, it stays put
 * (arrivals are counted; the virtualizer's anchorTo keeps the row the reader saw where it was when
 * an older page arrives).
 */
function useKeepPlace(
  rows: Row[],
  messages: readonly MessageView[],
  pending: readonly PendingMessage[],
  myUuid: string | undefined,
  place: Place,
) {
  const placed = useRef(false);
  const newestSk = useRef<string | undefined>(undefined);
  const seenPending = useRef(new Set<string>());
  const latest = useRef(place);
  latest.current = place;

  useLayoutEffect(() => {
    const { atBottom, scrollToLatest, scrollToIndex, onArrived, keepAnchor } = latest.current;
    const previousNewest = newestSk.current;
    newestSk.current = messages.at(-1)?.sk;
    const sent = pending.some((p) => !seenPending.current.has(p.message_uuid));
    seenPending.current = new Set(pending.map((p) => p.message_uuid));

    if (!placed.current) {
      if (messages.length === 0 && pending.length === 0) return;
      placed.current = true;
      const divider = rows.findIndex((row) => row.kind === 'unread');
      if (divider >= 0) scrollToIndex(divider);
      else scrollToLatest();
      return;
    }
    if (sent || atBottom.current) {
      scrollToLatest();
      return;
    }
    const theirs = countNewerFromOthers(messages, previousNewest, myUuid);
    if (theirs > 0) onArrived(theirs);
    keepAnchor();
  }, [rows, messages, pending, myUuid]);
}

/** Messages from someone else after `sk`, counted from the end (arrivals are appended). */
function countNewerFromOthers(
  messages: readonly MessageView[],
  sk: string | undefined,
  myUuid: string | undefined,
) {
  if (sk === undefined) return 0;
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.sk > sk; i--) {
    if (messages[i]!.user_uuid !== myUuid) count += 1;
  }
  return count;
}
