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
import { fileURLToPath } from 'node:url';
import { createBackend, lazyBackend } from './backend';
import { attachContextMenu } from './context-menu';
import { applicationMenuTemplate } from './menu';
import type { MenuItemTemplate } from './menu-template';
import { SettingsStore } from './settings-store';
import { loadConfig } from '../../core/config';
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

const popup = (template: MenuItemTemplate[]) => Menu.buildFromTemplate(template).popup();

async function onReady(): Promise<void> {
  const config = loadConfig();
  const settings = await SettingsStore.open(app.getPath('userData'));
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
  const backend = lazyBackend(() =>
    createBackend({
      config,
      secretStore: safeStorage,
      userDataDir: app.getPath('userData'),
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
    }),
  );
  app.once('will-quit', () => void backend.close());
  registerIpcHandlers(
    ipcMain,
    createHandlers({
      config,
      appVersion: app.getVersion(),
      backend: backend.get,
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
