import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeTheme,
  net,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR_NAME, createBackend, lazyBackend } from './backend';
import { attachContextMenu } from './context-menu';
import { applicationMenuTemplate } from './menu';
import type { MenuItemTemplate } from './menu-template';
import { SettingsStore } from './settings-store';
import { ConnectionStore } from './connection-store';
import { SESSION_FILE_NAME } from '../../core/auth/create-auth-service';
import type { SecretStore } from '../../core/auth/session-store';
import { createHandlers } from './handlers';
import { registerIpcHandlers } from './ipc/register';
import { createLogger } from '../../core/log';
import { installAppLog } from './log';
import { APP_ORIGIN, APP_SCHEME, appOrigin, contentSecurityPolicy, isAppUrl } from './shell/policy';
import { serveAppRequest } from './shell/protocol';
import { createMainWindow, hardenWebContents } from './shell/window';
import { eventChannel, type EventMap, type EventName } from '../../shared/contract';

// First, so that nothing the app logs from here on misses the file.
installAppLog({ userDataDir: app.getPath('userData'), dev: !app.isPackaged });
const log = createLogger('main');

// Must happen before `ready`: the app:// scheme behaves like https (secure, standard origin).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const dev = !app.isPackaged;
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const origin = appOrigin(devServerUrl);
const csp = contentSecurityPolicy(devServerUrl);
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));

let mainWindow: BrowserWindow | undefined;

function publish<E extends EventName>(event: E, payload: EventMap[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel(event), payload);
}

async function openMainWindow(): Promise<void> {
  mainWindow = await createMainWindow({
    preloadPath,
    userDataDir: app.getPath('userData'),
    pageUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    dev,
  });
  mainWindow.on('focus', () => publish('window.focus', { focused: true }));
  mainWindow.on('blur', () => publish('window.focus', { focused: false }));
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}

/** Brings the window forward (restored, shown, focused), or opens it again when it was closed. */
function showWindow(): void {
  if (!mainWindow) {
    void openMainWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/**
 * safeStorage for the directory password, reached only when a password is read or kept: most
 * starts have none, and the shell's tests drive this file with an electron stand-in without it.
 */
const passwordSecrets: SecretStore = {
  isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
  encryptString: (plainText) => safeStorage.encryptString(plainText),
  decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  getSelectedStorageBackend: () =>
    process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os',
};

const popup = (template: MenuItemTemplate[]) => Menu.buildFromTemplate(template).popup();

async function onReady(): Promise<void> {
  const userDataDir = app.getPath('userData');
  // connection.json under the CRUDDUR_* variables; an installed app with neither opens Settings.
  const connection = await ConnectionStore.open({
    userDataDir,
    secrets: passwordSecrets,
    packaged: app.isPackaged,
  });
  const settings = await SettingsStore.open(userDataDir);
  // Before the window exists: its background and the page's prefers-color-scheme follow this.
  nativeTheme.themeSource = settings.get().theme;
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate({
        platform: process.platform,
        dev,
        command: (command) => publish('menu.command', { command }),
      }),
    ),
  );
  const appSession = session.defaultSession;
  appSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('denied a permission request', { permission });
    callback(false);
  });
  appSession.setPermissionCheckHandler(() => false);
  appSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request.url, csp));
  const build = () => {
    const config = connection.config();
    return createBackend({
      config,
      secretStore: safeStorage,
      userDataDir,
      publish,
      isFocused: () => mainWindow?.isFocused() ?? false,
      setBadgeCount: (count) => app.setBadgeCount(count),
      // On the local cloud DynamoDB is on this computer: the network's state says nothing of it.
      ...(config.target !== 'local' && { isNetworkUp: () => net.isOnline() }),
      cacheLimitMb: () => settings.get().cacheLimitMb,
      notifications: {
        desktop: {
          isSupported: () => Notification.isSupported(),
          create: (options) => new Notification(options),
        },
        settings: () => settings.get(),
        showWindow,
      },
    });
  };
  let backend = lazyBackend(build);
  /**
   * The connection changed: the old services close, and the sign-in ends with them (its remembered
   * session belongs to the old user pool) and so does the message cache; the next call builds the
   * services on the new connection.
   */
  const reconnect = async () => {
    await backend.close();
    await rm(join(userDataDir, SESSION_FILE_NAME), { force: true });
    // The message cache is of the old connection: another table, or the same one whose page
    // cursors the other side signed (this computer in direct mode, the server in API mode). It
    // refills; the outbox stays, for the person to send or discard when they sign in again.
    await rm(join(userDataDir, CACHE_DIR_NAME), { recursive: true, force: true });
    backend = lazyBackend(build);
    publish('session.changed', { profile: null, session: null });
  };
  app.once('will-quit', () => void backend.close());
  registerIpcHandlers(
    ipcMain,
    createHandlers({
      config: connection.config(),
      connection,
      reconnect,
      appVersion: app.getVersion(),
      backend: () => backend.get(),
      settings,
      applyTheme: (theme) => {
        nativeTheme.themeSource = theme;
      },
      openExternal: (url) => shell.openExternal(url),
    }),
    (url) => isAppUrl(url, origin),
  );
  await openMainWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another Cruddur is running: it gets the focus (see second-instance below), this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) showWindow();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, origin);
    attachContextMenu(contents, popup);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openMainWindow();
  });
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      log.error('could not start', { error });
      app.exit(1);
    });
}
