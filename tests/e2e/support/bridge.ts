import type { Page } from 'playwright-core';
import { registerIpcHandlers, type Handlers } from '../../../electron/main/ipc/register';
import { APP_ORIGIN, contentSecurityPolicy, isAppUrl } from '../../../electron/main/shell/policy';
import { serveAppRequest } from '../../../electron/main/shell/protocol';
import { eventChannel, type EventMap, type EventName } from '../../../shared/contract';
import { RecordingIpcMain } from '../../main/support/fake-ipc';

/**
 * Chromium cannot load app:// pages, so the page is served at this origin by a Playwright route
 * that answers exactly what the app:// protocol handler answers (the same files, the same CSP).
 */
export const BRIDGE_ORIGIN = 'http://cruddur';

export type Publish = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export interface BridgeOptions {
  /** The built renderer folder and the real preload built for the browser. */
  rendererDir: string;
  preloadFile: string;
  /** The real main-process handlers, whose pushes reach the page through `publish`. */
  makeHandlers(publish: Publish): Handlers;
  /** Told of every operation the page invokes, before it is handled. */
  onInvoke?(channel: string, payload: unknown): void;
}

/**
 * Loads the built app into `page` with `window.api` bridged to the real handlers: the same sender
 * check and payload parsing as in Electron (registerIpcHandlers), pushes delivered as the main
 * process sends them. Used by the e2e suite and by the Chromium benchmark.
 */
export async function openBridgedApp(page: Page, options: BridgeOptions): Promise<RecordingIpcMain> {
  const ipc = new RecordingIpcMain();
  const publish: Publish = (event, payload) => {
    void page
      .evaluate(([channel, body]) => window.__cruddurEmit(channel, body), [
        eventChannel(event),
        payload,
      ] as const)
      .catch(() => {}); // the page may be closing
  };
  registerIpcHandlers(ipc, options.makeHandlers(publish), (url) => isAppUrl(url, BRIDGE_ORIGIN));
  await page.exposeBinding('__cruddurInvoke', ({ frame }, channel: string, payload: unknown) => {
    options.onInvoke?.(channel, payload);
    return ipc.invoke(channel, { senderFrame: { url: frame.url() } }, payload);
  });
  await page.addInitScript({ path: options.preloadFile });
  const csp = contentSecurityPolicy();
  await page.route(`${BRIDGE_ORIGIN}/**`, async (route) => {
    const url = route.request().url().replace(BRIDGE_ORIGIN, APP_ORIGIN);
    const response = await serveAppRequest(options.rendererDir, url, csp);
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  await page.goto(`${BRIDGE_ORIGIN}/index.html`);
  return ipc;
}
