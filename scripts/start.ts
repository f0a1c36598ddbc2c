/**
 * `npm start`: the app in dev mode (electron-vite) on the local cloud, which it starts first
 * when none is running (and stops again when the app quits). Where the Electron binary cannot be
 * had, one line says so instead of a stack trace from deep inside the electron package.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConfig } from '../core/config';
import { runCli } from './cli/cli';
import { ensureLocalCloud } from './local/ensure';
import { AppError } from '../shared/result';

function electronBinaryAvailable(): boolean {
  // The electron package resolves (and if need be downloads) its binary when it is required.
  const probe = spawnSync(process.execPath, ['-e', "require('electron')"], { stdio: 'ignore' });
  return probe.status === 0;
}

await runCli(
  {
    name: 'start',
    summary: 'Starts the local cloud when it is not running (target local), then the app in dev mode.',
    options: {},
  },
  async () => {
    if (!electronBinaryAvailable()) {
      throw new AppError(
        'Unavailable',
        'the Electron binary is not installed and cannot be downloaded on this machine; run `npx install-electron` where its download host is reachable (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45), then `npm start` again',
      );
    }
    const cloud =
      loadConfig().target === 'local' ? await ensureLocalCloud() : { started: false, stop: async () => {} };
    if (cloud.started) process.stderr.write('start: local cloud started (it stops when the app quits)\n');
    const app = spawn(resolve('node_modules/.bin/electron-vite'), ['dev'], { stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
    const code = await new Promise<number>((done) => app.on('exit', (exitCode) => done(exitCode ?? 1)));
    await cloud.stop();
    process.exitCode = code;
  },
);
