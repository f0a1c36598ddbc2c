/**
 * Renders build/icon.svg (the one checked-in source of the app's icon) to build/icon.png at
 * 1024×1024 with a transparent background; electron-builder derives the macOS .icns and the
 * Windows .ico from that png (it wants at least 512×512). Run it after editing the svg and check
 * both files in: `npx tsx scripts/make-icons.ts`.
 *
 * It drives the headless Chromium the end-to-end tests use through its own --screenshot switch
 * rather than playwright-core, which scripts/ may not import (eslint/boundaries.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from './cli/cli';
import { AppError } from '../shared/result';

const SIZE = 1024;
const SOURCE = resolve('build/icon.svg');
const TARGET = resolve('build/icon.png');
/** The same places tests/e2e/support/paths.ts looks, which scripts/ may not import. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function findChromium(): string {
  const found = [process.env['CHROMIUM_PATH'], ...CHROMIUM_CANDIDATES].find(
    (candidate) => candidate !== undefined && candidate !== '' && existsSync(candidate),
  );
  if (!found) {
    throw new AppError(
      'Unavailable',
      'no Chromium found: install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH',
    );
  }
  return found;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

await runCli(
  {
    name: 'icons',
    summary: `Renders build/icon.svg to build/icon.png (${SIZE}×${SIZE}, transparent) with headless Chromium.`,
    options: {},
  },
  async () => {
    const profile = mkdtempSync(join(tmpdir(), 'cruddur-icons-'));
    try {
      const result = spawnSync(
        findChromium(),
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--hide-scrollbars',
          `--user-data-dir=${profile}`,
          '--default-background-color=00000000',
          `--window-size=${SIZE},${SIZE}`,
          `--screenshot=${TARGET}`,
          pathToFileURL(SOURCE).href,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      if (result.status !== 0) {
        throw new AppError(
          'Internal',
          `Chromium could not render ${SOURCE} (exit ${result.status ?? 'none'})`,
        );
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    const { width, height } = pngSize(TARGET);
    if (width !== SIZE || height !== SIZE) {
      throw new AppError('Internal', `build/icon.png came out ${width}×${height}, not ${SIZE}×${SIZE}`);
    }
    process.stdout.write(`wrote build/icon.png (${SIZE}×${SIZE}) from build/icon.svg\n`);
  },
);
