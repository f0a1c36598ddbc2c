import type { ConversationView, MessageView, Page } from '../../shared/messages';
import { shorten, textTable } from '../output/columns';

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

const MESSAGE_WIDTH = 60;

const when = `WHEN (${timeZone})`;

export function messagesTable(messages: MessageView[]): string[] {
  return textTable(
    [{ title: 'FROM' }, { title: when }, { title: 'MESSAGE', max: MESSAGE_WIDTH }],
    messages.map((m) => [`@${m.handle}`, localDateTime(m.created_at), m.message]),
    { rule: true },
  );
}

export function groupsTable(groups: ConversationView[]): string[] {
  return textTable(
    [
      { title: 'WITH' },
      { title: 'LAST REPLY' },
      { title: 'LAST MESSAGE', max: MESSAGE_WIDTH },
      { title: 'UNREAD' },
      { title: 'CONVERSATION' },
    ],
    groups.map((g) => [
      `@${g.handle}`,
      localDateTime(g.last_reply_at),
      g.message,
      String(g.unread_count),
      g.message_group_uuid,
    ]),
    { rule: true },
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
    `${localDateTime(message.created_at)}  @${message.handle}: ${shorten(message.message, MESSAGE_WIDTH)}`,
    `message_uuid ${message.message_uuid} (--message-uuid ${message.message_uuid} resends it without a duplicate)`,
  ];
}
