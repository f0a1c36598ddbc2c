/**
 * `npm run dist`: builds the app (electron-vite), then its installers (electron-builder, with
 * electron-builder.yml) for this OS, or for the targets given after `--` (e.g. `-- --linux deb`).
 * electron-builder downloads Electron and its packaging tools from GitHub; where that download
 * is unreachable (this project's build machines) it fails with a stack trace, which this wrapper
 * turns into ONE line saying so. Installers are built on a CI that can download (see the README).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { reportError } from './cli/cli';
import { AppError } from '../shared/result';

/** How a failed download looks in electron-builder's output (its HTTP client's errors). */
const DOWNLOAD_FAILURE =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|unable to download|cannot download)\b/i;

const HELP = `usage: npm run dist [-- <electron-builder targets, e.g. --linux deb>]

Builds the app, then its installers with electron-builder.yml into dist/: Linux AppImage and deb,
macOS dmg, Windows NSIS (each on its own OS; by default the current one). Needs Electron's
download from GitHub, which only a machine with that access (the CI) has.`;

/** Runs a command, passing its output through until it reports a failure (a line with ⨯). */
function run(command: string, args: string[]): Promise<{ code: number; failure: string[] }> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const failure: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (failure.length > 0 || line.includes('⨯')) failure.push(line);
        else process.stdout.write(`${line}\n`);
      });
    }
    child.on('error', (error) => {
      failure.push(error.message);
      done({ code: 1, failure });
    });
    child.on('close', (code) => done({ code: code ?? 1, failure }));
  });
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const build = await run(resolve('node_modules/.bin/electron-vite'), ['build']);
  if (build.code !== 0) {
    process.stderr.write(`${build.failure.join('\n')}\n`);
    return build.code;
  }
  const packaged = await run(resolve('node_modules/.bin/electron-builder'), ['--publish', 'never', ...args]);
  if (packaged.code === 0) return 0;
  const text = packaged.failure.join('\n');
  if (DOWNLOAD_FAILURE.test(text)) {
    const host = /\b(github\.com|[\w.-]+\.githubusercontent\.com)\b/.exec(text)?.[1];
    return reportError(
      new AppError(
        'Unavailable',
        `electron-builder could not download Electron or its packaging tools${host ? ` from ${host}` : ''} ` +
          `(${DOWNLOAD_FAILURE.exec(text)?.[1]}); build the installers where that download is reachable (the CI), see the README's "Install"`,
      ),
    );
  }
  process.stderr.write(`${text}\n`);
  return packaged.code;
}

process.exitCode = await main(process.argv.slice(2));
