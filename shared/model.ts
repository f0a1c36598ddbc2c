/**
 * The single-table data model (see README, "Data model"): key formats live here and nowhere
 * else. Timestamps are ISO 8601 in UTC with milliseconds, so they sort as strings.
 */
export const MESSAGE_GROUP_INDEX = 'message-group-sk-index';
export const MAX_MESSAGE_LENGTH = 1024;

/** A conversation's messages: pk MSG#{group}, sk MSG#{created_at}#{message_uuid} (unique). */
export const messagePk = (messageGroupUuid: string): string => `MSG#${messageGroupUuid}`;
export const messageSk = (createdAt: string, messageUuid: string): string =>
  `MSG#${createdAt}#${messageUuid}`;

/** One group item per member: pk GRP#{member}, sk GRP#{last_reply_at}#{group} (unique per member). */
export const groupPk = (memberUserUuid: string): string => `GRP#${memberUserUuid}`;
export const groupSk = (lastReplyAt: string, messageGroupUuid: string): string =>
  `GRP#${lastReplyAt}#${messageGroupUuid}`;

export const isMessagePk = (pk: string): boolean => pk.startsWith('MSG#');
export const isGroupPk = (pk: string): boolean => pk.startsWith('GRP#');

export interface Person {
  uuid: string;
  handle: string;
  display_name: string;
}

export interface MessageItem {
  pk: string;
  sk: string;
  message_uuid: string;
  message: string;
  created_at: string;
  /** The sender. */
  user_uuid: string;
  user_handle: string;
  user_display_name: string;
}

export interface MessageGroupItem {
  pk: string;
  sk: string;
  message_group_uuid: string;
  /** The last message's text, its time and its sort key (Pattern E compares sort keys). */
  message: string;
  last_reply_at: string;
  last_message_sk: string;
  /** The OTHER member. */
  user_uuid: string;
  user_handle: string;
  user_display_name: string;
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
    user_uuid: sender.uuid,
    user_handle: sender.handle,
    user_display_name: sender.display_name,
  };
}

/** The group item `member` sees for a conversation with `other`, pointing at `last`. */
export function messageGroupItem(
  groupUuid: string,
  member: Person,
  other: Person,
  last: MessageItem,
): MessageGroupItem {
  return {
    pk: groupPk(member.uuid),
    sk: groupSk(last.created_at, groupUuid),
    message_group_uuid: groupUuid,
    message: last.message,
    last_reply_at: last.created_at,
    last_message_sk: last.sk,
    user_uuid: other.uuid,
    user_handle: other.handle,
    user_display_name: other.display_name,
  };
}

/**
 * One conversation item per conversation, pk MSG#{group}, sk GROUP (sorts before every MSG#
 * message key, so Pattern A's key condition never returns it). Pattern D creates it with
 * attribute_not_exists in the same transaction as the first message and both group items: two
 * people starting a conversation with each other at the same moment collide on it, and the
 * loser sends into the winner's conversation instead of making a duplicate.
 */
export const CONVERSATION_SK = 'GROUP';

export interface ConversationItem {
  pk: string;
  sk: typeof CONVERSATION_SK;
  member_uuids: [string, string];
  created_at: string;
}

export function conversationItem(
  groupUuid: string,
  members: [string, string],
  createdAt: string,
): ConversationItem {
  return {
    pk: messagePk(groupUuid),
    sk: CONVERSATION_SK,
    member_uuids: [...members].sort() as [string, string],
    created_at: createdAt,
  };
}

/**
 * Sort-key prefixes for key conditions: begins_with(sk, MESSAGE_SK_PREFIX) reads a conversation's
 * messages and skips its conversation item; GROUP_SK_PREFIX reads a member's group items.
 */
export const MESSAGE_SK_PREFIX = 'MSG#';
export const GROUP_SK_PREFIX = 'GRP#';
export const isMessageSk = (sk: string): boolean => sk.startsWith(MESSAGE_SK_PREFIX);
export const isGroupSk = (sk: string): boolean => sk.startsWith(GROUP_SK_PREFIX);
/** The conversation a message item's pk names (Pattern E reads it from stream records). */
export const messageGroupUuidOfPk = (pk: string): string | undefined =>
  isMessagePk(pk) ? pk.slice('MSG#'.length) || undefined : undefined;
