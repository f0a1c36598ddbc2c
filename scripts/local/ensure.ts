import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../core/config';
import { AppError } from '../../shared/result';
import { readRunningCloud } from './pid-file';
import { stopChild } from './process';

export interface EnsuredCloud {
  /** True when this call started the local cloud (and stop() will stop it). */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * What `npm start` does before launching the app: use the local cloud when one is running,
 * else start `npm run local` in the background (its output in .local-cloud/local.log), wait until
 * it is ready, and hand back a way to stop it again.
 */
export async function ensureLocalCloud(
  options: { env?: NodeJS.ProcessEnv; args?: string[]; timeoutMs?: number } = {},
): Promise<EnsuredCloud> {
  const env = options.env ?? process.env;
  const config = loadConfig(env);
  const running = await readRunningCloud(config.localDir);
  if (running?.ready) return { started: false, stop: async () => {} };

  await mkdir(config.localDir, { recursive: true });
  const logFile = join(config.localDir, 'local.log');
  const log = await open(logFile, 'w');
  // tsx as a loader in this one process, not its CLI: the CLI relays a signal to a child of its
  // own and SIGKILLs it when the child is slow to acknowledge (30 ms, easily missed under load),
  // which would leave DynamoDB Local's java running.
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('scripts/local.ts'), ...(options.args ?? [])],
    { env, stdio: ['ignore', log.fd, log.fd] },
  );
  await log.close();
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new AppError('Unavailable', `the local cloud did not start; see ${logFile}`);
    }
    const state = await readRunningCloud(config.localDir);
    if (state?.ready) return { started: true, stop: () => stopChild(child, 20_000) };
    await new Promise((done) => setTimeout(done, 250));
  }
  await stopChild(child);
  throw new AppError('Unavailable', `the local cloud was not ready in time; see ${logFile}`);
}
