import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { MessageGroupView } from '../../../shared/messages';
import { formatListTime } from '../lib/time';
import { useConversationsStore } from '../store/conversations';
import { Avatar } from './Avatar';
import { exhaustive } from '../../../shared/exhaustive';

type Row = { kind: 'group'; group: MessageGroupView } | { kind: 'more' };

const ROW_HEIGHT = 68;

/** Pattern B: my conversations, newest reply first, virtualized, next page fetched near the end. */
export function ConversationList() {
  const groups = useConversationsStore((s) => s.groups);
  const cursor = useConversationsStore((s) => s.cursor);
  const status = useConversationsStore((s) => s.status);
  const error = useConversationsStore((s) => s.error);
  const selected = useConversationsStore((s) => s.selected);
  const select = useConversationsStore((s) => s.select);
  const loadMore = useConversationsStore((s) => s.loadMore);
  const scrollRef = useRef<HTMLDivElement>(null);

  const rows = useMemo<Row[]>(
    () => [
      ...groups.map((group) => ({ kind: 'group' as const, group })),
      ...(cursor ? [{ kind: 'more' as const }] : []),
    ],
    [groups, cursor],
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

  if (status === 'error' && groups.length === 0) {
    return <p className="pane__empty pane__empty--error">Could not load conversations: {error?.message}</p>;
  }
  if (status !== 'loading' && groups.length === 0) {
    return <p className="pane__empty">No conversations yet.</p>;
  }

  return (
    <div ref={scrollRef} className="group-list" role="list" aria-label="Conversation list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={row.kind === 'group' ? row.group.message_group_uuid : 'more'}
              role="listitem"
              className="group-list__slot"
              style={{ transform: `translateY(${item.start}px)`, height: item.size }}
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
      case 'group': {
        const { group } = row;
        const active = group.message_group_uuid === selected;
        return (
          <button
            type="button"
            className={active ? 'group-row group-row--active' : 'group-row'}
            aria-current={active ? 'true' : undefined}
            onClick={() => select(group.message_group_uuid)}
          >
            <Avatar name={group.display_name} />
            <span className="group-row__text">
              <span className="group-row__top">
                <span className="group-row__name">{group.display_name}</span>
                <time className="group-row__time" dateTime={group.last_reply_at}>
                  {formatListTime(group.last_reply_at)}
                </time>
              </span>
              <span className="group-row__message" dir="auto">
                {group.message}
              </span>
            </span>
          </button>
        );
      }
      case 'more':
        return <p className="group-list__more">Loading more…</p>;
      default:
        return exhaustive(row);
    }
  }
}

