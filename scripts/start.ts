/**
 * `npm start`: the app in dev mode (electron-vite). Where the Electron binary cannot be had, one
 * line says so instead of a stack trace from deep inside the electron package.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

function electronBinaryAvailable(): boolean {
  // The electron package resolves (and if need be downloads) its binary when it is required.
  const probe = spawnSync(process.execPath, ['-e', "require('electron')"], { stdio: 'ignore' });
  return probe.status === 0;
}

if (!electronBinaryAvailable()) {
  console.error(
    'error: the Electron binary is not installed and cannot be downloaded on this machine; run `npx install-electron` where its download host is reachable (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45), then `npm start` again',
  );
  process.exit(1);
}

const child = spawn(resolve('node_modules/.bin/electron-vite'), ['dev'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
