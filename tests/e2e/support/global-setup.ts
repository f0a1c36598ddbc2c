import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';
import { startLocalCloud } from '../../../scripts/local/cloud';
import { BROWSER_PRELOAD_DIR } from './paths';
import { findChromium } from './chromium';

/**
 * Builds what the end-to-end tests run: the app exactly as `npm run build` makes it, and the real
 * preload once more as a browser script whose `electron` module is the stand-in. Meanwhile starts
 * a seeded local cloud for the app's real main-process services, with the stream worker (Pattern
 * E, as `npm run local` runs it) so conversation lists follow new messages.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  findChromium(); // fail first, with the fix, when there is no browser
  const starting = startLocalCloud({
    env: {},
    ports: 'free',
    dataDir: 'temporary',
    storage: 'memory',
    setup: { seed: { users: 10, groups: 6, messages: 1_300 } },
    streamWorker: 'latest',
  });
  // A failed start is reported when awaited below, not as an unhandled rejection meanwhile.
  starting.catch(() => undefined);
  try {
    await buildApp();
  } catch (error) {
    await starting.then(
      (cloud) => cloud.stop(),
      () => undefined,
    );
    throw error;
  }
  const cloud = await starting;
  project.provide('cloudEnv', cloud.env);
  return cloud.stop;
}

async function buildApp(): Promise<void> {
  await promisify(execFile)(resolve('node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn']);
  await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: { electron: resolve('tests/e2e/support/electron-stub.ts') } },
    build: {
      outDir: BROWSER_PRELOAD_DIR,
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: resolve('electron/preload/index.ts'),
        formats: ['iife'],
        name: 'cruddurPreload',
        fileName: () => 'preload.js',
      },
    },
  });
  if (!existsSync(resolve(BROWSER_PRELOAD_DIR, 'preload.js')))
    throw new Error('The browser preload was not built.');
}
