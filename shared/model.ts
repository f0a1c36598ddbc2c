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

export interface Person {
  uuid: string;
  handle: string;
  display_name: string;
}

/** The conversation item's sort key (see core/messages/items.ts): it sorts before every MSG# key. */
export const CONVERSATION_SK = 'GROUP';

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
