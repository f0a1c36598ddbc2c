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

  it('treats text made only of invisible characters as empty', () => {
    const invisible = [
      '\ufeff', // byte order mark
      '\u2800', // braille blank
      '\u3164', // hangul filler
      '\u115f\u1160', // hangul choseong and jungseong fillers
      '\uffa0', // halfwidth hangul filler
      '\u200b\u200c\u200d', // zero-width space, non-joiner, joiner
      '\u2060\u2063', // word joiner, invisible separator
      '\u180e', // mongolian vowel separator
      '\u00ad\u034f\ufe0f', // soft hyphen, combining grapheme joiner, variation selector
      '\u{e0041}\u{e0042}', // tag characters
      '\u200e\u200f', // direction marks, on their own
      ' \u3000\u2800\n\u200b\t',
    ];
    for (const text of invisible) {
      expect(checkMessageText(text), JSON.stringify(text)).toEqual({
        ok: false,
        problem: 'the message is empty',
      });
    }
    expect(checkMessageText('\u2800a\u200b').ok).toBe(true);
  });

  it('refuses NUL and other control characters with a plain reason, keeping tab and newline', () => {
    for (const text of ['a\u0000b', 'bell\u0007', '\u001b[31mred', 'del\u007f', 'next\u0085line', '\u0000']) {
      expect(checkMessageText(text), JSON.stringify(text)).toEqual({
        ok: false,
        problem: 'the message contains a control character',
      });
    }
    expect(checkMessageText('a\tb\nc\r\nd')).toEqual({ ok: true, value: 'a\tb\nc\nd' });
  });

  it('refuses characters that reverse text direction, keeping the marks RTL text uses', () => {
    const overrides = [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ];
    for (const character of overrides) {
      expect(checkMessageText(`invoice${character}fdp.exe`), character.codePointAt(0)!.toString(16)).toEqual({
        ok: false,
        problem: 'the message contains a character that reverses text direction',
      });
    }
    for (const text of ['שלום\u200f!', 'abc\u200e', 'مرحبا\u061c123'])
      expect(checkMessageText(text).ok).toBe(true);
  });

  it('refuses a 20 MB text by its raw length, before normalising or counting it', () => {
    const huge = 'a\r\n'.repeat(7 * 1024 * 1024);
    const started = performance.now();
    const checked = checkMessageText(huge);
    expect(performance.now() - started).toBeLessThan(50);
    expect(checked).toEqual({
      ok: false,
      problem: 'the message is too long: at most 1024 characters are allowed',
    });
    // The raw cap never refuses what fits: 1,024 characters of two UTF-16 units each.
    expect(checkMessageText('😀'.repeat(1023) + '\r\n').ok).toBe(true);
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
  it('accepts a uuid up to 2 minutes either side of the service clock', () => {
    expect(messageCreatedAt(newMessageUuid(now - 1_000), now)).toEqual({
      ok: true,
      value: new Date(now - 1_000).toISOString(),
    });
    expect(messageCreatedAt(newMessageUuid(now + 120_000), now).ok).toBe(true);
    expect(messageCreatedAt(newMessageUuid(now - 120_000), now).ok).toBe(true);
  });

  it('refuses older, later and non-v7 uuids', () => {
    expect(messageCreatedAt(newMessageUuid(now - 3 * 60_000), now)).toMatchObject({ problem: /behind/ });
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
