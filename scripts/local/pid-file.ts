import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** `.local-cloud/local.json`: which process runs the local cloud, and where its parts listen. */
const runningSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  ready: z.boolean(),
  endpoints: z.record(z.string(), z.string()),
});

export type RunningCloud = z.infer<typeof runningSchema>;

export const pidFilePath = (localDir: string) => join(localDir, 'local.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running local cloud, or undefined when none runs (a stale file from a crash is ignored). */
export async function readRunningCloud(localDir: string): Promise<RunningCloud | undefined> {
  const text = await readFile(pidFilePath(localDir), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  let parsed;
  try {
    parsed = runningSchema.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!parsed.success || !isAlive(parsed.data.pid) || parsed.data.pid === process.pid) return undefined;
  return parsed.data;
}

export async function writeRunningCloud(localDir: string, running: RunningCloud): Promise<void> {
  await writeFile(pidFilePath(localDir), `${JSON.stringify(running, null, 2)}\n`);
}

export async function removeRunningCloud(localDir: string): Promise<void> {
  await rm(pidFilePath(localDir), { force: true });
}
