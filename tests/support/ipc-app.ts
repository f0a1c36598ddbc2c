import type { Config } from '../../core/config';
import type { SecretStore } from '../../core/auth/session-store';
import { createBackend, type Backend } from '../../electron/main/backend';
import { createHandlers } from '../../electron/main/handlers';
import { registerIpcHandlers } from '../../electron/main/ipc/register';
import { invokeChannel, type EventMap, type EventName, type OperationName } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { RecordingIpcMain } from '../main/support/fake-ipc';

export interface Pushed {
  event: EventName;
  payload: unknown;
}

/** One launch of the app: the main process as electron/main/index.ts builds it, driven through its IPC. */
export interface IpcApp {
  backend: Backend;
  pushed: Pushed[];
  call(operation: OperationName, payload?: unknown): Promise<Result<unknown>>;
  quit(): Promise<void>;
}

/** The app's backend and handlers on `config`; its poller stopped, for the test polls when it means to. */
export function launchIpcApp(options: {
  config: Config;
  secretStore: SecretStore;
  userDataDir: string;
}): IpcApp {
  const { config } = options;
  const pushed: Pushed[] = [];
  const backend = createBackend({
    config,
    secretStore: options.secretStore,
    userDataDir: options.userDataDir,
    publish: (event, payload) => pushed.push({ event, payload }),
    isFocused: () => true,
  });
  backend.poller.stop();
  const ipc = new RecordingIpcMain();
  registerIpcHandlers(ipc, createHandlers({ config, appVersion: 'test', backend: () => backend }), (url) =>
    url.startsWith('app://cruddur/'),
  );
  let quitting: Promise<void> | undefined;
  return {
    backend,
    pushed,
    call: (operation, payload) =>
      ipc.invoke(invokeChannel(operation), { senderFrame: { url: 'app://cruddur/index.html' } }, payload),
    quit: () => (quitting ??= backend.close()),
  };
}

/** The value of an IPC result, or a thrown error naming its code. */
export function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

export const pushesOf = <E extends EventName>(app: IpcApp, event: E): EventMap[E][] =>
  app.pushed.filter((p) => p.event === event).map((p) => p.payload as EventMap[E]);
