import { z } from 'zod';
import { uuidV7Timestamp } from './message-uuid';
import { HANDLE_RULE, handleSchema } from './auth';
import { MAX_MESSAGE_LENGTH } from './model';
import { cappedString, characterProblem, looksEmpty } from './text';

/**
 * What the message service takes and gives back, shared by the main process, the scripts and the
 * renderer (which validates a draft with the same rules before sending it).
 */
export { MAX_MESSAGE_LENGTH };
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/**
 * A NEW message's uuid time must be within this of the service's clock, either way: a message's
 * sort key carries its sender's clock, and this bounds how far from the time of writing a key can
 * be. Outside it only a resend of a message already stored succeeds (with the stored copy).
 */
export const MESSAGE_CLOCK_WINDOW_MS = 2 * 60 * 1000;
/**
 * How far before a position a read of what is new starts: one key may be a window ahead of the
 * time it was written and a later one a window behind, so anything newer sorts at most this far
 * below the newest key seen. Callers dedupe what they see again, by message uuid.
 */
export const NEWS_OVERLAP_MS = 2 * MESSAGE_CLOCK_WINDOW_MS;

/**
 * The reason of the Invalid a send gets when its uuid is outside the window AND nothing is
 * stored under it: the service looked, so the sender may safely send the text under a new uuid.
 */
export const MESSAGE_UUID_EXPIRED = 'MessageUuidExpired';

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

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * The raw length (UTF-16 units) past which no text can fit: each character of the stored text
 * comes from at most two units (a surrogate pair, or \r\n made \n), so anything longer is refused
 * before it is normalised or counted.
 */
export const MAX_MESSAGE_RAW_LENGTH = 2 * MAX_MESSAGE_LENGTH;

/** The text as it will be stored (line endings normalised to \n), or why it cannot be sent. */
export function checkMessageText(raw: string): Checked<string> {
  if (raw.length > MAX_MESSAGE_RAW_LENGTH) {
    return {
      ok: false,
      problem: `the message is too long: at most ${MAX_MESSAGE_LENGTH} characters are allowed`,
    };
  }
  const text = raw.replace(/\r\n?/g, '\n');
  if (looksEmpty(text)) return { ok: false, problem: 'the message is empty' };
  const problem = characterProblem(text);
  if (problem) return { ok: false, problem: `the message ${problem}` };
  const length = [...text].length;
  if (length > MAX_MESSAGE_LENGTH) {
    return {
      ok: false,
      problem: `the message is ${length} characters long; at most ${MAX_MESSAGE_LENGTH} are allowed`,
    };
  }
  return { ok: true, value: text };
}

/**
 * The created_at a message uuid stands for, or why the uuid cannot name a new message now (`now`:
 * the service's clock). A resend outside the window is answered from the table instead.
 */
export function messageCreatedAt(messageUuid: string, now: number): Checked<string> {
  const millis = uuidV7Timestamp(messageUuid);
  if (millis === undefined) {
    return { ok: false, problem: 'the message uuid must be a UUID version 7 (newMessageUuid() makes one)' };
  }
  if (Math.abs(millis - now) > MESSAGE_CLOCK_WINDOW_MS) {
    const way = millis > now ? 'ahead of' : 'behind';
    return {
      ok: false,
      problem: `the message uuid's time is more than ${MESSAGE_CLOCK_WINDOW_MS / 60_000} minutes ${way} the service's clock; check this computer's clock, or make a new uuid`,
    };
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
