import type { ConversationView, MessageView, Page } from '../../shared/messages';
import { shorten } from '../output/table';

/**
 * How the pattern scripts print what the service returns. JSON keeps the service's fields but
 * not `sk` (a position for the app's poller, not something an admin passes around); tables show
 * each item on one line, times in this machine's time zone.
 */
export type MessageJson = Omit<MessageView, 'sk'>;
export type MessageGroupJson = Omit<ConversationView, 'sk'>;

export const messageJson = ({ sk: _sk, ...message }: MessageView): MessageJson => message;
export const messageGroupJson = ({ sk: _sk, ...group }: ConversationView): MessageGroupJson => group;

export function pageJson<T, J>(page: Page<T>, toJson: (item: T) => J): Page<J> {
  return { items: page.items.map(toJson), cursor: page.cursor, consumed_capacity: page.consumed_capacity };
}

export const printJson = (value: unknown): string => JSON.stringify(value, null, 2);

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const localDateTime = (iso: string): string => dateTime.format(new Date(iso));
const timeZone = dateTime.resolvedOptions().timeZone;

/** Line breaks as ⏎ and other control characters as �, so one message is one line. */
const oneLine = (text: string): string =>
  text
    .replace(/\r\n|\n|\r/g, '⏎')
    .replace(/\t/g, ' ')
    .replace(/\p{Cc}/gu, '�');

const MESSAGE_WIDTH = 60;
const width = (text: string): number => Array.from(text).length;

function table(titles: string[], rows: string[][]): string[] {
  const widths = titles.map((title, index) =>
    Math.max(width(title), ...rows.map((row) => width(row[index]!))),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => cell + ' '.repeat(widths[index]! - width(cell)))
      .join('  ')
      .trimEnd();
  return [line(titles), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const when = `WHEN (${timeZone})`;

export function messagesTable(messages: MessageView[]): string[] {
  return table(
    ['FROM', when, 'MESSAGE'],
    messages.map((m) => [
      `@${m.handle}`,
      localDateTime(m.created_at),
      shorten(oneLine(m.message), MESSAGE_WIDTH),
    ]),
  );
}

export function groupsTable(groups: ConversationView[]): string[] {
  return table(
    ['WITH', 'LAST REPLY', 'LAST MESSAGE', 'CONVERSATION'],
    groups.map((g) => [
      `@${g.handle}`,
      localDateTime(g.last_reply_at),
      shorten(oneLine(g.message), MESSAGE_WIDTH),
      g.message_group_uuid,
    ]),
  );
}

/** What follows a page's table: its size, the capacity it cost, and the command for the next page. */
export function pageFooter(page: Page<unknown>, noun: string, sameCommand: string): string[] {
  const count = `${page.items.length} ${noun}${page.items.length === 1 ? '' : 's'}`;
  const lines = [`${count}; consumed capacity: ${page.consumed_capacity} read units`];
  if (!page.cursor) return [...lines, 'cursor: null (no older page)'];
  return [...lines, `cursor: ${page.cursor}`, `older: ${sameCommand} --cursor ${page.cursor}`];
}

/** A stored message for the create scripts: when, who and what, and its uuid for a resend. */
export function storedMessageLines(message: MessageView): string[] {
  return [
    `${localDateTime(message.created_at)}  @${message.handle}: ${shorten(oneLine(message.message), MESSAGE_WIDTH)}`,
    `message_uuid ${message.message_uuid} (--message-uuid ${message.message_uuid} resends it without a duplicate)`,
  ];
}
