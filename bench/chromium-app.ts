import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { loadConfig } from '../core/config';
import { createBackend, type Backend } from '../electron/main/backend';
import { createHandlers } from '../electron/main/handlers';
import type { Handlers } from '../electron/main/ipc/register';
import { CHROMIUM_ARGS, findChromium } from '../tests/e2e/support/chromium';
import { openBridgedApp } from '../tests/e2e/support/bridge';
import { TestCipher } from '../tests/support/test-cipher';
import { buildRenderer } from './renderer-bundle';

/**
 * The app in headless Chromium for the benchmarks, put together the way the end-to-end suite
 * does it (tests/e2e/support): the renderer built for production, the real preload built once
 * more as a browser script whose `electron` is the e2e stand-in, served with the app protocol
 * handler's answers and CSP, and window.api bridged to the real main-process handlers. Unlike the
 * e2e suite, everything is built into a temporary folder, so a bench run never rewrites out/ or
 * the e2e cache under an e2e run going on meanwhile.
 */

export interface BuiltApp {
  rendererDir: string;
  preloadFile: string;
  remove(): Promise<void>;
}

export async function buildBenchApp(): Promise<BuiltApp> {
  const dir = await mkdtemp(join(tmpdir(), 'cruddur-bench-app-'));
  try {
    const rendererDir = join(dir, 'renderer');
    await buildRenderer(rendererDir, false);
    const preloadDir = join(dir, 'preload');
    await build({
      configFile: false,
      logLevel: 'warn',
      resolve: { alias: { electron: resolve('tests/e2e/support/electron-stub.ts') } },
      build: {
        outDir: preloadDir,
        emptyOutDir: true,
        minify: false,
        rolldownOptions: { checks: { bundlerTimings: false } },
        lib: {
          entry: resolve('electron/preload/index.ts'),
          formats: ['iife'],
          name: 'cruddurPreload',
          fileName: () => 'preload.js',
        },
      },
    });
    return {
      rendererDir,
      preloadFile: join(preloadDir, 'preload.js'),
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** What the main side saw of Pattern A: every listMessages answer's size and whether it was the last. */
export interface PageReads {
  pages: number;
  messages: number;
  reachedOldest: boolean;
}

export interface BenchWindow {
  page: Page;
  /** Console and page errors, CSP violations among them. */
  errors: string[];
  reads: PageReads;
  close(): Promise<void>;
}

export interface BenchBrowser {
  /** A new window (context, page) on a new main side: fresh state, nothing cached from the last. */
  open(): Promise<BenchWindow>;
  close(): Promise<void>;
}

export async function launchBenchBrowser(
  app: BuiltApp,
  cloudEnv: Record<string, string>,
): Promise<BenchBrowser> {
  const browser: Browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  return {
    open: () => openWindow(browser, app, cloudEnv),
    close: () => browser.close(),
  };
}

async function openWindow(
  browser: Browser,
  app: BuiltApp,
  cloudEnv: Record<string, string>,
): Promise<BenchWindow> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'cruddur-bench-user-'));
  let context: BrowserContext | undefined;
  let backend: Backend | undefined;
  const close = async () => {
    await context?.close();
    await backend?.close();
    await rm(userDataDir, { recursive: true, force: true });
  };
  try {
    // The window size of the e2e suite.
    context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    const reads: PageReads = { pages: 0, messages: 0, reachedOldest: false };
    await openBridgedApp(page, {
      rendererDir: app.rendererDir,
      preloadFile: app.preloadFile,
      makeHandlers: (publish) => {
        const config = loadConfig(cloudEnv);
        backend = createBackend({
          config,
          secretStore: new TestCipher(),
          userDataDir,
          publish,
          isFocused: () => true,
        });
        const built = backend;
        return countingPageReads(
          createHandlers({ config, appVersion: '0.1.0', backend: () => built }),
          reads,
        );
      },
    });
    return { page, errors, reads, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The real handlers, with Pattern A's answers counted on their way to the page. */
function countingPageReads(handlers: Handlers, reads: PageReads): Handlers {
  const listMessages: Handlers['listMessages'] = async (input) => {
    const page = await handlers.listMessages(input);
    reads.pages += 1;
    reads.messages += page.items.length;
    if (page.cursor === null) reads.reachedOldest = true;
    return page;
  };
  return { ...handlers, listMessages };
}
