import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useOtherPeople, uniqueText } from './support/others';
import { useAppSession } from './support/session';
import { conversationRow, messageLog, signIn, unreadOf } from './support/ui';

/**
 * Unread counts end to end: andrewbrown writes to delenn through his own MessageService, Pattern E
 * counts the message, delenn's poller brings the count to her page, and only looking at it in a
 * focused window clears it. delenn is signed in by no other e2e file.
 */
const session = useAppSession();
const others = useOtherPeople();

/** Long enough for the read dwell (1 s) to have passed twice over, had the window been focused. */
const STILL_UNREAD_AFTER_MS = 2_000;
/** Pattern E (the stream worker) then one poll (2.5 s focused). */
const ARRIVES_WITHIN_MS = 15_000;

describe('unread messages', () => {
  it('counts a message from the other person, keeps it unread while blurred, and clears it once read in a focused window', async () => {
    const { page } = session.app();
    const [andrew, delenn] = await Promise.all([others.seeded('andrewbrown'), others.seeded('delenn')]);
    await signIn(page, 'delenn');
    const row = conversationRow(page, 'Andrew Brown');
    await row.waitFor();
    // The local cloud is new each run and the other test leaves this conversation read.
    expect(await unreadOf(row)).toBe(0);

    const text = uniqueText('Are you there, Delenn?');
    await others.send(andrew, delenn, text);
    await expect.poll(() => unreadOf(row), { timeout: ARRIVES_WITHIN_MS }).toBe(1);
    await expect.poll(() => row.textContent()).toContain(text);

    // Blurred: opening the conversation shows the message but does not read it.
    await session.setFocused(false);
    await row.click();
    const bubble = messageLog(page).locator('.bubble', { hasText: text });
    await bubble.waitFor();
    const divider = messageLog(page).getByRole('separator', { name: 'New messages' });
    await divider.waitFor();
    expect(await rowAfter(page, 'separator')).toContain(text);
    await page.waitForTimeout(STILL_UNREAD_AFTER_MS);
    expect(await unreadOf(row)).toBe(1);
    expect(session.app().calls.filter((c) => c.operation === 'markConversationRead')).toEqual([]);

    // Focused: after the dwell the mark moves, the row clears, and the table says so too.
    await session.setFocused(true);
    await expect.poll(() => unreadOf(row), { timeout: 5_000 }).toBe(0);
    const listed = await others.service.listConversations(delenn);
    const stored = listed.items.find((c) => c.handle === 'andrewbrown');
    expect(stored?.unread_count).toBe(0);
    // The divider stays where it was for the rest of the visit.
    expect(await divider.isVisible()).toBe(true);
    expect(session.app().errors).toEqual([]);
  });

  it('reads a message arriving in the open conversation in a focused window, and not in a blurred one', async () => {
    const { page } = session.app();
    const [andrew, delenn] = await Promise.all([others.seeded('andrewbrown'), others.seeded('delenn')]);
    await signIn(page, 'delenn');
    const row = conversationRow(page, 'Andrew Brown');
    await row.click();
    await messageLog(page).locator('.bubble').first().waitFor();
    await expect.poll(() => unreadOf(row), { timeout: 5_000 }).toBe(0);

    await session.setFocused(false);
    const whileAway = uniqueText('While you were away');
    await others.send(andrew, delenn, whileAway);
    // Blurred, the poller runs every 10 s: the message and its count arrive, unread.
    await messageLog(page).getByText(whileAway).waitFor({ timeout: 25_000 });
    await expect.poll(() => unreadOf(row), { timeout: 15_000 }).toBe(1);
    await page.waitForTimeout(STILL_UNREAD_AFTER_MS);
    expect(await unreadOf(row)).toBe(1);

    await session.setFocused(true);
    await expect.poll(() => unreadOf(row), { timeout: 5_000 }).toBe(0);
  }, 60_000);
});

/** The text of the row right after the first row with this role (virtualized rows are in order). */
function rowAfter(page: Page, role: string): Promise<string> {
  return page.evaluate((role) => {
    const slot = document.querySelector(`[role="log"] [role="${role}"]`)?.closest('[data-index]');
    const index = Number(slot?.getAttribute('data-index'));
    return document.querySelector(`[role="log"] [data-index="${index + 1}"]`)?.textContent ?? '';
  }, role);
}
