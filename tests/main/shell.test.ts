import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeChannel, operationNames } from '../../shared/contract';
import { createFakeElectron, type FakeElectron } from './support/fake-electron';

let fake: FakeElectron;

/** Imports electron/main/index.ts afresh, against a new fake electron module. */
async function importShell() {
  vi.resetModules();
  const electron = fake.electron;
  vi.doMock('electron', () => electron);
  await import('../../electron/main/index');
}

async function startShell(options: { singleInstanceLock?: boolean; devServerUrl?: string } = {}) {
  fake = createFakeElectron();
  fake.electron.app.singleInstanceLock = options.singleInstanceLock ?? true;
  fake.electron.app.isPackaged = !options.devServerUrl;
  vi.stubEnv('ELECTRON_RENDERER_URL', options.devServerUrl ?? '');
  await importShell();
  fake.ready();
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
  const window = fake.windows[0]!;
  await vi.waitFor(() => expect(window.loadURL).toHaveBeenCalled());
  return window;
}

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The window-open handler the shell installs on a new web contents. */
async function windowOpenHandler() {
  const { FakeWebContents } = await import('./support/fake-electron');
  const contents = new FakeWebContents();
  fake.electron.app.emit('web-contents-created', {}, contents);
  return contents.windowOpenHandler!;
}

describe('the Electron shell', () => {
  it('opens one window with every security option on', async () => {
    const window = await startShell();
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(prefs['preload'])).toMatch(/out\/preload\/index\.cjs$|preload\/index\.cjs$/);
  });

  it('loads the built page from the app:// scheme, never a remote URL', async () => {
    const window = await startShell();
    expect(window.loadURL).toHaveBeenCalledWith('app://cruddur/index.html');
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(fake.electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('sends a strict Content-Security-Policy with every response', async () => {
    await startShell();
    let headers: Record<string, string[]> = {};
    fake.permissionHandlers.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (response) => {
      headers = response.responseHeaders;
    });
    const csp = headers['Content-Security-Policy']![0]!;
    expect(headers['X-Other']).toEqual(['1']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
  });

  it('blocks navigation away from the app page', async () => {
    await startShell();
    const contents = new (await import('./support/fake-electron')).FakeWebContents();
    fake.electron.app.emit('web-contents-created', {}, contents);
    const away = { preventDefault: vi.fn() };
    contents.emit('will-navigate', away, 'https://evil.example/phish');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    contents.emit('will-navigate', inside, 'app://cruddur/index.html#/settings');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open, sending only https links to the system browser', async () => {
    await startShell();
    const open = await windowOpenHandler();
    expect(open({ url: 'https://example.com/page' })).toEqual({ action: 'deny' });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/page');
    for (const url of [
      'http://example.com/page',
      'http://127.0.0.1:8000/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://user:pw@example.com',
    ]) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('hands http links on loopback to the system browser in dev mode only', async () => {
    await startShell({ devServerUrl: 'http://localhost:5173/' });
    const open = await windowOpenHandler();
    for (const url of ['http://127.0.0.1:8000/shell', 'http://localhost:9229/', 'http://example.com/']) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.electron.shell.openExternal.mock.calls).toEqual([
      ['http://127.0.0.1:8000/shell'],
      ['http://localhost:9229/'],
    ]);
  });

  it('denies every permission request and check', async () => {
    await startShell();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      fake.permissionHandlers.request!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(fake.permissionHandlers.check!()).toBe(false);
  });

  it('registers a handler for every contract operation', async () => {
    await startShell();
    const channels = fake.electron.ipcMain.handle.mock.calls.map((call) => call[0]);
    expect(channels.sort()).toEqual(operationNames.map(invokeChannel).sort());
  });

  it('focuses the first window when a second instance is launched', async () => {
    const window = await startShell();
    window.minimized = true;
    fake.electron.app.emit('second-instance');
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('quits at once when another instance holds the lock', async () => {
    fake = createFakeElectron();
    fake.electron.app.singleInstanceLock = false;
    await importShell();
    fake.ready();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
    expect(fake.electron.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('pushes window focus changes to the renderer', async () => {
    const window = await startShell();
    window.emit('blur');
    expect(window.webContents.send).toHaveBeenCalledWith('cruddur:event:window.focus', { focused: false });
  });
});
