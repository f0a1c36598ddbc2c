import { BrowserWindow, nativeTheme, screen, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { createLogger } from '../../../core/log';
import { isAppUrl, isSafeExternalUrl, secureWebPreferences, windowBackground } from './policy';
import { MIN_SIZE, readWindowState, writeWindowState, type WindowState } from './window-state';

const log = createLogger('window');

/**
 * Applied to every web contents the app creates: no navigation away from the app's page, no new
 * windows (http and https links go to the system browser after the same check as openLink), no
 * <webview>.
 */
export function hardenWebContents(contents: WebContents, origin: string): void {
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
    if (isSafeExternalUrl(url)) {
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
  /** Not packaged: DevTools can be opened. */
  dev: boolean;
}

/**
 * Keeps the window's own background on the page's (light or dark, as nativeTheme resolves the
 * theme setting), from creation on and whenever the theme or the system's appearance changes.
 */
function followTheme(window: BrowserWindow): void {
  const update = () => {
    if (!window.isDestroyed()) window.setBackgroundColor(windowBackground(nativeTheme.shouldUseDarkColors));
  };
  nativeTheme.on('updated', update);
  window.on('closed', () => nativeTheme.removeListener('updated', update));
}

/** The app's one window, where it was last left, hidden until its page is ready to show. */
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
    backgroundColor: windowBackground(nativeTheme.shouldUseDarkColors),
    webPreferences: secureWebPreferences(options.preloadPath, { dev: options.dev }),
  });
  followTheme(window);
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
