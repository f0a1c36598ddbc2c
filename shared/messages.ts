import { z } from 'zod';
import { uuidV7Timestamp } from './message-uuid';
import { MAX_MESSAGE_LENGTH } from './model';

/**
 * What the message service takes and gives back, shared by the main process, the scripts and the
 * renderer (which validates a draft with the same rules before sending it).
 */
export { MAX_MESSAGE_LENGTH };
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** A message uuid older than this is refused: a resend after a week is a new message. */
export const MAX_MESSAGE_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Clocks drift; a sender a little ahead is fine, one far ahead would sort above every reply. */
export const MAX_CLOCK_AHEAD_MS = 2 * 60 * 1000;

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

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

// Invisible characters that are not Unicode White_Space but still make a message look empty.
const BLANK = /^(?:\s|\u200b|\u200c|\u200d|\u2060)*$/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** The text as it will be stored (line endings normalised to \n), or why it cannot be sent. */
export function checkMessageText(raw: string): Checked<string> {
  const text = raw.replace(/\r\n?/g, '\n');
  if (BLANK.test(text)) return { ok: false, problem: 'the message is empty' };
  if (LONE_SURROGATE.test(text)) return { ok: false, problem: 'the message contains broken characters' };
  const length = [...text].length;
  if (length > MAX_MESSAGE_LENGTH) {
    return {
      ok: false,
      problem: `the message is ${length} characters long; at most ${MAX_MESSAGE_LENGTH} are allowed`,
    };
  }
  return { ok: true, value: text };
}

/** The created_at a message uuid stands for, or why the uuid cannot name a new message now. */
export function messageCreatedAt(messageUuid: string, now: number): Checked<string> {
  const millis = uuidV7Timestamp(messageUuid);
  if (millis === undefined) {
    return { ok: false, problem: 'the message uuid must be a UUID version 7 (newMessageUuid() makes one)' };
  }
  if (millis > now + MAX_CLOCK_AHEAD_MS) {
    return { ok: false, problem: "the message uuid's time is in the future; check this computer's clock" };
  }
  if (millis < now - MAX_MESSAGE_AGE_MS) {
    return { ok: false, problem: "the message uuid's time is more than 7 days old; make a new uuid" };
  }
  return { ok: true, value: new Date(millis).toISOString() };
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
const lowerCaseUuid = z.uuid({ error: 'a uuid' }).transform((uuid) => uuid.toLowerCase());
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
    cursor: z.string().min(1).max(2048).optional(),
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
    handle: z
      .string()
      .trim()
      .transform((handle) => handle.replace(/^@/, ''))
      .pipe(z.string().min(1, { error: 'a handle' }).max(64)),
    messageUuid: messageUuidSchema,
    text: messageTextSchema,
  })
  .strict();
export type StartConversationInput = z.input<typeof startConversationInputSchema>;
