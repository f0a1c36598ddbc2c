import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';
import { loadConfig } from '../../../core/config';
import { runSetup } from '../../../scripts/admin/setup';
import { startTestCloud } from '../../support/local-cloud-setup';
import { startStreamWorker } from '../../../scripts/local/stream-worker';
import { BROWSER_PRELOAD_DIR } from './paths';
import { findChromium } from './chromium';

/**
 * Builds what the end-to-end tests run: the app exactly as `npm run build` makes it, and the real
 * preload once more as a browser script whose `electron` module is the stand-in. Starts a seeded
 * local cloud for the app's real main-process services.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  findChromium(); // fail first, with the fix, when there is no browser
  const cloud = startTestCloud();
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
  const { env, stop } = await cloud;
  const config = loadConfig(env);
  await runSetup(config, { seedOnlyWhenEmpty: false, seed: { users: 10, groups: 6, messages: 1_300 } });
  // Pattern E, as `npm run local` runs it, so conversation lists follow new messages.
  const worker = await startStreamWorker({
    config,
    stateFile: join(config.localDir, 'stream-worker.json'),
    startAt: 'latest',
  });
  project.provide('cloudEnv', env);
  return async () => {
    await worker.stop();
    await stop();
  };
}
