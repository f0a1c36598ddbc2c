import type { MessageView } from '../../../shared/messages';
import { exhaustive } from '../../../shared/exhaustive';
import { localDayKey } from '../lib/time';
import type { PendingMessage } from '../store/threads';

/**
 * The rows of a conversation, as a discriminated union the virtualized list renders. `first`
 * marks the first message of a run from one sender: only it shows the author, with more space.
 */
export type Row =
  | { kind: 'older' }
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
  firstUnreadUuid: string | undefined;
}

/** Where a run is: who spoke last and when; a day heading or the divider ends it. */
interface RunState {
  sender: string | undefined;
  at: number;
}

const NO_RUN: RunState = { sender: undefined, at: 0 };

function continuesRun(run: RunState, sender: string | undefined, at: number): boolean {
  return run.sender !== undefined && run.sender === sender && at - run.at < RUN_GAP_MS;
}

/** What a message's rows need of its time, worked out once per message (not per row per render). */
interface MessageTimes {
  day: string;
  at: number;
}

const times = new WeakMap<MessageView, MessageTimes>();

function timesOf(message: MessageView): MessageTimes {
  let found = times.get(message);
  if (!found) {
    found = { day: localDayKey(message.created_at), at: Date.parse(message.created_at) };
    times.set(message, found);
  }
  return found;
}

/**
 * The rows made for a message last time, reused while nothing about them changed: the same Row
 * objects for unchanged messages let React and the virtualizer skip them after an older page.
 */
const messageRows = new WeakMap<MessageView, Extract<Row, { kind: 'message' }>>();
const dayRows = new WeakMap<MessageView, Extract<Row, { kind: 'day' }>>();

function messageRow(message: MessageView, mine: boolean, first: boolean): Row {
  const previous = messageRows.get(message);
  if (previous && previous.mine === mine && previous.first === first) return previous;
  const row = { kind: 'message' as const, message, mine, first };
  messageRows.set(message, row);
  return row;
}

function dayRow(message: MessageView): Row {
  let row = dayRows.get(message);
  if (!row) {
    row = {
      kind: 'day',
      key: `day-${message.created_at.slice(0, 10)}-${message.message_uuid}`,
      iso: message.created_at,
    };
    dayRows.set(message, row);
  }
  return row;
}

/** Rows built for a source, kept by the caller to build the next ones from. */
export interface BuiltRows {
  source: RowSource;
  rows: Row[];
}

/**
 * Builds the rows once per change of the thread (never per scroll or per minute). Given the rows
 * built before, an older page (messages added in front, nothing else changed) costs the page, not
 * the conversation: only the new messages and the first old one (its day heading and author line
 * depend on what is before it) are built; the rows after it are the same as before.
 */
export function buildRows(source: RowSource, previous?: BuiltRows): Row[] {
  const added = previous ? prependedCount(previous.source, source) : 0;
  if (previous && added > 0) {
    const head = buildAllRows({ ...source, messages: source.messages.slice(0, added + 1), pending: [] });
    const firstOld = previous.rows.findIndex((row) => row.kind === 'message');
    return head.concat(previous.rows.slice(firstOld + 1));
  }
  return buildAllRows(source);
}

/** How many messages were put in front of the previous ones, when that is all that changed; else 0. */
function prependedCount(before: RowSource, after: RowSource): number {
  const added = after.messages.length - before.messages.length;
  const same =
    before.pending === after.pending &&
    before.myUuid === after.myUuid &&
    before.firstUnreadUuid === after.firstUnreadUuid &&
    before.messages.length > 0 &&
    added > 0 &&
    after.messages[added] === before.messages[0] &&
    after.messages.at(-1) === before.messages.at(-1);
  return same ? added : 0;
}

function buildAllRows({ messages, pending, myUuid, hasOlder, firstUnreadUuid }: RowSource): Row[] {
  const rows: Row[] = hasOlder ? [OLDER] : [];
  let previousDay: string | undefined;
  let run = NO_RUN;
  for (const message of messages) {
    const { day, at } = timesOf(message);
    if (day !== previousDay) {
      rows.push(dayRow(message));
      run = NO_RUN;
    }
    if (message.message_uuid === firstUnreadUuid) {
      rows.push(UNREAD);
      run = NO_RUN;
    }
    previousDay = day;
    const first = !continuesRun(run, message.user_uuid, at);
    run = { sender: message.user_uuid, at };
    rows.push(messageRow(message, message.user_uuid === myUuid, first));
  }
  for (const item of pending) {
    const at = Date.parse(item.created_at);
    rows.push({ kind: 'pending', pending: item, first: !continuesRun(run, myUuid, at) });
    run = { sender: myUuid, at };
  }
  return rows;
}

const OLDER: Row = { kind: 'older' };
const UNREAD: Row = { kind: 'unread' };

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
