/**
 * `npm start`: the built app in production mode (`electron-vite preview`: it builds, then runs
 * out/ with the production CSP and the app:// origin, as the installed app does); `npm run dev`
 * (`--dev`): the hot-reloading dev mode (`electron-vite dev`). Both on the local cloud, which
 * this starts first when none is running (and stops again when the app quits), unless
 * CRUDDUR_TARGET says otherwise. Where the Electron binary cannot be had, one line says so
 * instead of a stack trace from deep inside the electron package.
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
    summary:
      'Starts the local cloud when it is not running (target local), then the built app in production mode ' +
      '(electron-vite preview), or with --dev the hot-reloading dev mode (electron-vite dev).',
    options: { dev: { type: 'boolean', help: 'the hot-reloading dev mode instead (npm run dev)' } },
  },
  async ({ values }) => {
    if (!electronBinaryAvailable()) {
      throw new AppError(
        'Unavailable',
        `the Electron binary is not installed and cannot be downloaded on this machine; run \`npx install-electron\` where its download host is reachable (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45), then \`npm ${values.dev ? 'run dev' : 'start'}\` again`,
      );
    }
    const cloud =
      loadConfig().target === 'local' ? await ensureLocalCloud() : { started: false, stop: async () => {} };
    if (cloud.started) process.stderr.write('start: local cloud started (it stops when the app quits)\n');
    const mode = values.dev ? 'dev' : 'preview';
    const app = spawn(resolve('node_modules/.bin/electron-vite'), [mode], { stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
    const code = await new Promise<number>((done) => app.on('exit', (exitCode) => done(exitCode ?? 1)));
    await cloud.stop();
    process.exitCode = code;
  },
);
