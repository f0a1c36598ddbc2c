import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible } from './support/axe';
import { useAppSession } from './support/session';
import { composer, conversationRow, messageLog, signIn } from './support/ui';

/**
 * axe-core on every screen, in the real page with its real CSP: no serious or critical
 * violation on sign-in, the messenger (light and dark), a new conversation, the switcher, the
 * shortcuts and the settings. londo is signed in by no other e2e file.
 */
const session = useAppSession();

async function openMessenger(page: Page): Promise<void> {
  await signIn(page, 'londo');
  await conversationRow(page, 'Andrew Brown').click();
  await messageLog(page).locator('.bubble').first().waitFor();
}

/** Opens a dialog with its shortcut, checks it, photographs it and closes it with Esc. */
async function checkDialog(page: Page, keys: string, name: string, screen: string): Promise<void> {
  await page.keyboard.press(keys);
  const dialog = page.getByRole('dialog', { name });
  await dialog.waitFor();
  await expectAccessible(page, screen);
  await session.app().screenshot(screen);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}

describe('accessibility (axe-core)', () => {
  it('finds no serious or critical violation on sign-in, the messenger, a new conversation and the dialogs (light)', async () => {
    const { page } = session.app();
    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('button', { name: 'Sign up' }).waitFor();
    await expectAccessible(page, 'sign-up');
    await page.getByRole('button', { name: 'I already have an account' }).click();
    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();

    await openMessenger(page);
    await expectAccessible(page, 'messenger-light');

    await composer(page).click();
    await checkDialog(page, 'Control+k', 'Switch conversation', 'switcher-light');
    await checkDialog(page, 'Control+/', 'Keyboard shortcuts', 'shortcuts-light');
    await checkDialog(page, 'Control+,', 'Settings', 'settings-light');

    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByLabel('Search people').fill('a');
    await page.getByRole('list', { name: 'People' }).getByRole('button').first().waitFor();
    await expectAccessible(page, 'new-conversation-light');
    await session.app().screenshot('new-conversation-light');
    expect(session.app().errors).toEqual([]);
  });

  it('finds no serious or critical violation on the messenger and the switcher in the dark theme', async () => {
    let { page } = session.app();
    await openMessenger(page);
    // The same person, back in a dark desktop: the remembered sign-in opens the messenger.
    ({ page } = await session.restart({ colorScheme: 'dark' }));
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await conversationRow(page, 'Andrew Brown').click();
    await messageLog(page).locator('.bubble').first().waitFor();
    await expectAccessible(page, 'messenger-dark');
    await composer(page).click();
    await checkDialog(page, 'Control+k', 'Switch conversation', 'switcher-dark');
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByLabel('Search people').waitFor();
    await expectAccessible(page, 'new-conversation-dark');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();
    await expectAccessible(page, 'sign-in-dark');
    expect(session.app().errors).toEqual([]);
  });
});
