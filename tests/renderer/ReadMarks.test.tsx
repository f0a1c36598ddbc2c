import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { fail, ok } from '../../shared/result';
import { useAppStore } from '../../renderer/src/store/app';
import { useConversationsStore } from '../../renderer/src/store/conversations';
import { group, installFakeApi, ME, page, SESSION } from './support/fake-api';
import { nthMessage, scrollTo, theirMessages, useMessageListLayout } from './support/layout';

useMessageListLayout();

/** Lets promises and the given time pass under fake timers, inside act. */
const pass = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));

const other = group({
  message_group_uuid: '44444444-4444-4444-8444-444444444444',
  display_name: 'Londo Mollari',
  handle: 'londo',
  last_reply_at: '2026-10-01T10:00:00.000Z',
});

async function openApp(unread: number, messages = theirMessages(3)) {
  const newest = messages[0]!;
  const fake = installFakeApi({
    getSession: async () => ok(ME),
    listConversations: async () =>
      ok(page([group({ unread_count: unread, last_reply_at: newest.created_at }), other])),
    listMessages: async ({ groupUuid }) => ok(page(groupUuid === other.message_group_uuid ? [] : messages)),
  });
  render(<App />);
  await pass();
  fireEvent.click(screen.getByRole('button', { name: /Andrew Bayko/ }));
  await pass();
  return fake;
}

const unreadInList = () =>
  useConversationsStore
    .getState()
    .conversations.find((c) => c.message_group_uuid === group().message_group_uuid)?.unread_count;

beforeEach(() => {
  vi.useFakeTimers();
  useAppStore.setState({ focused: true });
});
afterEach(() => {
  vi.useRealTimers();
  useAppStore.setState({ focused: true });
});

describe('read marks', () => {
  it('marks again when the connection comes back, after a mark that could not be written offline', async () => {
    const fake = await openApp(2);
    fake.api.markConversationRead.mockResolvedValueOnce(fail('Unavailable', 'DynamoDB cannot be reached'));
    await pass(1_100);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);
    expect(unreadInList()).toBe(2);
    // Offline nothing is tried again, however long I read.
    act(() => fake.emit('connectivity.changed', { online: false, retryAt: Date.now() + 5_000 }));
    await pass(10_000);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);
    act(() => fake.emit('connectivity.changed', { online: true, retryAt: null }));
    await pass();
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(2);
    expect(unreadInList()).toBe(0);
  });

  it('marks what is on screen once the window has been focused for a second, and updates the list', async () => {
    const fake = await openApp(2);
    await pass(900);
    expect(fake.api.markConversationRead).not.toHaveBeenCalled();
    await pass(150);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);
    expect(fake.api.markConversationRead).toHaveBeenCalledWith({
      groupUuid: group().message_group_uuid,
      upTo: nthMessage(3).message_uuid,
    });
    expect(unreadInList()).toBe(0);
    // A list answer read before the mark moved (same last message) does not bring the count back.
    act(() =>
      fake.emit('conversations.changed', {
        session: SESSION,
        conversations: [group({ unread_count: 2, last_reply_at: nthMessage(3).created_at })],
      }),
    );
    expect(unreadInList()).toBe(0);
    await pass(5_000);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);
    // Opening cost its Pattern A read and one mark.
    expect(fake.api.listMessages).toHaveBeenCalledTimes(1);
  });

  it('never marks while the window is blurred, and a blur restarts the second', async () => {
    useAppStore.setState({ focused: false });
    const fake = await openApp(1);
    await pass(5_000);
    expect(fake.api.markConversationRead).not.toHaveBeenCalled();
    act(() => useAppStore.getState().setFocused(true));
    await pass(800);
    act(() => useAppStore.getState().setFocused(false));
    await pass(100);
    act(() => useAppStore.getState().setFocused(true));
    await pass(800);
    expect(fake.api.markConversationRead).not.toHaveBeenCalled();
    await pass(250);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);
  });

  it('does not mark a conversation that has nothing unread', async () => {
    const fake = await openApp(0);
    await pass(5_000);
    expect(fake.api.markConversationRead).not.toHaveBeenCalled();
  });

  it('marks once per newer message, and not a message pushed while the window was blurred', async () => {
    const fake = await openApp(1);
    await pass(1_100);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);

    act(() => useAppStore.getState().setFocused(false));
    const fourth = nthMessage(4);
    act(() => {
      fake.emit('messages.new', {
        session: SESSION,
        groupUuid: group().message_group_uuid,
        messages: [fourth],
      });
      fake.emit('conversations.changed', {
        session: SESSION,
        conversations: [
          group({ unread_count: 1, last_reply_at: fourth.created_at, message: fourth.message }),
        ],
      });
    });
    await pass(5_000);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);
    expect(unreadInList()).toBe(1);

    act(() => useAppStore.getState().setFocused(true));
    await pass(1_100);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(2);
    expect(fake.api.markConversationRead).toHaveBeenLastCalledWith({
      groupUuid: group().message_group_uuid,
      upTo: fourth.message_uuid,
    });
    expect(unreadInList()).toBe(0);
    await pass(5_000);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(2);
  });
});

