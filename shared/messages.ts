import { z } from 'zod';
import { uuidV7Timestamp } from './message-uuid';
import { HANDLE_RULE, handleSchema } from './auth';
import { MAX_MESSAGE_LENGTH } from './model';
import { cappedString } from './text';
import { checkMessageText, type Checked } from './message-text';

export {
  checkMessageText,
  MAX_MESSAGE_RAW_LENGTH,
  messageCreatedAt,
  MESSAGE_CLOCK_WINDOW_MS,
  MESSAGE_UUID_EXPIRED,
  NEWS_OVERLAP_MS,
  SEND_QUEUED,
} from './message-text';

/**
 * What the message service takes and gives back, shared by the main process, the scripts and the
 * renderer (which validates a draft with the same rules before sending it).
 */
export { MAX_MESSAGE_LENGTH };
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface MessageView {
  message_uuid: string;
  message: string;
  /** ISO 8601, UTC, milliseconds. */
  created_at: string;
  /** The sender. */
  user_uuid: string;
  handle: string;
  display_name: string;
  /** Position in the conversation: pass the newest one to listMessagesAfter when polling. */
  sk: string;
}

export interface ConversationView {
  message_group_uuid: string;
  /** The last message's text. */
  message: string;
  last_reply_at: string;
  /** The OTHER member of the conversation. */
  user_uuid: string;
  handle: string;
  display_name: string;
  /** Position in the list: pass the newest one to listConversationsAfter when polling. */
  sk: string;
  /** Messages from the other member after what I have read (kept by the table, so every device agrees). */
  unread_count: number;
}

/** A page of Pattern A or B, newest first; `cursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  cursor: string | null;
  consumed_capacity: number;
}

/** What is newer than a position, oldest first; when `has_more`, ask again after the last item. */
export interface NewerItems<T> {
  items: T[];
  has_more: boolean;
  consumed_capacity: number;
}

export interface StartConversationResult {
  message_group_uuid: string;
  /** False when the two people already shared a conversation and the message went there. */
  created: boolean;
  message: MessageView;
  group: ConversationView;
}

const fromCheck =
  <T>(check: (raw: string) => Checked<T>) =>
  (raw: string, ctx: z.RefinementCtx): T => {
    const checked = check(raw);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: checked.problem });
    return z.NEVER;
  };

export const messageTextSchema = z.string().transform(fromCheck(checkMessageText));
const lowerCaseUuid = cappedString(36, 'a uuid')
  .pipe(z.uuid({ error: 'a uuid' }))
  .transform((uuid) => uuid.toLowerCase());
export const messageGroupUuidSchema = lowerCaseUuid;
export const messageUuidSchema = lowerCaseUuid.refine((uuid) => uuidV7Timestamp(uuid) !== undefined, {
  error: 'the message uuid must be a UUID version 7 (newMessageUuid() makes one)',
});

export const pageOptionsSchema = z
  .object({
    limit: z
      .number()
      .int()
      .min(1, { error: `the page size is 1 to ${MAX_PAGE_SIZE}` })
      .max(MAX_PAGE_SIZE, { error: `the page size is 1 to ${MAX_PAGE_SIZE}` })
      .optional(),
    cursor: cappedString(2048, 'the cursor is not valid here').min(1).optional(),
  })
  .strict();
export type PageOptions = z.input<typeof pageOptionsSchema>;

export const sendMessageInputSchema = z
  .object({ groupUuid: messageGroupUuidSchema, messageUuid: messageUuidSchema, text: messageTextSchema })
  .strict();
export type SendMessageInput = z.input<typeof sendMessageInputSchema>;

export const startConversationInputSchema = z
  .object({
    // People write handles the way they see them, "@bayko" included.
    handle: cappedString(64, HANDLE_RULE)
      .trim()
      .transform((handle) => handle.replace(/^@/, ''))
      .pipe(handleSchema),
    messageUuid: messageUuidSchema,
    text: messageTextSchema,
  })
  .strict();
export type StartConversationInput = z.input<typeof startConversationInputSchema>;

/**
 * Moves my read mark in a conversation up to the message `upTo` (its uuid: the newest message I
 * have seen); a mark is never moved backwards, so an older `upTo` changes nothing.
 */
export const markConversationReadInputSchema = z
  .object({ groupUuid: messageGroupUuidSchema, upTo: messageUuidSchema })
  .strict();
export type MarkConversationReadInput = z.input<typeof markConversationReadInputSchema>;
export interface ReadMark {
  /** The unread count after the move (0 unless messages newer than `upTo` are already stored). */
  unread_count: number;
}

/** A message in the main process's outbox: sent while DynamoDB could not be reached, not stored yet. */
export interface OutboxEntryView {
  groupUuid: string;
  messageUuid: string;
  text: string;
  /** When it was sent in the app (ISO 8601), for showing it in place. */
  created_at: string;
}

/** Whether the main process can reach DynamoDB, and when it tries again if not. */
export interface Connectivity {
  online: boolean;
  /** Milliseconds since the epoch of the next automatic try while offline; null when online. */
  retryAt: number | null;
}
