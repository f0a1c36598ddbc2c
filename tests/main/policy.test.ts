import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAppUrl,
  isSafeExternalUrl,
  secureWebPreferences,
  windowBackground,
} from '../../electron/main/shell/policy';
import { resolveAppFile, serveAppRequest } from '../../electron/main/shell/protocol';
import {
  DEFAULT_STATE,
  readWindowState,
  restoreWindowState,
  writeWindowState,
} from '../../electron/main/shell/window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('the Content-Security-Policy', () => {
  it('allows no remote script, no eval and no inline script in production', () => {
    const csp = contentSecurityPolicy();
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)|https?:|\*/);
  });

  it('lets only the dev server in during dev mode', () => {
    const csp = contentSecurityPolicy('http://localhost:5173/');
    expect(csp).toContain("script-src 'self' http://localhost:5173");
    expect(csp).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('URLs', () => {
  it('recognises the app page by its origin only', () => {
    expect(isAppUrl('app://cruddur/index.html', 'app://cruddur')).toBe(true);
    expect(isAppUrl('app://cruddur.evil/index.html', 'app://cruddur')).toBe(false);
    expect(isAppUrl('app://evil/index.html', 'app://cruddur')).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('not a url', 'app://cruddur')).toBe(false);
  });

  it('opens http and https links externally, and nothing else', () => {
    for (const url of [
      'https://aws.amazon.com/dynamodb/',
      'http://example.com',
      'http://127.0.0.1:8000/shell',
      'HTTP://EXAMPLE.COM/path?q=1#top',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(true);
    }
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ms-msdt:/id',
      'smb://host/share',
      'ftp://example.com/',
      'https://a:b@example.com',
      'http://a@example.com/',
      'https://',
      'nonsense',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});

describe('the window', () => {
  it('keeps every security option on, and DevTools in dev mode only', () => {
    const production = secureWebPreferences('/app/preload.cjs', { dev: false });
    const dev = secureWebPreferences('/app/preload.cjs', { dev: true });
    for (const prefs of [production, dev]) {
      expect(prefs).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        spellcheck: true,
      });
    }
    expect(production.devTools).toBe(false);
    expect(dev.devTools).toBe(true);
  });

  it("paints the page's background before the page does, light or dark", () => {
    expect(windowBackground(false)).toBe('#f6f7fb');
    expect(windowBackground(true)).toBe('#14161f');
  });
});

describe('the app:// protocol', () => {
  it('serves files from the renderer folder only', () => {
    const resolve = (url: string) => resolveAppFile('/app/out/renderer', url);
    expect(resolve('app://cruddur/')).toEqual({ file: '/app/out/renderer/index.html' });
    expect(resolve('app://cruddur/assets/a.js')).toEqual({ file: '/app/out/renderer/assets/a.js' });
    expect(resolve('app://cruddur/../../etc/passwd')).toEqual({ file: '/app/out/renderer/etc/passwd' });
    expect(resolve('app://cruddur/..%2f..%2fetc%2fpasswd')).toEqual({ status: 404 });
    expect(resolve('app://other/index.html')).toEqual({ status: 404 });
  });

  it('answers with the file, its type and the CSP header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cruddur-protocol-'));
    await writeFile(join(dir, 'index.html'), '<p>hi</p>');
    const response = await serveAppRequest(dir, 'app://cruddur/index.html', "default-src 'none'");
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await response.text()).toBe('<p>hi</p>');
    expect((await serveAppRequest(dir, 'app://cruddur/missing.js', '')).status).toBe(404);
  });

  it('answers 400 to broken percent-encoding and to an encoded NUL, with the CSP header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cruddur-protocol-'));
    for (const url of [
      'app://cruddur/%E0%A4%A',
      'app://cruddur/%zz.js',
      'app://cruddur/%',
      'app://cruddur/a%00.js',
    ]) {
      const response = await serveAppRequest(dir, url, "default-src 'none'");
      expect(response.status, url).toBe(400);
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    }
  });
});

describe('window state', () => {
  it('restores a saved position that is on a screen', () => {
    const saved = { x: 100, y: 80, width: 1000, height: 700, maximized: true };
    expect(restoreWindowState(saved, screen)).toEqual(saved);
  });

  it('falls back to defaults for a corrupt or absurd file', () => {
    expect(restoreWindowState('garbage', screen)).toEqual(DEFAULT_STATE);
    expect(restoreWindowState({ x: 0, y: 0, width: 10, height: 10, maximized: false }, screen)).toEqual(
      DEFAULT_STATE,
    );
    expect(restoreWindowState({ width: 'wide' }, screen)).toEqual(DEFAULT_STATE);
  });

  it('brings back a window whose monitor is gone', () => {
    const restored = restoreWindowState(
      { x: 5000, y: 200, width: 1000, height: 700, maximized: false },
      screen,
    );
    expect(restored.x).toBeUndefined();
    expect(restored.width).toBe(1000);
  });

  it('shrinks a window larger than every screen', () => {
    const restored = restoreWindowState({ x: 0, y: 0, width: 4000, height: 3000, maximized: false }, screen);
    expect(restored).toMatchObject({ width: 1920, height: 1080 });
  });

  it('round-trips through the file', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cruddur-state-')), 'nested', 'window-state.json');
    await writeWindowState(file, { x: 10, y: 20, width: 800, height: 600, maximized: false });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ x: 10 });
    expect(await readWindowState(file, screen)).toEqual({
      x: 10,
      y: 20,
      width: 800,
      height: 600,
      maximized: false,
    });
  });
});
