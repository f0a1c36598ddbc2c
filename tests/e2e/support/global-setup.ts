import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { BROWSER_PRELOAD_DIR } from './paths';
import { findChromium } from './chromium';

/**
 * Builds what the end-to-end tests run: the app exactly as `npm run build` makes it, and the real
 * preload once more as a browser script whose `electron` module is the stand-in.
 */
export default async function setup(): Promise<void> {
  findChromium(); // fail first, with the fix, when there is no browser
  execFileSync(resolve('node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
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
