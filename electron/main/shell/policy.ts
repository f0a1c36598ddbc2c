/**
 * The security policy of the app's window, as plain data and pure functions so that tests can
 * check each rule without Electron. window.ts applies them.
 */

/** The app's pages are served from this origin in production (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cruddur';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

const PRODUCTION_CSP: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

/**
 * The Content-Security-Policy: no remote script, no eval, no inline script. In dev mode only,
 * the Vite dev server needs its own origin, its websocket and React Refresh's inline preamble.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const directives = structuredClone(PRODUCTION_CSP);
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    const ws = origin.replace(/^http/, 'ws');
    directives['script-src'] = ["'self'", origin, "'unsafe-inline'"];
    directives['style-src'] = ["'self'", origin, "'unsafe-inline'"];
    directives['connect-src'] = ["'self'", origin, ws];
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** The origin the app's own page is served from: the dev server in dev mode, else app://cruddur. */
export function appOrigin(devServerUrl?: string): string {
  return devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    // Non-special schemes such as app: report "null" as origin; rebuild it from the parts.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

/** True when `url` is a page of the app itself (same origin), the only place IPC may come from. */
export function isAppUrl(url: string, origin: string): boolean {
  return originOf(url) === origin;
}

/**
 * Links the user may open in the system browser: http or https, with a host, and no credentials
 * smuggled in the URL (https://bank.example@evil.example/ reads as the bank). Every other scheme
 * (file:, javascript:, smb:, custom protocol handlers…) is refused: those launch programs or read
 * files rather than show a page. Messages link the same addresses, so what looks like a link opens.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!parsed.hostname || parsed.username || parsed.password) return false;
  return parsed.protocol === 'https:' || parsed.protocol === 'http:';
}

/**
 * The window's background before the page paints, matching the page's own background in each
 * appearance (renderer/src/styles.css --bg), so the window never flashes white in dark mode.
 */
export const WINDOW_BACKGROUND = { light: '#f6f7fb', dark: '#14161f' } as const;

export const windowBackground = (dark: boolean): string =>
  dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;

/**
 * The webPreferences every window of the app gets; never weakened in dev mode. DevTools exist only
 * in dev mode: in a packaged app nobody is invited to paste code into the page's console.
 */
export function secureWebPreferences(preloadPath: string, { dev }: { dev: boolean }) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    devTools: dev,
  } as const;
}
