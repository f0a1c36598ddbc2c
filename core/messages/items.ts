import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { ConversationView, MessageView } from '../../shared/messages';
import {
  CONVERSATION_SK,
  GROUP_SK_PREFIX,
  MESSAGE_SK_PREFIX,
  groupPk,
  groupSk,
  messagePk,
  messageSk,
  type Person,
} from '../../shared/model';

/**
 * The table's three kinds of item, each declared once as a schema: the types, the readers and
 * the builders below all come from these. zod/mini (the tree-shakable form of zod, ~14 KB) keeps
 * the Pattern E Lambda, which reads message items from stream images, small.
 */
const text = z.string();
const startingWith = (prefix: string) => z.string().check(z.startsWith(prefix));

/** A person as items carry them: a message its sender, a group item the OTHER member. */
const personAttributes = { user_uuid: text, user_handle: text, user_display_name: text };
const attributesOf = (person: Person) => ({
  user_uuid: person.uuid,
  user_handle: person.handle,
  user_display_name: person.display_name,
});

export const messageItemSchema = z.object({
  pk: startingWith('MSG#'),
  sk: startingWith(MESSAGE_SK_PREFIX),
  message_uuid: text,
  message: text,
  created_at: text,
  ...personAttributes,
});
export type MessageItem = z.infer<typeof messageItemSchema>;

export const messageGroupItemSchema = z.object({
  pk: startingWith('GRP#'),
  sk: startingWith(GROUP_SK_PREFIX),
  message_group_uuid: text,
  /** The last message's text, its time and its sort key (Pattern E compares sort keys). */
  message: text,
  last_reply_at: text,
  last_message_sk: text,
  ...personAttributes,
  /**
   * What the member has read: the sort key of the newest message they have read, and how many
   * messages from the other member came after it. Absent means nothing read and 0 unread (items
   * written before unread counts). Pattern E moves both with the item, markConversationRead moves
   * the mark; each write is conditional on both last_message_sk and last_read_sk as it read them.
   */
  last_read_sk: z.optional(text),
  unread_count: z.optional(z.number()),
});
export type MessageGroupItem = z.infer<typeof messageGroupItemSchema>;

/**
 * One conversation item per conversation, pk MSG#{group}, sk GROUP (sorts before every MSG#
 * message key, so Pattern A's key condition never returns it). Pattern D creates it with
 * attribute_not_exists in the same transaction as the first message and both group items: two
 * people starting a conversation with each other at the same moment collide on it, and the
 * loser sends into the winner's conversation instead of making a duplicate.
 */
export const conversationItemSchema = z.object({
  pk: startingWith('MSG#'),
  sk: z.literal(CONVERSATION_SK),
  member_uuids: z.tuple([text, text]),
  created_at: text,
});
export type ConversationItem = z.infer<typeof conversationItemSchema>;

type ItemSchema = typeof messageItemSchema | typeof messageGroupItemSchema | typeof conversationItemSchema;
type PlainRecord = Record<string, unknown>;

/** The item a plain record (from the document client) holds, or undefined when it is not one. */
export function readItem<S extends ItemSchema>(
  schema: S,
  record: PlainRecord | undefined,
): z.infer<S> | undefined {
  const parsed = schema.safeParse(record);
  return parsed.success ? (parsed.data as z.infer<S>) : undefined;
}

/** The same for an attribute-value image (a stream record's NewImage, a failed condition's Item). */
export function readImage<S extends ItemSchema>(
  schema: S,
  image: Record<string, AttributeValue> | undefined,
): z.infer<S> | undefined {
  if (!image) return undefined;
  try {
    return readItem(schema, unmarshall(image));
  } catch {
    return undefined;
  }
}

/**
 * The stored item a failed conditional write handed back (ReturnValuesOnConditionCheckFailure
 * ALL_OLD), read with `schema`: undefined when there was none. Any other error is rethrown.
 */
export function itemOfConditionFailure<S extends ItemSchema>(
  schema: S,
  error: unknown,
): z.infer<S> | undefined {
  const failure = error as { name?: string; Item?: Record<string, AttributeValue> };
  if (failure.name !== 'ConditionalCheckFailedException') throw error;
  // The document client does not convert error payloads: the item comes as attribute values.
  return readImage(schema, failure.Item);
}

/** Reads every item or fails loudly: a malformed item in a page is a data fault, not "no item". */
export function readAll<S extends ItemSchema>(schema: S, records: PlainRecord[] | undefined): z.infer<S>[] {
  return (records ?? []).map((record) => {
    const item = readItem(schema, record);
    if (!item) throw new Error(`malformed item ${String(record['pk'])} ${String(record['sk'])}`);
    return item;
  });
}

export function messageItem(
  groupUuid: string,
  sender: Person,
  messageUuid: string,
  text: string,
  createdAt: string,
): MessageItem {
  return {
    pk: messagePk(groupUuid),
    sk: messageSk(createdAt, messageUuid),
    message_uuid: messageUuid,
    message: text,
    created_at: createdAt,
    ...attributesOf(sender),
  };
}

/** A group item's read state; undefined attributes are left out (absent means 0 / nothing read). */
export type ReadState = Pick<MessageGroupItem, 'last_read_sk' | 'unread_count'>;

/**
 * The read state as attributes to spread into an item: without undefined values, which a client
 * without removeUndefinedValues (the Pattern E Lambda's) refuses to marshall.
 */
export const readStateAttributes = ({ last_read_sk, unread_count }: ReadState): ReadState => ({
  ...(last_read_sk === undefined ? {} : { last_read_sk }),
  ...(unread_count === undefined ? {} : { unread_count }),
});

/**
 * The group item `member` sees for a conversation with `other`, pointing at `last`, with what
 * `member` has read of it (nothing, by default).
 */
export function messageGroupItem(
  groupUuid: string,
  member: Pick<Person, 'uuid'>,
  other: Person,
  last: MessageItem,
  read: ReadState = {},
): MessageGroupItem {
  return {
    pk: groupPk(member.uuid),
    sk: groupSk(last.created_at, groupUuid),
    message_group_uuid: groupUuid,
    message: last.message,
    last_reply_at: last.created_at,
    last_message_sk: last.sk,
    ...attributesOf(other),
    ...readStateAttributes(read),
  };
}

export function conversationItem(
  groupUuid: string,
  members: [string, string],
  createdAt: string,
): ConversationItem {
  const [first, second] = [...members].sort() as [string, string];
  return {
    pk: messagePk(groupUuid),
    sk: CONVERSATION_SK,
    member_uuids: [first, second],
    created_at: createdAt,
  };
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
  unread_count: item.unread_count ?? 0,
});
