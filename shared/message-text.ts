import { uuidV7Timestamp } from './message-uuid';
import { MAX_MESSAGE_LENGTH } from './model';
import { characterProblem, looksEmpty } from './text-rules';

/**
 * The rules a message's text and uuid meet, without zod: the renderer checks a draft with them
 * (and its bundle stays free of zod), and shared/messages.ts builds the service's schemas on them.
 */
export { MAX_MESSAGE_LENGTH };

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

/**
 * The reason of the Unavailable a send gets when DynamoDB cannot be reached: the message is in the
 * main process's outbox, kept on disk, and goes out (once, under its uuid) when the connection is
 * back; the outcome arrives as an 'outbox.settled' event.
 */
export const SEND_QUEUED = 'SendQueued';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

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
