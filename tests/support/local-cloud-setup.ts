import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '../../scripts/local/cloud';
import { freePort } from '../../scripts/local/process';

export { freePort };

declare module 'vitest' {
  export interface ProvidedContext {
    /** CRUDDUR_* variables that point the config (and any script) at this run's local cloud. */
    cloudEnv: Record<string, string>;
  }
}

/**
 * vitest global setup of the integration project: a real local cloud on free ports in a
 * temporary folder, in memory, with its user pool and the users schema but no table and no
 * stream worker (each test file makes its own table, and starts a worker where it needs one).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cloud = await startLocalCloud({
    env: {},
    ports: 'free',
    dataDir: 'temporary',
    storage: 'memory',
    setup: 'bootstrap',
  });
  project.provide('cloudEnv', cloud.env);
  return cloud.stop;
}
