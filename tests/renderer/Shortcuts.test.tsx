import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { formatKeys, matchShortcut, SHORTCUTS } from '../../renderer/src/lib/shortcuts';
import { useAppStore } from '../../renderer/src/store/app';
import { ok } from '../../shared/result';
import { group, installFakeApi, ME, page, SESSION } from './support/fake-api';

const BAYKO = group();
const LONDO = group({
  message_group_uuid: '44444444-4444-4444-8444-444444444444',
  display_name: 'Londo Mollari',
  handle: 'londo',
  last_reply_at: '2026-11-19T10:00:00.000Z',
  unread_count: 0,
});
const VIR = group({
  message_group_uuid: '55555555-5555-4555-8555-555555555555',
  display_name: 'Vir Cotto',
  handle: 'vir',
  last_reply_at: '2026-11-18T10:00:00.000Z',
  unread_count: 2,
});

const key = (init: Partial<KeyboardEventInit> & { key: string }) =>
  ({ code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...init }) as KeyboardEvent;

/** The key press lands where focus is, as a real one would, and bubbles to the window. */
const press = (init: KeyboardEventInit & { key: string }) =>
  fireEvent.keyDown(document.activeElement ?? document.body, init);

async function signedIn() {
  const fake = installFakeApi({
    getSession: async () => ok(ME),
    listConversations: async () => ok(page([BAYKO, LONDO, VIR])),
  });
  render(<App />);
  await screen.findByRole('button', { name: /Vir Cotto/ });
  return fake;
}

/** The one row marked as the open conversation, found by its name. */
const currentRow = (name: RegExp) => screen.getByRole('button', { current: true, name });

beforeEach(() => useAppStore.getState().resetView());

describe('the keymap', () => {
  it('uses Cmd on macOS and Ctrl elsewhere, never the other one', () => {
    expect(matchShortcut(key({ key: 'k', ctrlKey: true }), false)).toBe('switchConversation');
    expect(matchShortcut(key({ key: 'k', metaKey: true }), true)).toBe('switchConversation');
    expect(matchShortcut(key({ key: 'k', ctrlKey: true }), true)).toBeUndefined();
    expect(matchShortcut(key({ key: 'k', metaKey: true }), false)).toBeUndefined();
    expect(matchShortcut(key({ key: 'k' }), false)).toBeUndefined();
  });

  it('tells Alt+Down from Alt+Shift+Down, and finds a letter by its key on another layout', () => {
    expect(matchShortcut(key({ key: 'ArrowDown', altKey: true }), false)).toBe('nextConversation');
    expect(matchShortcut(key({ key: 'ArrowDown', altKey: true, shiftKey: true }), false)).toBe('nextUnread');
    expect(matchShortcut(key({ key: 'ArrowUp', altKey: true, shiftKey: true }), false)).toBe(
      'previousUnread',
    );
    expect(matchShortcut(key({ key: 'л', code: 'KeyK', ctrlKey: true }), false)).toBe('switchConversation');
    expect(matchShortcut(key({ key: '/', code: 'Digit7', ctrlKey: true, shiftKey: true }), false)).toBe(
      'showShortcuts',
    );
  });
});

describe('keyboard shortcuts in the app', () => {
  it('lists in the shortcuts dialog every shortcut the handler knows, and Esc gives focus back', async () => {
    await signedIn();
    const find = screen.getByRole('button', { name: 'Find' });
    find.focus();
    press({ key: '/', ctrlKey: true });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    for (const { description, keys } of SHORTCUTS) {
      const row = within(dialog).getByText(description).closest('tr');
      expect(row?.textContent).toBe(description + formatKeys(keys, false).join('+'));
    }
    expect(within(dialog).getByText('Send the message')).toBeTruthy();
    expect(within(dialog).getByText('Scroll the messages up')).toBeTruthy();
    expect(dialog.contains(document.activeElement)).toBe(true);
    press({ key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).toBeNull();
    expect(document.activeElement).toBe(find);
  });

  it('opens the switcher with Ctrl+K and settings with Ctrl+,', async () => {
    await signedIn();
    press({ key: 'k', ctrlKey: true });
    expect(screen.getByRole('dialog', { name: 'Switch conversation' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Search conversations' }));
    press({ key: ',', ctrlKey: true });
    expect(screen.queryByRole('dialog', { name: 'Switch conversation' })).toBeNull();
    expect(await screen.findByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });

  it('keeps Tab inside an open dialog', async () => {
    await signedIn();
    press({ key: '/', ctrlKey: true });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    press({ key: 'Tab' });
    expect(document.activeElement).toBe(close);
    press({ key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(close);
  });

  it('starts a conversation with Ctrl+N, focus in its first field, and Esc closes it', async () => {
    await signedIn();
    const find = screen.getByRole('button', { name: 'Find' });
    find.focus();
    press({ key: 'n', ctrlKey: true });
    const form = screen.getByRole('dialog', { name: 'New conversation' });
    expect(document.activeElement).toBe(within(form).getByLabelText('Search people'));
    press({ key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'New conversation' })).toBeNull();
    expect(document.activeElement).toBe(find);
  });

  it('moves through the list with Alt+Up/Down and to unread conversations with Alt+Shift', async () => {
    await signedIn();
    press({ key: 'ArrowDown', altKey: true });
    expect(currentRow(/^Andrew Bayko/)).toBeTruthy();
    press({ key: 'ArrowDown', altKey: true });
    expect(currentRow(/^Londo Mollari/)).toBeTruthy();
    press({ key: 'ArrowUp', altKey: true });
    expect(currentRow(/^Andrew Bayko/)).toBeTruthy();
    // Londo has nothing unread: Alt+Shift+Down goes past him to Vir.
    press({ key: 'ArrowDown', altKey: true, shiftKey: true });
    expect(currentRow(/^Vir Cotto, 2 unread/)).toBeTruthy();
    press({ key: 'ArrowDown', altKey: true });
    expect(currentRow(/^Vir Cotto/)).toBeTruthy();
  });
});

describe('what the main process asks for', () => {
  it('runs the menu commands', async () => {
    const fake = await signedIn();
    act(() => fake.emit('menu.command', { command: 'switchConversation' }));
    expect(screen.getByRole('dialog', { name: 'Switch conversation' })).toBeTruthy();
    act(() => fake.emit('menu.command', { command: 'showShortcuts' }));
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    act(() => fake.emit('menu.command', { command: 'openSettings' }));
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
    act(() => fake.emit('menu.command', { command: 'newConversation' }));
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
    expect(screen.getByRole('dialog', { name: 'New conversation' })).toBeTruthy();
  });

  it('opens the conversation of a clicked notification, closing what was in the way', async () => {
    const fake = await signedIn();
    act(() => fake.emit('menu.command', { command: 'newConversation' }));
    act(() => fake.emit('conversation.open', { session: SESSION, groupUuid: VIR.message_group_uuid }));
    expect(screen.queryByRole('dialog', { name: 'New conversation' })).toBeNull();
    expect(currentRow(/^Vir Cotto/)).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Vir Cotto' })).toBeTruthy();
  });

  it('opens settings and shortcuts on the sign-in screen too, but no switcher there', async () => {
    const fake = installFakeApi();
    render(<App />);
    await screen.findByRole('heading', { name: 'Sign in to Cruddur' });
    act(() => fake.emit('menu.command', { command: 'switchConversation' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    act(() => fake.emit('menu.command', { command: 'openSettings' }));
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });
});