describe('the "New messages" divider', () => {
  const mine = (n: number) =>
    nthMessage(n, {
      user_uuid: ME.uuid,
      handle: ME.handle,
      display_name: ME.display_name,
      message: `mine ${n}`,
    });

  it('sits above the unread-count-th newest message from someone else, and stays while reading', async () => {
    const messages = [nthMessage(5), mine(4), nthMessage(3), nthMessage(2), nthMessage(1)];
    await openApp(2, messages);
    const log = screen.getByRole('log', { name: 'Messages' });
    const divider = within(log).getByRole('separator', { name: 'New messages' });
    const next = divider.closest('.message-list__slot')!.nextElementSibling!;
    expect(next.textContent).toContain('message 3');
    await pass(1_100);
    expect(unreadInList()).toBe(0);
    expect(within(log).getByRole('separator', { name: 'New messages' })).toBeTruthy();
  });

  it('is gone on coming back with nothing unread', async () => {
    await openApp(1);
    expect(screen.getByRole('separator', { name: 'New messages' })).toBeTruthy();
    await pass(1_100);
    fireEvent.click(screen.getByRole('button', { name: /Londo Mollari/ }));
    await pass();
    fireEvent.click(screen.getByRole('button', { name: /Andrew Bayko/ }));
    await pass();
    expect(screen.getByRole('log', { name: 'Messages' }).textContent).toContain('message 3');
    expect(screen.queryByRole('separator', { name: 'New messages' })).toBeNull();
  });

  it('opens on the divider, not on the bottom, when much is unread', async () => {
    await openApp(30, theirMessages(60));
    await pass(100);
    const log = screen.getByRole('log', { name: 'Messages' });
    const slot = screen
      .getByRole('separator', { name: 'New messages' })
      .closest<HTMLElement>('.message-list__slot')!;
    const top = Number(/translateY\((\d+)px\)/.exec(slot.style.transform)![1]);
    expect(top).toBeGreaterThanOrEqual(log.scrollTop);
    expect(top).toBeLessThan(log.scrollTop + 100);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).toBeGreaterThan(48);
  });

  it('marks read only up to the newest message inside the viewport', async () => {
    const fake = await openApp(30, theirMessages(60));
    let answer: (count: number) => void = () => undefined;
    fake.api.markConversationRead.mockImplementationOnce(
      () => new Promise((resolve) => (answer = (count) => resolve(ok({ unread_count: count })))),
    );
    await pass(1_100);
    // While the answer is on its way, scrolling over older unread messages asks nothing more.
    const log = screen.getByRole('log', { name: 'Messages' });
    const opened = log.scrollTop;
    scrollTo(log, opened - 200);
    await pass(100);
    scrollTo(log, opened);
    await pass(100);
    await act(async () => answer(16));
    // Opened on the divider above message 31: the viewport (600 px of 40 px rows) ends at message 44.
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(1);
    expect(fake.api.markConversationRead).toHaveBeenCalledWith({
      groupUuid: group().message_group_uuid,
      upTo: nthMessage(44).message_uuid,
    });
    expect(unreadInList()).toBe(16);

    // Scrolling down to newer messages asks once more.
    fake.api.markConversationRead.mockResolvedValue(ok({ unread_count: 6 }));
    scrollTo(log, opened + 400);
    await pass(100);
    expect(fake.api.markConversationRead).toHaveBeenCalledTimes(2);
    expect(fake.api.markConversationRead).toHaveBeenLastCalledWith({
      groupUuid: group().message_group_uuid,
      upTo: nthMessage(54).message_uuid,
    });
    expect(unreadInList()).toBe(6);
  });
});
