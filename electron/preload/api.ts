import {
  eventChannel,
  eventNames,
  invokeChannel,
  isSessionEvent,
  operationNames,
  type Api,
  type EventMap,
  type EventName,
  type SessionEventName,
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
 *
 * An event that carries a person's data names the sign-in it belongs to; it reaches the page only
 * while that is the sign-in session.changed last announced, so nothing meant for the person
 * before reaches the person after, whatever was still on its way.
 */
export function createApi(ipc: IpcRendererLike): Api {
  const methods = Object.fromEntries(
    operationNames.map((name) => [
      name,
      (input?: unknown) => ipc.invoke(invokeChannel(name), input) as Promise<Result<unknown>>,
    ]),
  );

  /** The current sign-in; undefined until the main process has announced one (or none). */
  let session: string | null | undefined;
  ipc.on(eventChannel('session.changed'), (_event, payload) => {
    session = (payload as EventMap['session.changed']).session;
  });

  function on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    if (!eventNames.includes(event)) throw new TypeError(`Unknown event: ${String(event)}`);
    const channel = eventChannel(event);
    const wrapped = (_event: unknown, payload: unknown) => {
      const belongs =
        !isSessionEvent(event) ||
        (typeof session === 'string' && (payload as EventMap[SessionEventName]).session === session);
      if (belongs) listener(payload as EventMap[E]);
    };
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  }

  return { ...methods, on } as Api;
}
