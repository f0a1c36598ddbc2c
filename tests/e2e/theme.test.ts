import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useAppSession } from './support/session';
import { conversationRow, messageLog, signIn } from './support/ui';

/**
 * The theme is the system's from the very first frame: a blocking script in the page's head sets
 * <html data-theme> from prefers-color-scheme before anything is painted, so a dark desktop never
 * sees a white flash. An init script (run before any of the page's own) records what the first
 * animation frame, which comes right before the first paint, and DOMContentLoaded saw.
 */
interface Seen {
  theme: string | null;
  /** The page's background: the body's, or the root's when the body's is transparent. */
  background: string;
}

function recordFirstPaint(): void {
  const read = () => {
    const transparent = (color: string) => color === 'transparent' || color === 'rgba(0, 0, 0, 0)';
    const body = document.body ? getComputedStyle(document.body).backgroundColor : 'transparent';
    return {
      theme: document.documentElement.getAttribute('data-theme'),
      background: transparent(body) ? getComputedStyle(document.documentElement).backgroundColor : body,
    };
  };
  const w = window as unknown as Record<string, unknown>;
  requestAnimationFrame(() => {
    w['__firstFrame'] = read();
  });
  document.addEventListener('DOMContentLoaded', () => {
    w['__domContentLoaded'] = read();
  });
}

const session = useAppSession({ initScript: recordFirstPaint });

/** Relative luminance (0 black … 1 white) of a CSS rgb()/rgba() colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  if (r === undefined || g === undefined || b === undefined) return NaN;
  const linear = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

async function seen(page: Page): Promise<{ firstFrame: Seen; domContentLoaded: Seen }> {
  await page.waitForFunction(() => '__firstFrame' in window && '__domContentLoaded' in window);
  return page.evaluate(() => {
    const w = window as unknown as Record<string, Seen>;
    return { firstFrame: w['__firstFrame']!, domContentLoaded: w['__domContentLoaded']! };
  });
}

describe('the theme', () => {
  it('is dark before the first paint on a dark system, and stays dark signed in', async () => {
    const { page } = await session.restart({ colorScheme: 'dark', initScript: recordFirstPaint });
    const { firstFrame, domContentLoaded } = await seen(page);
    expect(firstFrame.theme).toBe('dark');
    expect(domContentLoaded.theme).toBe('dark');
    expect(luminance(firstFrame.background)).toBeLessThan(0.1);
    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();
    await session.app().screenshot('signin-dark');

    await signIn(page, 'andrewbrown');
    await conversationRow(page, 'Andrew Bayko').click();
    await messageLog(page).locator('.bubble').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await session.app().screenshot('messenger-dark');
    expect(session.app().errors).toEqual([]);
  });

  it('is light before the first paint on a light system', async () => {
    const { page } = session.app(); // launched light, the default
    const { firstFrame, domContentLoaded } = await seen(page);
    expect(firstFrame.theme).toBe('light');
    expect(domContentLoaded.theme).toBe('light');
    expect(luminance(firstFrame.background)).toBeGreaterThan(0.8);
    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();
    await session.app().screenshot('signin-light');

    await signIn(page, 'andrewbrown');
    await conversationRow(page, 'Andrew Bayko').click();
    await messageLog(page).locator('.bubble').first().waitFor();
    await session.app().screenshot('messenger-light');
    expect(session.app().errors).toEqual([]);
  });
});
