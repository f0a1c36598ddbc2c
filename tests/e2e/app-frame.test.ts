import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { useApp } from './support/session';

const current = useApp();
let app: RunningApp;
beforeEach(() => {
  app = current();
});

describe('the app in Chromium', () => {
  it('opens on the sign-in screen with the info from the main process', async () => {
    const { page } = app;
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Cruddur 0.1.0');
    expect(await page.getByRole('status').textContent()).toContain('backend local (us-east-1)');
    expect(await page.getByRole('heading', { name: 'Sign in to Cruddur' }).isVisible()).toBe(true);
    // Signed out, nothing of the messenger shows.
    expect(await page.getByRole('navigation', { name: 'Conversations' }).count()).toBe(0);
    await app.screenshot('sign-in');
    expect(app.errors).toEqual([]);
  });

  it('gives the page no Node, no ipcRenderer and a frozen api with one method per operation', async () => {
    const exposed = await app.page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
      frozen: Object.isFrozen(window.api),
      methods: Object.keys(window.api).sort(),
    }));
    expect(exposed).toMatchObject({
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      frozen: true,
    });
    expect(exposed.methods).toContain('getAppInfo');
    expect(exposed.methods).toContain('on');
    expect(exposed.methods).not.toContain('invoke');
  });

  it('enforces the CSP on the real page: an inline script does not run', async () => {
    const ran = await app.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect(app.errors.some((error) => error.includes('Content Security Policy'))).toBe(true);
  });

  it('refuses a payload that fails its schema, from the real page', async () => {
    const result = await app.page.evaluate(() =>
      (window.api.listMessages as (input: unknown) => Promise<unknown>)({
        groupUuid: 'not-a-uuid',
        extra: 1,
      }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'Invalid' } });
  });

  it('delivers pushed events to the renderer', async () => {
    await expect.poll(() => app.page.getByRole('status').textContent()).toContain('Cruddur');
    await app.emit('window.focus', { focused: false });
    await expect.poll(() => app.page.locator('.app--blurred').count()).toBe(1);
  });
});
