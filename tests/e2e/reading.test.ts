import { describe, expect, it } from 'vitest';
import { E2E_ORIGIN } from './support/app';
import { useOtherPeople, uniqueText } from './support/others';
import { useAppSession } from './support/session';
import { composer, conversationRow, messageLog, signIn } from './support/ui';

/**
 * Reading a conversation end to end: links, arrivals while scrolled up, and drafts. ivanova
 * (signed in by no other e2e file) reads; andrewbrown writes through his own MessageService.
 */
const session = useAppSession();
const others = useOtherPeople();

describe('reading a conversation', () => {
  it('opens an https link through the shell, never in the window, and leaves javascript: as text', async () => {
    const { page } = session.app();
    const [andrew, ivanova] = await Promise.all([others.seeded('andrewbrown'), others.seeded('ivanova')]);
    const url = `https://example.com/e2e/${Date.now().toString(36)}?q=1&r=2`;
    const text = `Read ${url}. Not javascript:alert(document.domain) though`;
    await others.send(andrew, ivanova, text);

    await signIn(page, 'ivanova');
    await conversationRow(page, 'Andrew Brown').click();
    const bubble = messageLog(page).locator('.bubble', { hasText: 'javascript:alert(document.domain)' });
    await bubble.waitFor();
    const link = bubble.getByRole('link', { name: url });
    expect(await link.getAttribute('href')).toBe(url);
    // The only link is the web address; the javascript: text is plain text.
    expect(await bubble.locator('a').count()).toBe(1);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await bubble.locator('.bubble__text').textContent()).toBe(text);

    await link.click();
    await expect.poll(() => session.main().opened).toEqual([url]);
    await link.click({ button: 'middle' });
    await expect.poll(() => session.main().opened).toEqual([url, url]);
    expect(page.url()).toBe(`${E2E_ORIGIN}/index.html`);
    expect(page.context().pages()).toHaveLength(1);

    // The main process checks again: what the page could forge is refused, and nothing opens.
    for (const forged of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>']) {
      const result = await page.evaluate((address) => window.api.openLink({ url: address }), forged);
      expect(result).toMatchObject({ ok: false, error: { code: 'Invalid' } });
    }
    expect(session.main().opened).toEqual([url, url]);
    expect(session.app().errors).toEqual([]);
  });

  it('counts what arrives while I am scrolled up, and "Jump to latest" takes me to it', async () => {
    const { page } = session.app();
    const [andrew, ivanova] = await Promise.all([others.seeded('andrewbrown'), others.seeded('ivanova')]);
    await signIn(page, 'ivanova');
    await conversationRow(page, 'Andrew Brown').click();
    const log = messageLog(page);
    await log.locator('.bubble').first().waitFor();
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect.poll(() => log.evaluate((el) => el.scrollTop)).toBe(0);
    const scrolledTo = await log.evaluate((el) => el.scrollHeight - el.clientHeight);
    expect(scrolledTo).toBeGreaterThan(200); // the conversation is longer than a screen

    const text = uniqueText('Come back down');
    await others.send(andrew, ivanova, text);
    const jump = page.getByRole('button', { name: 'Jump to latest, 1 new message' });
    await jump.waitFor({ timeout: 10_000 });
    // Arrivals do not move a reader who scrolled up.
    expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
    expect(await isInView(log.locator('.bubble', { hasText: text }))).toBe(false);

    await jump.click();
    await expect.poll(() => isInView(log.locator('.bubble', { hasText: text }))).toBe(true);
    await jump.waitFor({ state: 'detached' });
    expect(await log.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(session.app().errors).toEqual([]);
  });

  it('keeps a draft per conversation across a switch and a restart', async () => {
    const ivanova = await others.seeded('ivanova');
    const [friend] = await others.fresh(`draft${Date.now().toString(36)}`);
    await others.start(friend!, ivanova, 'Write back when you can');
    const draft = uniqueText('Half a thought');

    let { page } = session.app();
    await signIn(page, 'ivanova');
    await conversationRow(page, 'Andrew Brown').click();
    await composer(page).fill(draft);
    await conversationRow(page, friend!.display_name).click();
    await expect.poll(() => composer(page).inputValue()).toBe('');
    await conversationRow(page, 'Andrew Brown').click();
    await expect.poll(() => composer(page).inputValue()).toBe(draft);

    await expect
      .poll(() => session.app().calls.some((c) => c.operation === 'saveDraft' && hasText(c.payload, draft)))
      .toBe(true);
    ({ page } = await session.restart());
    // The remembered sign-in comes back with the same user-data folder; so does the draft.
    await conversationRow(page, 'Andrew Brown').click();
    await expect.poll(() => composer(page).inputValue()).toBe(draft);
    await conversationRow(page, friend!.display_name).click();
    await expect.poll(() => composer(page).inputValue()).toBe('');
    expect(session.app().errors).toEqual([]);
  });
});

const hasText = (payload: unknown, text: string) =>
  typeof payload === 'object' && payload !== null && (payload as { text?: unknown }).text === text;

/** Whether the element is rendered inside the visible part of its scrolling log. */
async function isInView(locator: ReturnType<typeof messageLog>): Promise<boolean> {
  if ((await locator.count()) === 0) return false;
  return locator.evaluate((el) => {
    const log = el.closest('[role="log"]')!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return box.bottom > log.top && box.top < log.bottom;
  });
}
