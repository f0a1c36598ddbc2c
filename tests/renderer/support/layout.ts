import { fireEvent } from '@testing-library/react';
import { afterAll, beforeAll } from 'vitest';
import type { MessageView } from '../../../shared/messages';
import { message } from './fake-api';

/** The height every row of the message list measures in these tests. */
export const ROW_PX = 40;
/** The viewport height (setup.ts gives every element a clientHeight of 600). */
export const VIEWPORT_PX = 600;

/**
 * happy-dom lays nothing out: give the message list's rows a height and its scroll element a
 * scrollHeight (the virtualizer's total size), as a browser would, for the tests in this file.
 */
export function useMessageListLayout() {
  const offsetHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('message-list__slot') ? ROW_PX : 600;
      },
    });
    Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
      configurable: true,
      get(this: HTMLElement) {
        if (!this.classList.contains('message-list')) return 0;
        const inner = this.firstElementChild as HTMLElement | null;
        return Math.max(parseFloat(inner?.style.height ?? '') || 0, this.clientHeight);
      },
    });
    // As a browser does: the position stays within the content, and a move fires "scroll" after it.
    const positions = new WeakMap<HTMLElement, number>();
    Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
      configurable: true,
      get(this: HTMLElement) {
        return positions.get(this) ?? 0;
      },
      set(this: HTMLElement, value: number) {
        const top = Math.max(0, Math.min(value, this.scrollHeight - this.clientHeight));
        if (top === (positions.get(this) ?? 0)) return;
        positions.set(this, top);
        setTimeout(() => this.dispatchEvent(new Event('scroll')));
      },
    });
  });
  afterAll(() => {
    if (offsetHeight) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', offsetHeight);
    delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
    delete (HTMLElement.prototype as { scrollTop?: number }).scrollTop;
  });
}

/** Scrolls the element the way a reader would: the position moves, then a scroll event. */
export function scrollTo(el: HTMLElement, top: number) {
  el.scrollTop = top;
  fireEvent.scroll(el);
}

export const maxScroll = (el: HTMLElement) => el.scrollHeight - el.clientHeight;

/** A message uuid (v7-shaped) and time for the n-th message of a conversation. */
export function nthMessage(n: number, overrides: Partial<MessageView> = {}): MessageView {
  const suffix = n.toString(16).padStart(12, '0');
  const created_at = new Date(Date.UTC(2026, 10, 20, 9, 0, 0) + n * 10_000).toISOString();
  return message({
    message_uuid: `0193a000-0000-7000-8000-${suffix}`,
    message: `message ${n}`,
    created_at,
    ...overrides,
  });
}

/** Messages 1..count from the other member, newest first (as Pattern A answers). */
export const theirMessages = (count: number, from = 1): MessageView[] =>
  Array.from({ length: count }, (_, i) => nthMessage(from + i)).reverse();
