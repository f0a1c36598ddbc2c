import { BrowserWindow, screen, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { createLogger } from '../../../core/log';
import { APP_ORIGIN, isAppUrl, isSafeExternalUrl, secureWebPreferences } from './policy';
import { MIN_SIZE, readWindowState, writeWindowState, type WindowState } from './window-state';

const log = createLogger('window');

/**
 * Applied to every web contents the app creates: no navigation away from the app's page, no new
 * windows (https links go to the system browser after a check), no <webview>. The page comes from
 * another origin than app://cruddur only in dev mode (the dev server's), which is what lets http
 * links on this machine through.
 */
export function hardenWebContents(contents: WebContents, origin: string): void {
  const dev = origin !== APP_ORIGIN;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, origin)) {
      event.preventDefault();
      log.warn('blocked navigation', { to: siteOf(url) });
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url, { dev })) {
      void shell.openExternal(url);
    } else {
      log.warn('refused to open a link', { to: siteOf(url) });
    }
    return { action: 'deny' };
  });
}

/** Scheme and host only: a refused link can come from a message's text, path and query included. */
function siteOf(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return host ? `${protocol}//${host}` : protocol;
  } catch {
    return 'not a URL';
  }
}

export interface MainWindowOptions {
  preloadPath: string;
  userDataDir: string;
  /** The dev server URL in dev mode, else the app:// entry page. */
  pageUrl: string;
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const stateFile = join(options.userDataDir, 'window-state.json');
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const state = await readWindowState(stateFile, workAreas);
  const window = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Cruddur',
    backgroundColor: '#f6f7fb',
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    const next: WindowState = { ...bounds, maximized: window.isMaximized() };
    void writeWindowState(stateFile, next).catch((error: unknown) =>
      log.warn('could not save window state', { error }),
    );
  });
  await window.loadURL(options.pageUrl);
  return window;
}
