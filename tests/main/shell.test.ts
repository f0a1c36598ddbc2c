import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SESSION_FILE_NAME } from '../../core/auth/create-auth-service';
import { CACHE_DIR_NAME } from '../../electron/main/backend';
import { CONNECTION_FILE_NAME } from '../../core/connection-file';
import { AWS_CONNECTION } from './support/connections';
import { eventChannel, invokeChannel, operationNames, type OperationName } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { createFakeElectron, FakeMenu, FakeWebContents, type FakeElectron } from './support/fake-electron';

let fake: FakeElectron;

/** Imports electron/main/index.ts afresh, against a new fake electron module. */
async function importShell() {
  vi.resetModules();
  const electron = fake.electron;
  vi.doMock('electron', () => electron);
  await import('../../electron/main/index');
}

async function startShell(
  options: { singleInstanceLock?: boolean; devServerUrl?: string; systemDark?: boolean } = {},
) {
  fake = createFakeElectron();
  fake.electron.nativeTheme.systemDark = options.systemDark ?? false;
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

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await fake.removeUserData();
});

/** Calls an operation the shell registered, as the app's page would. */
async function invoke(operation: OperationName, payload: unknown): Promise<Result<unknown>> {
  const registered = fake.electron.ipcMain.handle.mock.calls as unknown as [
    string,
    (event: unknown, payload: unknown) => Promise<Result<unknown>>,
  ][];
  const handler = registered.find(([channel]) => channel === invokeChannel(operation))?.[1];
  if (!handler) throw new Error(`no handler for ${operation}`);
  return handler({ senderFrame: { url: 'app://cruddur/index.html' } }, payload);
}

/** The labels and roles of a menu template, one level deep, as `File: New conversation, …`. */
type Item = { label?: string; role?: string; type?: string; submenu?: Item[]; click?: () => void };
const itemName = (item: Item) => item.role ?? item.label ?? item.type ?? '?';

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
    expect(prefs['devTools']).toBe(false);
  });

  it('has DevTools, and Reload and DevTools in the View menu, only in dev mode', async () => {
    const viewMenu = () => {
      const template = FakeMenu.applicationMenu!.template as Item[];
      return template.find((item) => item.label === 'View')!.submenu!.map(itemName);
    };
    await startShell();
    expect(viewMenu()).not.toContain('toggleDevTools');
    const dev = await startShell({ devServerUrl: 'http://localhost:5173/' });
    expect((dev.options['webPreferences'] as Record<string, unknown>)['devTools']).toBe(true);
    expect(viewMenu()).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('hands a menu command to the page', async () => {
    const window = await startShell();
    const template = FakeMenu.applicationMenu!.template as Item[];
    const file = template.find((item) => item.label === 'File')!.submenu!;
    file.find((item) => item.label === 'New conversation')!.click!();
    expect(window.webContents.send).toHaveBeenCalledWith('cruddur:event:menu.command', {
      command: 'newConversation',
    });
  });

  it('opens a context menu with the spelling suggestions of a misspelled word', async () => {
    await startShell();
    const contents = new FakeWebContents();
    fake.electron.app.emit('web-contents-created', {}, contents);
    const flags = {
      canUndo: true,
      canRedo: true,
      canCut: true,
      canCopy: true,
      canPaste: true,
      canSelectAll: true,
    };
    contents.emit(
      'context-menu',
      {},
      {
        isEditable: true,
        selectionText: '',
        misspelledWord: 'helo',
        dictionarySuggestions: ['hello', 'halo'],
        editFlags: flags,
      },
    );
    const menu = FakeMenu.built.at(-1)!;
    expect(menu.popup).toHaveBeenCalled();
    (menu.template as Item[]).find((item) => item.label === 'hello')!.click!();
    expect(contents.replaceMisspelling).toHaveBeenCalledWith('hello');
  });

  it('paints the window dark from the start when the system is dark, and follows the theme setting', async () => {
    const window = await startShell({ systemDark: true });
    expect(window.options['backgroundColor']).toBe('#14161f');
    expect(await invoke('updateSettings', { theme: 'light' })).toMatchObject({
      ok: true,
      value: { theme: 'light' },
    });
    expect(fake.electron.nativeTheme.themeSource).toBe('light');
    fake.electron.nativeTheme.emit('updated');
    expect(window.setBackgroundColor).toHaveBeenLastCalledWith('#f6f7fb');
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

  it('denies window.open, sending only http and https links to the system browser', async () => {
    await startShell();
    const open = await windowOpenHandler();
    for (const url of ['https://example.com/page', 'http://example.com/page', 'http://127.0.0.1:8000/']) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://user:pw@example.com',
    ]) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.electron.shell.openExternal.mock.calls).toEqual([
      ['https://example.com/page'],
      ['http://example.com/page'],
      ['http://127.0.0.1:8000/'],
    ]);
  });

  it('opens a link of a message through openLink, after the same check', async () => {
    await startShell();
    expect(await invoke('openLink', { url: 'https://aws.amazon.com/dynamodb/' })).toEqual({
      ok: true,
      value: null,
    });
    expect(await invoke('openLink', { url: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      error: { code: 'Invalid' },
    });
    expect(fake.electron.shell.openExternal.mock.calls).toEqual([['https://aws.amazon.com/dynamodb/']]);
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

  it('answers settings without anyone signed in', async () => {
    await startShell();
    expect(await invoke('getSettings', undefined)).toMatchObject({
      ok: true,
      value: { notifications: expect.any(Boolean), notificationText: expect.any(Boolean) },
    });
  });

  it('opens Settings when installed with no connection, and a saved connection reconnects and signs out', async () => {
    const window = await startShell();
    expect(await invoke('getConnection', undefined)).toMatchObject({
      ok: true,
      value: { configured: false },
    });
    const userData = fake.electron.app.getPath('userData');
    // A remembered sign-in of the old connection: it cannot sign in to another user pool.
    await writeFile(join(userData, SESSION_FILE_NAME), 'remembered');
    // A message cache of the old connection: its page cursors were signed by the old side (this
    // computer's key in direct mode, the server's in API mode), so the new one would refuse them.
    await mkdir(join(userData, CACHE_DIR_NAME, 'someone'), { recursive: true });
    await writeFile(join(userData, CACHE_DIR_NAME, 'someone', 'index.bin'), 'sealed');
    window.webContents.send.mockClear();

    const saved = await invoke('updateConnection', AWS_CONNECTION);
    expect(saved).toMatchObject({ ok: true, value: { target: 'aws', configured: true } });
    expect(JSON.parse(await readFile(join(userData, CONNECTION_FILE_NAME), 'utf8'))).toMatchObject({
      target: 'aws',
      tableName: 'team-messages',
    });
    await expect(readFile(join(userData, SESSION_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readdir(join(userData, CACHE_DIR_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(window.webContents.send).toHaveBeenCalledWith(eventChannel('session.changed'), {
      profile: null,
      session: null,
    });
    expect(await invoke('getAppInfo', undefined)).toMatchObject({
      ok: true,
      value: { target: 'aws', region: 'eu-west-1' },
    });
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
