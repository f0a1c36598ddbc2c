import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { isPortInUse, killOnExit, stopChild, tailOutput, waitUntil } from './process';
import type { RunningComponent } from './component';

/** The confirmation code cognito-local sends for every sign-up and password reset. */
export const LOCAL_CONFIRMATION_CODE = '123456';

const SAVE_GRACE_MS = 300;

/**
 * cognito-local (the Cognito user-pool emulator) on 127.0.0.1, its data in `dataDir/.cognito`.
 * Its pools would default to email as the username; the config below makes Username the handle.
 */
export async function startCognitoLocal(options: {
  port: number;
  dataDir: string;
}): Promise<RunningComponent> {
  const dataDir = resolve(options.dataDir);
  await mkdir(join(dataDir, '.cognito'), { recursive: true });
  await writeFile(
    join(dataDir, '.cognito', 'config.json'),
    JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }, null, 2),
  );
  const bin = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');
  // cognito-local saves its JSON files asynchronously and has no SIGTERM handler: dying mid-save
  // leaves a truncated file it cannot load at the next start. Give pending saves a moment.
  const graceful = `process.on('SIGTERM', () => setTimeout(() => process.exit(0), ${SAVE_GRACE_MS})); require(${JSON.stringify(bin)});`;
  const child = spawn(process.execPath, ['-e', graceful], {
    cwd: dataDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(options.port), CODE: LOCAL_CONFIRMATION_CODE },
    stdio: 'pipe',
  });
  killOnExit(child);
  const output = tailOutput(child);
  try {
    await waitUntil('cognito-local', () => isPortInUse(options.port), 90_000, child);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${output()}`, { cause: error });
  }
  return {
    name: 'cognito-local',
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () => stopChild(child),
  };
}
