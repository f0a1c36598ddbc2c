import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../shared/messages';
import { mergeMessages } from '../../renderer/src/store/threads';
import { nthMessage } from './support/layout';

/** Messages from..to (inclusive), oldest first. */
const run = (from: number, to: number): MessageView[] =>
  Array.from({ length: to - from + 1 }, (_, i) => nthMessage(from + i));

const numbers = (messages: MessageView[]) => messages.map((m) => m.message);
const expectSortedUnique = (messages: MessageView[]) => {
  const sks = messages.map((m) => m.sk);
  expect(sks).toEqual([...sks].sort());
  expect(new Set(messages.map((m) => m.message_uuid)).size).toBe(messages.length);
};

describe('mergeMessages', () => {
  it('puts an older page (newest first, as Pattern A answers) before what is loaded', () => {
    const merged = mergeMessages(run(51, 100), run(1, 50).reverse());
    expect(numbers(merged)).toEqual(numbers(run(1, 100)));
    expectSortedUnique(merged);
  });

  it('puts arrivals after what is loaded', () => {
    const merged = mergeMessages(run(1, 10), [nthMessage(12), nthMessage(11)]);
    expect(numbers(merged)).toEqual(numbers(run(1, 12)));
  });

  it('interleaves messages that fall between loaded ones', () => {
    const odd = run(1, 20).filter((_, i) => i % 2 === 0);
    const even = run(1, 20).filter((_, i) => i % 2 === 1);
    const merged = mergeMessages(odd, even.reverse());
    expect(numbers(merged)).toEqual(numbers(run(1, 20)));
    expectSortedUnique(merged);
  });

  it('keeps one copy per message uuid, the incoming one, across and within pages', () => {
    const edited = nthMessage(5, { message: 'edited' });
    const merged = mergeMessages(run(1, 10), [nthMessage(11), edited, nthMessage(6), nthMessage(11), edited]);
    expect(merged).toHaveLength(11);
    expect(merged[4]).toBe(edited);
    expectSortedUnique(merged);
  });

  it('keeps sorted, unique order for an overlapping page that reaches past both ends', () => {
    const merged = mergeMessages(run(5, 15), run(1, 20).reverse());
    expect(numbers(merged)).toEqual(numbers(run(1, 20)));
    expectSortedUnique(merged);
  });

  it('answers what is loaded when nothing arrives, and the page when nothing was loaded', () => {
    const loaded = run(1, 3);
    expect(mergeMessages(loaded, [])).toBe(loaded);
    expect(numbers(mergeMessages([], run(1, 3).reverse()))).toEqual(numbers(loaded));
  });
});
