import { describe, expect, it } from 'vitest';
import { CursorCodec } from '../../core/messages/cursor';
import { isUuidV7, newMessageUuid, uuidV7Timestamp } from '../../shared/message-uuid';
import { checkMessageText, messageCreatedAt, sendMessageInputSchema } from '../../shared/messages';

describe('message uuids (v7)', () => {
  it('carry the millisecond they were made, in RFC 9562 layout', () => {
    const at = Date.UTC(2026, 10, 27, 12, 0, 0, 123);
    const uuid = newMessageUuid(at);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUuidV7(uuid)).toBe(true);
    expect(uuidV7Timestamp(uuid)).toBe(at);
    expect(uuidV7Timestamp(crypto.randomUUID())).toBeUndefined();
  });

  it('sort in the order they were made, also within one millisecond', () => {
    const at = Date.now();
    const uuids = Array.from({ length: 50 }, () => newMessageUuid(at));
    expect(new Set(uuids).size).toBe(50);
    expect([...uuids].sort()).toEqual(uuids);
  });
});

describe('message text', () => {
  it('keeps the text as typed, line endings normalised', () => {
    expect(checkMessageText('  a\r\nb\rc\n ')).toEqual({ ok: true, value: '  a\nb\nc\n ' });
  });

  it('counts Unicode code points, after normalising line endings', () => {
    expect(checkMessageText('😀'.repeat(1024)).ok).toBe(true);
    expect(checkMessageText('😀'.repeat(1025))).toMatchObject({ ok: false, problem: /1025 characters/ });
    expect(checkMessageText('a'.repeat(1022) + '\r\n').ok).toBe(true);
  });

  it('rejects empty, blank, invisible and broken text', () => {
    for (const text of ['', ' \n\t', '\u00a0\u200b', '\u2060']) expect(checkMessageText(text).ok).toBe(false);
    expect(checkMessageText('a\ud800b')).toMatchObject({ ok: false, problem: /broken/ });
  });

  it('the send schema lower-cases uuids and names the field at fault', () => {
    const groupUuid = crypto.randomUUID().toUpperCase();
    const parsed = sendMessageInputSchema.parse({ groupUuid, messageUuid: newMessageUuid(), text: 'x' });
    expect(parsed.groupUuid).toBe(groupUuid.toLowerCase());
    const failed = sendMessageInputSchema.safeParse({ groupUuid, messageUuid: newMessageUuid(), text: ' ' });
    expect(failed.error?.issues[0]).toMatchObject({ path: ['text'], message: 'the message is empty' });
  });
});

describe('created_at from the message uuid', () => {
  const now = Date.UTC(2026, 10, 27);
  it('accepts a uuid from the last 7 days up to 2 minutes ahead', () => {
    expect(messageCreatedAt(newMessageUuid(now - 1_000), now)).toEqual({
      ok: true,
      value: new Date(now - 1_000).toISOString(),
    });
    expect(messageCreatedAt(newMessageUuid(now + 60_000), now).ok).toBe(true);
  });

  it('refuses older, later and non-v7 uuids', () => {
    expect(messageCreatedAt(newMessageUuid(now - 8 * 86_400_000), now).ok).toBe(false);
    expect(messageCreatedAt(newMessageUuid(now + 3 * 60_000), now).ok).toBe(false);
    expect(messageCreatedAt(crypto.randomUUID(), now).ok).toBe(false);
  });
});

describe('paging cursors', () => {
  const codec = new CursorCodec();
  const list = { pk: 'MSG#g', skPrefix: 'MSG#' };
  const key = { pk: 'MSG#g', sk: 'MSG#2026-01-01T00:00:00.000Z#u' };

  it('give back the key they were made from, for the same list', () => {
    expect(codec.decode('a', codec.encode('a', key), list)).toEqual(key);
  });

  it('refuse another list, another secret, or a key outside the list', () => {
    const cursor = codec.encode('a', key);
    expect(() => codec.decode('b', cursor, list)).toThrow(/not valid/);
    expect(() => new CursorCodec().decode('a', cursor, list)).toThrow(/not valid/);
    expect(() => codec.decode('a', codec.encode('a', { pk: 'MSG#h', sk: 'MSG#x' }), list)).toThrow(
      /not valid/,
    );
    expect(() => codec.decode('a', codec.encode('a', { pk: 'MSG#g', sk: 'GROUP' }), list)).toThrow(
      /not valid/,
    );
  });
});
