import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createBackend, type Backend } from '../../../electron/main/backend';
import { loadConfig } from '../../../core/config';
import { createHandlers } from '../../../electron/main/handlers';
import type { Handlers } from '../../../electron/main/ipc/register';
import type { EventMap, EventName } from '../../../shared/contract';
import { TestCipher } from '../../support/test-cipher';

/**
 * The app's real main-process side for an end-to-end test: the same backend and handlers as
 * electron/main/index.ts builds, against this run's seeded local cloud, with a throwaway
 * user-data folder and a real cipher standing in for Electron's safeStorage.
 */
export interface E2eMain {
  handlers(publish: <E extends EventName>(event: E, payload: EventMap[E]) => void): Handlers;
  backend(): Backend;
  userDataDir: string;
  close(): Promise<void>;
}

export async function e2eMain(): Promise<E2eMain> {
  const env = inject('cloudEnv');
  const userDataDir = await mkdtemp(join(tmpdir(), 'cruddur-e2e-user-'));
  let backend: Backend | undefined;
  return {
    userDataDir,
    handlers(publish) {
      const config = loadConfig(env);
      backend = createBackend({
        config,
        secretStore: new TestCipher(),
        userDataDir,
        publish,
        isFocused: () => true,
      });
      const built = backend;
      return createHandlers({ config, appVersion: '0.1.0', backend: () => built });
    },
    backend() {
      if (!backend) throw new Error('handlers() first');
      return backend;
    },
    async close() {
      await backend?.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
