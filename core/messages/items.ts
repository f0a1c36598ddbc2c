import type { ConversationView, MessageView } from '../../shared/messages';
import { isGroupSk, isMessageSk, type MessageGroupItem, type MessageItem } from '../../shared/model';

/**
 * Items come back from DynamoDB as untyped records (plain values from the document client, or
 * attribute values from a stream image or a failed condition); these read them into the model's
 * shapes and refuse anything that is not one, rather than trusting a cast.
 */
type Plain = Record<string, unknown>;

/** `{ S: "x" }` attribute values to plain strings; the model's message and group items are all strings. */
export function plainStrings(image: Record<string, unknown> | undefined): Plain {
  const plain: Plain = {};
  for (const [name, value] of Object.entries(image ?? {})) {
    const text = (value as { S?: unknown } | null)?.S;
    if (typeof text === 'string') plain[name] = text;
  }
  return plain;
}

function strings<K extends string>(record: Plain, names: readonly K[]): Record<K, string> | undefined {
  const picked = {} as Record<K, string>;
  for (const name of names) {
    const value = record[name];
    if (typeof value !== 'string') return undefined;
    picked[name] = value;
  }
  return picked;
}

const MESSAGE_FIELDS = [
  'pk',
  'sk',
  'message_uuid',
  'message',
  'created_at',
  'user_uuid',
  'user_handle',
  'user_display_name',
] as const;

const GROUP_FIELDS = [
  'pk',
  'sk',
  'message_group_uuid',
  'message',
  'last_reply_at',
  'last_message_sk',
  'user_uuid',
  'user_handle',
  'user_display_name',
] as const;

export function readMessageItem(record: Plain): MessageItem | undefined {
  const item = strings(record, MESSAGE_FIELDS);
  return item && isMessageSk(item.sk) ? item : undefined;
}

export function readMessageGroupItem(record: Plain): MessageGroupItem | undefined {
  const item = strings(record, GROUP_FIELDS);
  return item && isGroupSk(item.sk) ? item : undefined;
}

/** Reads every item or fails loudly: a malformed item in a page is a data fault, not "no item". */
export function readAll<T>(records: Plain[] | undefined, read: (record: Plain) => T | undefined): T[] {
  return (records ?? []).map((record) => {
    const item = read(record);
    if (!item) throw new Error(`malformed item ${String(record['pk'])} ${String(record['sk'])}`);
    return item;
  });
}

export const toMessageView = (item: MessageItem): MessageView => ({
  message_uuid: item.message_uuid,
  message: item.message,
  created_at: item.created_at,
  user_uuid: item.user_uuid,
  handle: item.user_handle,
  display_name: item.user_display_name,
  sk: item.sk,
});

export const toConversationView = (item: MessageGroupItem): ConversationView => ({
  message_group_uuid: item.message_group_uuid,
  message: item.message,
  last_reply_at: item.last_reply_at,
  user_uuid: item.user_uuid,
  handle: item.user_handle,
  display_name: item.user_display_name,
  sk: item.sk,
});
