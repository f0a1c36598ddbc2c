/**
 * Message uuids are UUID version 7 (RFC 9562): the first 48 bits are the Unix time in
 * milliseconds. The sender makes the uuid once, before the first attempt, and the service derives
 * the message's created_at from it, so a resend of the same message has the same sort key and the
 * conditional put recognises it. Runs in the renderer and in Node (Web Crypto in both).
 */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isUuidV7 = (value: string): boolean => UUID_V7.test(value);

/** The millisecond timestamp a v7 uuid carries, or undefined when it is not a v7 uuid. */
export function uuidV7Timestamp(value: string): number | undefined {
  if (!isUuidV7(value)) return undefined;
  return parseInt(value.slice(0, 8) + value.slice(9, 13), 16);
}

// Same-millisecond uuids from one process count up in the 12 bits after the version (RFC 9562
// method 1), so one sender's messages keep their order even when two share a millisecond; the
// 62 random bits keep uuids unique either way.
let lastMillis = -1;
let counter = 0;

export function newMessageUuid(now: number = Date.now()): string {
  const millis = Math.floor(now);
  counter = millis === lastMillis ? Math.min(counter + 1, 0xfff) : 0;
  lastMillis = millis;
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
  const time = hex(millis, 12);
  const variant = hex(0x8000 | (((random[0]! << 8) | random[1]!) & 0x3fff), 4);
  const tail = Array.from(random.subarray(2), (byte) => hex(byte, 2)).join('');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${variant}-${tail}`;
}
