import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { matchConversations } from '../../renderer/src/components/QuickSwitcher';
import { useAppStore } from '../../renderer/src/store/app';
import { ok } from '../../shared/result';
import { group, installFakeApi, ME, page } from './support/fake-api';

const BAYKO = group();
const ZOE = group({
  message_group_uuid: '44444444-4444-4444-8444-444444444444',
  display_name: 'Zoë Washburne',
  handle: 'zoe',
  last_reply_at: '2026-11-19T10:00:00.000Z',
});
const ANDRES = group({
  message_group_uuid: '55555555-5555-4555-8555-555555555555',
  display_name: 'Andrés Núñez',
  handle: 'anunez',
  last_reply_at: '2026-11-18T10:00:00.000Z',
  unread_count: 4,
});

beforeEach(() => useAppStore.getState().resetView());

async function openSwitcher() {
  installFakeApi({
    getSession: async () => ok(ME),
    listConversations: async () => ok(page([BAYKO, ZOE, ANDRES])),
  });
  render(<App />);
  const find = await screen.findByRole('button', { name: 'Find' });
  find.focus();
  fireEvent.keyDown(find, { key: 'k', ctrlKey: true });
  const dialog = screen.getByRole('dialog', { name: 'Switch conversation' });
  const box = within(dialog).getByRole('combobox', { name: 'Search conversations' });
  return { find, dialog, box };
}

/** The options, in order, are exactly these names. */
function expectOptions(dialog: HTMLElement, names: string[]) {
  expect(within(dialog).queryAllByRole('option')).toEqual(
    names.map((name) => within(dialog).getByRole('option', { name })),
  );
}

describe('matching', () => {
  it('ignores case and accents, in names and handles', () => {
    const list = [BAYKO, ZOE, ANDRES];
    expect(matchConversations(list, 'zoe').map((c) => c.handle)).toEqual(['zoe']);
    expect(matchConversations(list, 'ZOË').map((c) => c.handle)).toEqual(['zoe']);
    expect(matchConversations(list, 'nunez').map((c) => c.handle)).toEqual(['anunez']);
    expect(matchConversations(list, 'ANDR').map((c) => c.handle)).toEqual(['bayko', 'anunez']);
    expect(matchConversations(list, '@bay').map((c) => c.handle)).toEqual(['bayko']);
    expect(matchConversations(list, '  ')).toHaveLength(3);
  });
});

describe('the quick switcher', () => {
  it('is a modal dialog whose search box owns a listbox of my conversations', async () => {
    const { dialog, box } = await openSwitcher();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(box);
    const listbox = within(dialog).getByRole('listbox');
    expect(box.getAttribute('aria-controls')).toBe(listbox.id);
    expectOptions(dialog, ['Andrew Bayko, @bayko', 'Zoë Washburne, @zoe', 'Andrés Núñez, @anunez, 4 unread']);
  });

  it('filters as I type, moves with Up and Down, and opens with Enter', async () => {
    const { dialog, box } = await openSwitcher();
    fireEvent.change(box, { target: { value: 'andre' } });
    expectOptions(dialog, ['Andrew Bayko, @bayko', 'Andrés Núñez, @anunez, 4 unread']);
    const active = () => document.getElementById(box.getAttribute('aria-activedescendant') ?? '')!;
    const option = (name: RegExp) => within(dialog).getByRole('option', { name });
    expect(active()).toBe(option(/^Andrew Bayko/));
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(active()).toBe(option(/^Andrés Núñez/));
    expect(active().getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(active()).toBe(option(/^Andrew Bayko/));
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.queryByRole('dialog', { name: 'Switch conversation' })).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Andrés Núñez' })).toBeTruthy();
    const row = screen.getByRole('button', { name: /^Andrés Núñez/ });
    expect(row.getAttribute('aria-current')).toBe('true');
  });

  it('says when nothing matches', async () => {
    const { dialog, box } = await openSwitcher();
    fireEvent.change(box, { target: { value: 'nobody at all' } });
    expectOptions(dialog, []);
    expect(within(dialog).getByText('No conversation matches.')).toBeTruthy();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.getByRole('dialog', { name: 'Switch conversation' })).toBeTruthy();
  });

  it('opens the conversation that is clicked', async () => {
    const { dialog } = await openSwitcher();
    fireEvent.click(within(dialog).getByRole('option', { name: /^Zoë/ }));
    expect(await screen.findByRole('heading', { name: 'Zoë Washburne' })).toBeTruthy();
  });

  it('closes with Esc and gives focus back to where it was', async () => {
    const { find, box } = await openSwitcher();
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Switch conversation' })).toBeNull();
    expect(document.activeElement).toBe(find);
  });
});
