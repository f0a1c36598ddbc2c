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

/** The hosts of this machine, as the URL parser writes them (127.1 and 0x7f.1 become 127.0.0.1). */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * Links the user may open in the system browser: https with a host and no credentials smuggled in
 * the URL; in dev mode also http on this machine (the local cloud's and the dev server's pages).
 * Plain http elsewhere (anyone on the way can rewrite the page), and every other scheme (file:,
 * javascript:, smb:, custom handlers…) is refused.
 */
export function isSafeExternalUrl(url: string, { dev }: { dev: boolean }): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!parsed.hostname || parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:') return true;
  return dev && parsed.protocol === 'http:' && LOOPBACK_HOST.test(parsed.hostname);
}

/** The webPreferences every window of the app gets; never weakened in dev mode. */
export function secureWebPreferences(preloadPath: string) {
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
  } as const;
}
