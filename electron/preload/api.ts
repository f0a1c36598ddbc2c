import {
  eventChannel,
  eventNames,
  invokeChannel,
  operationNames,
  type Api,
  type EventMap,
  type EventName,
} from '../../shared/contract';
import type { Result } from '../../shared/result';

/** The part of Electron's ipcRenderer the API needs; tests and the browser bridge supply their own. */
export interface IpcRendererLike {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/**
 * Builds `window.api` from the contract: one method per operation, plus `on` for push events.
 * Only plain functions cross the bridge, never the ipcRenderer itself or its event objects.
 */
export function createApi(ipc: IpcRendererLike): Api {
  const methods = Object.fromEntries(
    operationNames.map((name) => [
      name,
      (input?: unknown) => ipc.invoke(invokeChannel(name), input) as Promise<Result<unknown>>,
    ]),
  );

  function on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    if (!eventNames.includes(event)) throw new TypeError(`Unknown event: ${String(event)}`);
    const channel = eventChannel(event);
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as EventMap[E]);
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  }

  return { ...methods, on } as Api;
}
