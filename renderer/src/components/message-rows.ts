import type { MessageView } from '../../../shared/messages';
import { exhaustive } from '../../../shared/exhaustive';
import { isSameDay } from '../lib/time';
import type { PendingMessage } from '../store/threads';

/**
 * The rows of a conversation, as a discriminated union the virtualized list renders. `first`
 * marks the first message of a run from one sender: only it shows the author, with more space.
 */
export type Row =
  | { kind: 'older'; loading: boolean }
  | { kind: 'day'; key: string; iso: string }
  | { kind: 'unread' }
  | { kind: 'message'; message: MessageView; mine: boolean; first: boolean }
  | { kind: 'pending'; pending: PendingMessage; first: boolean };

/** Messages further apart than this start a new run even from the same sender. */
const RUN_GAP_MS = 5 * 60 * 1000;

interface RowSource {
  messages: readonly MessageView[];
  pending: readonly PendingMessage[];
  myUuid: string | undefined;
  hasOlder: boolean;
  loadingOlder: boolean;
  firstUnreadUuid: string | undefined;
}

/** Where a run is: who spoke last and when; a day heading or the divider ends it. */
interface RunState {
  sender: string | undefined;
  at: number;
}

function continuesRun(run: RunState, sender: string | undefined, iso: string): boolean {
  const at = Date.parse(iso);
  return run.sender !== undefined && run.sender === sender && at - run.at < RUN_GAP_MS;
}

/** Builds the rows once per change of the thread (never per scroll or per minute). */
export function buildRows({
  messages,
  pending,
  myUuid,
  hasOlder,
  loadingOlder,
  firstUnreadUuid,
}: RowSource): Row[] {
  const rows: Row[] = hasOlder ? [{ kind: 'older', loading: loadingOlder }] : [];
  let previous: string | undefined;
  let run: RunState = { sender: undefined, at: 0 };
  for (const message of messages) {
    if (!previous || !isSameDay(previous, message.created_at)) {
      rows.push({
        kind: 'day',
        key: `day-${message.created_at.slice(0, 10)}-${message.message_uuid}`,
        iso: message.created_at,
      });
      run = { sender: undefined, at: 0 };
    }
    if (message.message_uuid === firstUnreadUuid) {
      rows.push({ kind: 'unread' });
      run = { sender: undefined, at: 0 };
    }
    previous = message.created_at;
    const first = !continuesRun(run, message.user_uuid, message.created_at);
    run = { sender: message.user_uuid, at: Date.parse(message.created_at) };
    rows.push({ kind: 'message', message, mine: message.user_uuid === myUuid, first });
  }
  for (const item of pending) {
    rows.push({ kind: 'pending', pending: item, first: !continuesRun(run, myUuid, item.created_at) });
    run = { sender: myUuid, at: Date.parse(item.created_at) };
  }
  return rows;
}

export const rowKey = (row: Row): string => {
  switch (row.kind) {
    case 'older':
      return 'older';
    case 'day':
      return row.key;
    case 'unread':
      return 'unread';
    case 'message':
      return row.message.message_uuid;
    case 'pending':
      return `pending-${row.pending.message_uuid}`;
    default:
      return exhaustive(row);
  }
};

/**
 * The first unread message of a visit: the `unread`-th newest from someone else (the table counts
 * only their messages). With fewer of them loaded, the oldest loaded one; none unread, undefined.
 */
export function firstUnreadMessage(
  messages: readonly MessageView[],
  myUuid: string | undefined,
  unread: number,
): MessageView | undefined {
  if (unread <= 0) return undefined;
  let found: MessageView | undefined;
  let seen = 0;
  for (let i = messages.length - 1; i >= 0 && seen < unread; i--) {
    const message = messages[i]!;
    if (message.user_uuid === myUuid) continue;
    found = message;
    seen += 1;
  }
  return found;
}
