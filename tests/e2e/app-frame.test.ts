import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../electron/main/config';
import { createHandlers } from '../../electron/main/handlers';
import { closeBrowser, launchApp } from './support/app';

afterAll(closeBrowser);

describe('the app in Chromium', () => {
  it('shows the two-pane frame with the info from the main process', async () => {
    const app = await launchApp(createHandlers({ config: loadConfig({}), appVersion: '0.1.0' }));
    try {
      const { page } = app;
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Cruddur 0.1.0');
      expect(await page.getByRole('status').textContent()).toContain('backend local (us-east-1)');
      expect(await page.getByRole('navigation', { name: 'Conversations' }).isVisible()).toBe(true);
      expect(await page.getByRole('region', { name: 'Conversation' }).isVisible()).toBe(true);
      const shot = await app.screenshot('app-frame');
      expect(existsSync(shot)).toBe(true);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('gives the page no Node, no ipcRenderer and a frozen api', async () => {
    const app = await launchApp(createHandlers({ config: loadConfig({}), appVersion: '0.1.0' }));
    try {
      const exposed = await app.page.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
        frozen: Object.isFrozen(window.api),
        methods: Object.keys(window.api).sort(),
      }));
      expect(exposed).toEqual({
        require: 'undefined',
        process: 'undefined',
        ipcRenderer: 'undefined',
        frozen: true,
        methods: ['getAppInfo', 'on'],
      });
    } finally {
      await app.close();
    }
  });

  it('enforces the CSP on the real page: an inline script does not run', async () => {
    const app = await launchApp(createHandlers({ config: loadConfig({}), appVersion: '0.1.0' }));
    try {
      const ran = await app.page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      expect(app.errors.some((error) => error.includes('Content Security Policy'))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('delivers pushed events to the renderer', async () => {
    const app = await launchApp(createHandlers({ config: loadConfig({}), appVersion: '0.1.0' }));
    try {
      await expect.poll(() => app.page.getByRole('status').textContent()).toContain('Cruddur');
      await app.emit('window.focus', { focused: false });
      await expect.poll(() => app.page.locator('.app--blurred').count()).toBe(1);
    } finally {
      await app.close();
    }
  });
});
