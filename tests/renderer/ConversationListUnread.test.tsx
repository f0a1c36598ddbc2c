import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { formatListTime } from '../../renderer/src/lib/time';
import { useAppStore } from '../../renderer/src/store/app';
import { ok } from '../../shared/result';
import { group, installFakeApi, ME, page, SESSION } from './support/fake-api';

const LONDO = group({
  message_group_uuid: '44444444-4444-4444-8444-444444444444',
  display_name: 'Londo Mollari',
  handle: 'londo',
  message: 'Great Maker!',
  last_reply_at: '2026-11-19T10:00:00.000Z',
});

beforeEach(() => useAppStore.getState().resetView());
afterEach(() => vi.useRealTimers());

function signIn(conversations = [group({ unread_count: 3 }), LONDO]) {
  const fake = installFakeApi({
    getSession: async () => ok(ME),
    listConversations: async () => ok(page(conversations)),
  });
  render(<App />);
  return fake;
}

describe('unread conversations in the list', () => {
  it('names a row with its unread count and shows the count as a badge by a bold name', async () => {
    signIn();
    const time = formatListTime(group().last_reply_at);
    const row = await screen.findByRole('button', {
      name: `Andrew Bayko, 3 unread, See you tomorrow, ${time}`,
    });
    expect(within(row).getByText('3')).toBeTruthy();
    expect(within(row).getByText('Andrew Bayko').className).toContain('conversation-row__name--unread');
    const item = screen.getByRole('listitem', { name: `Andrew Bayko, 3 unread, See you tomorrow, ${time}` });
    expect(item.contains(row)).toBe(true);

    const read = screen.getByRole('button', { name: /^Londo Mollari/ });
    expect(read).toBe(
      screen.getByRole('button', {
        name: `Londo Mollari, Great Maker!, ${formatListTime(LONDO.last_reply_at)}`,
      }),
    );
    expect(within(read).getByText('Londo Mollari').className).not.toContain('--unread');
    expect(read.querySelector('.unread-badge')).toBeNull();
  });

  it('follows pushed counts, and counts them in the window title', async () => {
    const fake = signIn();
    await screen.findByRole('button', { name: /^Andrew Bayko, 3 unread/ });
    expect(document.title).toBe('(3) Cruddur');
    act(() =>
      fake.emit('conversations.changed', {
        session: SESSION,
        conversations: [
          { ...LONDO, message: 'Vir!', last_reply_at: '2026-11-21T10:00:00.000Z', unread_count: 120 },
        ],
      }),
    );
    const londo = screen.getByRole('button', { name: /^Londo Mollari, 120 unread, Vir!/ });
    expect(within(londo).getByText('99+')).toBeTruthy();
    expect(document.title).toBe('(123) Cruddur');
  });

  it('marks the open conversation as current, on its row and its list item', async () => {
    signIn();
    const row = await screen.findByRole('button', { name: /^Londo Mollari/ });
    act(() => row.click());
    expect(row.getAttribute('aria-current')).toBe('true');
    expect(row.closest('[role="listitem"]')?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('button', { name: /^Andrew Bayko/ }).getAttribute('aria-current')).toBeNull();
  });

  it('moves its times on as the minutes pass', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date(2026, 10, 20, 23, 59, 30));
    const late = new Date(2026, 10, 20, 22, 0).toISOString();
    signIn([group({ last_reply_at: late })]);
    const today = formatListTime(late, new Date(2026, 10, 20, 23, 59, 30));
    const row = await screen.findByRole('button', { name: `Andrew Bayko, See you tomorrow, ${today}` });
    act(() => vi.advanceTimersByTime(60_000));
    const yesterday = formatListTime(late, new Date(2026, 10, 21, 0, 0, 30));
    expect(yesterday).not.toBe(today);
    expect(screen.getByRole('button', { name: `Andrew Bayko, See you tomorrow, ${yesterday}` })).toBe(row);
    expect(within(row).getByText(yesterday)).toBeTruthy();
  });
});
