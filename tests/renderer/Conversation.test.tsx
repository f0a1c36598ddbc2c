import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { ok } from '../../shared/result';
import { useAppStore } from '../../renderer/src/store/app';
import { group, installFakeApi, ME, message, page, SESSION } from './support/fake-api';
import { maxScroll, nthMessage, scrollTo, theirMessages, useMessageListLayout } from './support/layout';

useMessageListLayout();

afterEach(() => {
  vi.useRealTimers();
  useAppStore.setState({ focused: true });
});

async function openConversation(messages = theirMessages(40)) {
  const fake = installFakeApi({
    getSession: async () => ok(ME),
    listConversations: async () => ok(page([group({ last_reply_at: messages[0]!.created_at })])),
    listMessages: async () => ok(page(messages)),
  });
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: /Andrew Bayko/ }));
  const log = await screen.findByRole('log', { name: 'Messages' });
  await within(log).findByText(messages[0]!.message);
  await vi.waitFor(() => expect(log.scrollTop).toBe(maxScroll(log)));
  return { fake, log };
}

function push(fake: ReturnType<typeof installFakeApi>, ...messages: ReturnType<typeof nthMessage>[]) {
  act(() => fake.emit('messages.new', { session: SESSION, groupUuid: group().message_group_uuid, messages }));
}

describe('jump to latest', () => {
  it('appears with the count of arrivals while scrolled up, and arrivals do not move the view', async () => {
    const { fake, log } = await openConversation();
    scrollTo(log, 200);
    // The rows that came into view are measured (the virtualizer keeps them in place meanwhile).
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    const reading = log.scrollTop;
    push(fake, nthMessage(41), nthMessage(42));
    push(fake, nthMessage(43));
    const jump = await screen.findByRole('button', { name: 'Jump to latest, 3 new messages' });
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(log.scrollTop).toBe(reading);
    expect(log.scrollTop).toBeLessThan(300);
    fireEvent.click(jump);
    await vi.waitFor(() => expect(log.scrollTop).toBe(maxScroll(log)));
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();
    expect(await within(log).findByText('message 43')).toBeTruthy();
  });

  it('goes away when the reader scrolls to the bottom', async () => {
    const { fake, log } = await openConversation();
    scrollTo(log, 0);
    push(fake, nthMessage(41));
    expect(await screen.findByRole('button', { name: 'Jump to latest, 1 new message' })).toBeTruthy();
    scrollTo(log, maxScroll(log));
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();
  });

  it('follows arrivals at the bottom without a button', async () => {
    const { fake, log } = await openConversation();
    push(fake, nthMessage(41));
    await vi.waitFor(() => expect(log.scrollTop).toBe(maxScroll(log)));
    expect(await within(log).findByText('message 41')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();
  });
});

describe('reading', () => {
  it('scrolls the messages by about a screen with PageUp and PageDown while typing', async () => {
    const { log } = await openConversation();
    const bottom = log.scrollTop;
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'typing' } });
    fireEvent.keyDown(box, { key: 'PageUp' });
    expect(log.scrollTop).toBeLessThanOrEqual(bottom - 500);
    expect(log.scrollTop).toBeGreaterThanOrEqual(bottom - 600);
    fireEvent.keyDown(box, { key: 'PageDown' });
    expect(log.scrollTop).toBe(bottom);
    expect((box as HTMLTextAreaElement).value).toBe('typing');
  });

  it('is a polite log of additions only, focusable, with a spell-checked composer', async () => {
    const { log } = await openConversation();
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(log.getAttribute('aria-relevant')).toBe('additions');
    expect(log.tabIndex).toBe(0);
    expect(screen.getByRole('textbox', { name: 'Message' }).getAttribute('spellcheck')).toBe('true');
    for (const button of screen.getAllByRole('button'))
      expect(button.textContent || button.ariaLabel).toBeTruthy();
  });

  it('shows the author once per run of messages from one sender', async () => {
    const mine = nthMessage(4, { user_uuid: ME.uuid, display_name: ME.display_name, message: 'mine' });
    const { log } = await openConversation([
      nthMessage(5),
      mine,
      nthMessage(3),
      nthMessage(2),
      nthMessage(1),
    ]);
    const authors = [...log.querySelectorAll('.bubble__author')].map((el) => el.textContent);
    expect(authors).toEqual(['Andrew Bayko', 'Andrew Bayko']);
  });

  it('refreshes relative times every minute, with the full date and time on hover', async () => {
    vi.useFakeTimers({
      now: new Date('2026-11-20T10:00:30.000Z'),
      toFake: ['setInterval', 'clearInterval', 'Date'],
    });
    const { log } = await openConversation([message({ created_at: '2026-11-20T10:00:00.000Z' })]);
    const time = log.querySelector('time')!;
    expect(time.textContent).toBe('now');
    expect(time.title).toMatch(/2026/);
    act(() => vi.advanceTimersByTime(60_000));
    expect(time.textContent).toBe('1 min. ago');
  });

  it('keeps fewer than 150 message elements in the DOM for 10,000 messages', async () => {
    const { log } = await openConversation(theirMessages(10_000));
    expect(log.querySelectorAll('.bubble').length).toBeLessThan(150);
    expect(log.querySelectorAll('.bubble').length).toBeGreaterThan(0);
  });
});
