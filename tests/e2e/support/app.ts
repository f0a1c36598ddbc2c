import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { registerIpcHandlers, type Handlers } from '../../../electron/main/ipc/register';
import { APP_ORIGIN, contentSecurityPolicy, isAppUrl } from '../../../electron/main/shell/policy';
import { serveAppRequest } from '../../../electron/main/shell/protocol';
import { eventChannel, type EventMap, type EventName } from '../../../shared/contract';
import { RecordingIpcMain } from '../../main/support/fake-ipc';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import { BROWSER_PRELOAD, RENDERER_DIR, SCREENSHOT_DIR } from './paths';

/**
 * Chromium cannot load app:// pages, so the page is served at this origin by a Playwright route
 * that answers exactly what the app:// protocol handler answers (the same files, the same CSP).
 */
export const E2E_ORIGIN = 'http://cruddur';

export interface RunningApp {
  page: Page;
  ipc: RecordingIpcMain;
  /** Every operation the page invoked, in order, with its payload. */
  calls: { operation: string; payload: unknown }[];
  /** Console errors and page errors, CSP violations among them. */
  errors: string[];
  emit<E extends EventName>(event: E, payload: EventMap[E]): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

let browser: Browser | undefined;

type Publish = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** How the browser shows the app: the system colour scheme, and scripts run before the app's own. */
export interface LaunchOptions {
  colorScheme?: 'light' | 'dark';
  /** Runs in the page at document start, before any of the app's scripts (e.g. to watch first paint). */
  initScript?: () => void;
}

/**
 * Opens the built app in Chromium with `window.api` bridged to `makeHandlers(publish)`: the real
 * main-process handlers, whose pushes reach the page through `publish`.
 */
export async function launchApp(
  makeHandlers: (publish: Publish) => Handlers,
  options: LaunchOptions = {},
): Promise<RunningApp> {
  browser ??= await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: { width: 1100, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));

  const ipc = new RecordingIpcMain();
  const calls: RunningApp['calls'] = [];
  const publish: Publish = (event, payload) => {
    void page
      .evaluate(([channel, body]) => window.__cruddurEmit(channel, body), [
        eventChannel(event),
        payload,
      ] as const)
      .catch(() => {}); // the page may be closing
  };
  registerIpcHandlers(ipc, makeHandlers(publish), (url) => isAppUrl(url, E2E_ORIGIN));
  await page.exposeBinding('__cruddurInvoke', ({ frame }, channel: string, payload: unknown) => {
    calls.push({ operation: channel.replace(/^cruddur:invoke:/, ''), payload });
    return ipc.invoke(channel, { senderFrame: { url: frame.url() } }, payload);
  });
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.addInitScript({ path: BROWSER_PRELOAD });
  const csp = contentSecurityPolicy();
  await page.route(`${E2E_ORIGIN}/**`, async (route) => {
    const url = route.request().url().replace(E2E_ORIGIN, APP_ORIGIN);
    const response = await serveAppRequest(RENDERER_DIR, url, csp);
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  await page.goto(`${E2E_ORIGIN}/index.html`);

  return {
    page,
    ipc,
    calls,
    errors,
    async emit(event, payload) {
      await page.evaluate(([channel, body]) => window.__cruddurEmit(channel, body), [
        eventChannel(event),
        payload,
      ] as const);
    },
    async screenshot(name) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
    },
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}
