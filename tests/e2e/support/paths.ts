import { resolve } from 'node:path';

export const RENDERER_DIR = resolve('out/renderer');
export const BUILT_PRELOAD = resolve('out/preload/index.cjs');
export const BROWSER_PRELOAD_DIR = resolve('node_modules/.cache/cruddur-e2e');
export const BROWSER_PRELOAD = resolve(BROWSER_PRELOAD_DIR, 'preload.js');
export const SCREENSHOT_DIR = resolve('test-results/e2e');

export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
