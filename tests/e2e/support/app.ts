import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Handlers } from '../../../electron/main/ipc/register';
import { eventChannel, type EventMap, type EventName } from '../../../shared/contract';
import type { RecordingIpcMain } from '../../main/support/fake-ipc';
import { BRIDGE_ORIGIN, openBridgedApp, type Publish } from './bridge';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import { BROWSER_PRELOAD, RENDERER_DIR, SCREENSHOT_DIR } from './paths';

/** Where the page is served (see bridge.ts). */
export const E2E_ORIGIN = BRIDGE_ORIGIN;

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

  const calls: RunningApp['calls'] = [];
  // Before the preload's, which openBridgedApp adds: it sees the page from its very start.
  if (options.initScript) await page.addInitScript(options.initScript);
  const ipc = await openBridgedApp(page, {
    rendererDir: RENDERER_DIR,
    preloadFile: BROWSER_PRELOAD,
    makeHandlers,
    onInvoke: (channel, payload) =>
      calls.push({ operation: channel.replace(/^cruddur:invoke:/, ''), payload }),
  });

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
