import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Person } from '../../shared/model';
import { useOtherPeople } from './support/others';
import { useAppSession } from './support/session';
import {
  composer,
  conversationRow,
  focusedElement,
  messageLog,
  openConversationName,
  signIn,
  unreadOf,
} from './support/ui';

/**
 * The keyboard, end to end: sheridan (signed in by no other e2e file) hears from new people who
 * start conversations with him through their own MessageService, so each test knows exactly
 * which conversations are at the top of his list, newest first, and which are unread.
 */
const session = useAppSession();
const others = useOtherPeople();

/**
 * New people who each write to sheridan, in order: display names "<Prefix><stamp><label> Test",
 * so the prefix and stamp (returned as `common`) begin every name of the call and no other.
 */
async function newConversations(
  prefix: string,
  labels: string[],
): Promise<{ people: Person[]; common: string }> {
  const stamp = Date.now().toString(36);
  const sheridan = await others.seeded('sheridan');
  const people = await others.fresh(...labels.map((label) => `${prefix}${stamp}${label}`));
  for (const person of people) await others.start(person, sheridan, `Hello from ${person.display_name}`);
  return { people, common: `${prefix[0]!.toUpperCase()}${prefix.slice(1)}${stamp}` };
}

async function openMessenger(people: Person[]): Promise<Page> {
  const { page } = session.app();
  await signIn(page, 'sheridan');
  for (const person of people) await conversationRow(page, person.display_name).waitFor();
  return page;
}

const switcher = (page: Page) => page.getByRole('dialog', { name: 'Switch conversation' });

describe('the keyboard', () => {
  it('Ctrl+K opens the switcher: it filters as I type, arrows move, Enter opens, Esc closes and gives focus back', async () => {
    const { people, common } = await newConversations('k', ['alpha', 'beta']);
    const page = await openMessenger(people);
    const [alpha, beta] = people as [Person, Person];

    await page.keyboard.press('Control+k');
    const dialog = switcher(page);
    await dialog.waitFor();
    const search = dialog.getByRole('combobox', { name: 'Search conversations' });
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.fill(alpha.display_name);
    const options = dialog.getByRole('listbox').getByRole('option');
    await expect.poll(() => options.allTextContents()).toEqual([expect.stringContaining(alpha.display_name)]);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await openConversationName(page)).toBe(alpha.display_name);

    // Both new people share the stamp: two options; ArrowDown moves the choice, Enter takes it.
    await composer(page).click();
    await page.keyboard.press('Control+k');
    await dialog.waitFor();
    await search.fill(common);
    await expect.poll(() => options.count()).toBe(2);
    const chosenBefore = await selectedOption(page);
    await page.keyboard.press('ArrowDown');
    const chosen = await selectedOption(page);
    expect(chosen).not.toBe(chosenBefore);
    await page.keyboard.press('ArrowUp');
    expect(await selectedOption(page)).toBe(chosenBefore);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(chosen).toContain((await openConversationName(page)) ?? '—');
    expect([alpha.display_name, beta.display_name]).toContain(await openConversationName(page));

    // Esc closes it with nothing changed, and the focus goes back where it was.
    await composer(page).click();
    const before = await focusedElement(page);
    await page.keyboard.press('Control+k');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedElement(page)).toBe(before);
    expect(session.app().errors).toEqual([]);
  });

  it('Alt+Up/Down go to the previous/next conversation, Alt+Shift+Up/Down to the previous/next unread one', async () => {
    // Newest first in the list: gamma, beta, alpha.
    const { people } = await newConversations('n', ['alpha', 'beta', 'gamma']);
    const page = await openMessenger(people);
    const [alpha, beta, gamma] = people as [Person, Person, Person];

    // beta is read (focused, on screen for the dwell); then the window is blurred so nothing else is.
    await conversationRow(page, beta.display_name).click();
    await messageLog(page).locator('.bubble').first().waitFor();
    await expect.poll(() => unreadOf(conversationRow(page, beta.display_name)), { timeout: 5_000 }).toBe(0);
    await session.setFocused(false);
    await conversationRow(page, gamma.display_name).click();
    await expectOpen(page, gamma);

    await page.keyboard.press('Alt+ArrowDown');
    await expectOpen(page, beta);
    await page.keyboard.press('Alt+ArrowDown');
    await expectOpen(page, alpha);
    await page.keyboard.press('Alt+ArrowUp');
    await expectOpen(page, beta);
    await page.keyboard.press('Alt+ArrowUp');
    await expectOpen(page, gamma);

    expect(await unreadOf(conversationRow(page, alpha.display_name))).toBe(1);
    expect(await unreadOf(conversationRow(page, gamma.display_name))).toBe(1);
    await page.keyboard.press('Alt+Shift+ArrowDown');
    await expectOpen(page, alpha); // beta is read: skipped
    await page.keyboard.press('Alt+Shift+ArrowUp');
    await expectOpen(page, gamma);
    expect(session.app().errors).toEqual([]);
  });

  it('Ctrl+/ shows the shortcuts and Esc gives the focus back; Ctrl+N starts a new conversation', async () => {
    const { page } = session.app();
    await signIn(page, 'sheridan');
    await conversationRow(page, 'Andrew Brown').click();
    await composer(page).click();
    const before = await focusedElement(page);

    await page.keyboard.press('Control+/');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.waitFor();
    expect(await shortcuts.textContent()).toContain('Ctrl+K');
    await page.keyboard.press('Escape');
    await shortcuts.waitFor({ state: 'detached' });
    expect(await focusedElement(page)).toBe(before);

    await page.keyboard.press('Control+n');
    await page.getByLabel('Search people').waitFor();
    expect(await page.getByLabel('Search people').evaluate((el) => el === document.activeElement)).toBe(true);
  });
});

async function expectOpen(page: Page, person: Person): Promise<void> {
  await expect.poll(() => openConversationName(page)).toBe(person.display_name);
  const row = conversationRow(page, person.display_name);
  expect(await row.getAttribute('aria-current')).toBe('true');
}

/** The text of the switcher's chosen option (aria-selected). */
function selectedOption(page: Page): Promise<string | null> {
  return switcher(page).getByRole('option', { selected: true }).textContent();
}
