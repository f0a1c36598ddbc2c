import { beforeEach, describe, expect, it } from 'vitest';
import { DEV_PASSWORD } from '../../scripts/seed/users';
import type { RunningApp } from './support/app';
import { useApp } from './support/session';

let app: RunningApp;

/** The app's main process, in either mode, with a fresh page per test. */
function useMode(mode: 'direct' | 'api') {
  const current = useApp({ mode });
  beforeEach(() => {
    app = current();
  });
}

async function signIn(handle: string, password = DEV_PASSWORD) {
  const { page } = app;
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.each(['direct', 'api'] as const)('the messenger in Chromium, %s mode', (mode) => {
  useMode(mode);

  it('signs in, shows the conversations, opens one, sends a message, and signs out', async () => {
    const { page } = app;
    await signIn('andrewbrown');
    const list = page.getByRole('list', { name: 'Conversation list' });
    await list.waitFor();
    const bayko = list.getByRole('button', { name: /Andrew Bayko/ });
    await bayko.waitFor();
    await bayko.click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.locator('.bubble').first().waitFor();
    // HTML-looking text is shown as text, never run or parsed.
    expect(await page.locator('.bubble__text b, .bubble__text script').count()).toBe(0);

    const text = `Hello from the e2e test ${Date.now()} <b>not bold</b>`;
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.keyboard.press('Enter');
    await log.getByText(text).waitFor();
    await expect.poll(() => page.locator('.bubble--sending').count()).toBe(0);
    // Pattern E (the stream worker) moves the group item; the poller pushes the list change.
    await expect
      .poll(() => list.getByRole('button', { name: /Andrew Bayko/ }).textContent(), { timeout: 15_000 })
      .toContain('Hello from the e2e test');
    if (mode === 'direct') await app.screenshot('messenger');
    if (mode === 'api') {
      // Settings says which mode is in use, and checks what this mode reaches: the API and Cognito.
      await page.getByRole('textbox', { name: 'Message' }).click();
      await page.keyboard.press('Control+,');
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings.waitFor({ timeout: 5_000 });
      await settings.getByText('API: the server decides who may read what').waitFor({ timeout: 5_000 });
      await settings.getByRole('button', { name: 'Check services' }).click();
      const services = settings.getByRole('list', { name: 'Services' });
      await services.waitFor({ timeout: 10_000 });
      expect(await services.getByRole('listitem').allTextContents()).toEqual([
        'Message API: answers',
        'Cognito: answers',
      ]);
      await app.screenshot('settings-api');
      await page.keyboard.press('Escape');
      await settings.waitFor({ state: 'detached', timeout: 5_000 });
    }
    expect(app.errors).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();
    expect(await page.getByRole('list', { name: 'Conversation list' }).count()).toBe(0);
  });

  it('keeps every token in the main process: nothing token-like is reachable from the page', async () => {
    const { page } = app;
    await signIn('bayko');
    await page.getByRole('list', { name: 'Conversation list' }).waitFor();
    const reachable = await page.evaluate(async () => {
      const seen: string[] = [];
      const visit = (value: unknown, depth: number) => {
        if (depth > 3 || value === null || value === undefined) return;
        if (typeof value === 'string') seen.push(value);
        else if (typeof value === 'object')
          for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], depth + 1);
      };
      for (const key of Object.keys(window)) {
        try {
          visit((window as unknown as Record<string, unknown>)[key], 0);
        } catch {
          // some host objects throw on access
        }
      }
      for (const storage of [localStorage, sessionStorage]) {
        for (let i = 0; i < storage.length; i++) seen.push(storage.getItem(storage.key(i)!) ?? '');
      }
      seen.push(document.cookie, document.documentElement.outerHTML);
      const databases = (await indexedDB.databases?.()) ?? [];
      seen.push(...databases.map((db) => db.name ?? ''));
      return seen;
    });
    const jwt = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
    expect(reachable.filter((value) => jwt.test(value))).toEqual([]);
    const session = await page.evaluate(() => window.api.getSession());
    expect(session).toMatchObject({ ok: true, value: { handle: 'bayko' } });
    expect(Object.keys((session as { value: object }).value).sort()).toEqual([
      'display_name',
      'email',
      'handle',
      'uuid',
    ]);
  });
});

describe('signing in', () => {
  useMode('direct');

  it('shows a wrong password in plain words', async () => {
    await signIn('andrewbrown', 'Wrong-password-1!');
    await app.page.getByRole('alert').waitFor();
    expect(await app.page.getByRole('alert').textContent()).toBe('The handle or password is wrong.');
  });
});
