import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createBackend, type Backend } from '../../../electron/main/backend';
import { loadConfig } from '../../../core/config';
import { createHandlers } from '../../../electron/main/handlers';
import type { Handlers } from '../../../electron/main/ipc/register';
import { SettingsStore } from '../../../electron/main/settings-store';
import type { EventMap, EventName } from '../../../shared/contract';
import type { Theme } from '../../../shared/settings';
import { TestCipher } from '../../support/test-cipher';

/**
 * The app's real main-process side for an end-to-end test: the same backend and handlers as
 * electron/main/index.ts builds, against this run's seeded local cloud, with a throwaway
 * user-data folder and a real cipher standing in for Electron's safeStorage. Where index.ts hands
 * work to the desktop, this records it instead: the links shell.openExternal would open, the
 * themes nativeTheme would be given, the badge counts app.setBadgeCount would show. There are no
 * desktop notifications (Chromium is not the desktop).
 */
export interface E2eMain {
  handlers(publish: <E extends EventName>(event: E, payload: EventMap[E]) => void): Handlers;
  backend(): Backend;
  userDataDir: string;
  /** The safeStorage key of this "machine": pass it on to a restart so drafts decrypt. */
  cipher: TestCipher;
  /** Whether the window is focused, as the main process reads it (the poller's pace). */
  focus: { focused: boolean };
  /** What Electron's net.isOnline() answers: false cuts the app off from DynamoDB. */
  network: { up: boolean };
  /** Links openLink handed to the system browser, in order. */
  opened: string[];
  /** Themes the settings applied (nativeTheme.themeSource), in order. */
  themes: Theme[];
  /** Badge counts, in order. */
  badges: number[];
  /** Stops the backend and keeps the user-data folder (the app quit; a restart follows). */
  stop(): Promise<void>;
  /** Stops the backend and deletes the user-data folder. */
  close(): Promise<void>;
}

export interface E2eMainOptions {
  /** The user-data folder of an earlier run (a restart); a new one by default. */
  userDataDir?: string;
  cipher?: TestCipher;
  /** Whether the network is up at start (it is by default). */
  networkUp?: boolean;
  /**
   * 'direct' (default): the main process runs the patterns on DynamoDB and asks PostgreSQL itself.
   * 'api': it talks to the local cloud's message API only; its own DynamoDB endpoint and database
   * URL are closed ports, so any request of its own would fail the test.
   */
  mode?: 'direct' | 'api';
}

/** A port nothing listens on (the discard port, never served here). */
const CLOSED = '127.0.0.1:9';

function configEnv(env: Record<string, string>, mode: E2eMainOptions['mode']): Record<string, string> {
  if (mode !== 'api') return env;
  const port = env['CRUDDUR_LOCAL_API_PORT'];
  if (!port) throw new Error('the e2e local cloud serves no message API');
  return {
    ...env,
    CRUDDUR_API_URL: `http://127.0.0.1:${port}`,
    CRUDDUR_DYNAMODB_ENDPOINT: `http://${CLOSED}`,
    CRUDDUR_DATABASE_URL: `postgres://nobody@${CLOSED}/none`,
  };
}

export async function e2eMain(options: E2eMainOptions = {}): Promise<E2eMain> {
  const env = configEnv(inject('cloudEnv'), options.mode);
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'cruddur-e2e-user-')));
  const cipher = options.cipher ?? new TestCipher();
  const settings = await SettingsStore.open(userDataDir);
  let backend: Backend | undefined;
  const main: E2eMain = {
    userDataDir,
    cipher,
    focus: { focused: true },
    network: { up: options.networkUp ?? true },
    opened: [],
    themes: [],
    badges: [],
    handlers(publish) {
      const config = loadConfig(env);
      backend = createBackend({
        config,
        secretStore: cipher,
        userDataDir,
        publish,
        isFocused: () => main.focus.focused,
        setBadgeCount: (count) => main.badges.push(count),
        isNetworkUp: () => main.network.up,
      });
      const built = backend;
      return createHandlers({
        config,
        appVersion: '0.1.0',
        backend: () => built,
        settings,
        applyTheme: (theme) => main.themes.push(theme),
        openExternal: async (url) => {
          main.opened.push(url);
        },
      });
    },
    backend() {
      if (!backend) throw new Error('handlers() first');
      return backend;
    },
    async stop() {
      await backend?.close();
      backend = undefined;
    },
    async close() {
      await main.stop();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
  return main;
}
