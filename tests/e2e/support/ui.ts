import type { Locator, Page } from 'playwright-core';
import { DEV_PASSWORD } from '../../../scripts/seed/users';

/** Signs in on the sign-in screen and waits for the conversation list. */
export async function signIn(page: Page, handle: string, password = DEV_PASSWORD): Promise<void> {
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await conversationList(page).waitFor();
}

export const conversationList = (page: Page): Locator =>
  page.getByRole('list', { name: 'Conversation list' });

/** The conversation row (a button) whose name holds the other person's display name. */
export const conversationRow = (page: Page, displayName: string): Locator =>
  conversationList(page).getByRole('button', { name: new RegExp(escapeRegExp(displayName)) });

export const messageLog = (page: Page): Locator => page.getByRole('log', { name: 'Messages' });

export const composer = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' });

/** The accessible name of the element, as the accessibility tree gives it (from its ARIA snapshot). */
export async function accessibleName(locator: Locator): Promise<string> {
  const snapshot = await locator.ariaSnapshot();
  const first = snapshot.split('\n')[0] ?? '';
  const quoted = /^- \w+ "((?:[^"\\]|\\.)*)"/.exec(first);
  return quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : '';
}

/** The "N unread" a conversation row's name carries (0 when it says none). */
export async function unreadOf(row: Locator): Promise<number> {
  const match = /(\d+) unread/.exec(await accessibleName(row));
  return match ? Number(match[1]) : 0;
}

/** The display name of the conversation open in the right pane. */
export async function openConversationName(page: Page): Promise<string | null> {
  return page.getByRole('region', { name: 'Conversation' }).getByRole('heading', { level: 2 }).textContent();
}

/** The element that has the keyboard focus, described well enough to compare. */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    return `${el.tagName.toLowerCase()}[${el.getAttribute('role') ?? ''}] ${name}`;
  });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
