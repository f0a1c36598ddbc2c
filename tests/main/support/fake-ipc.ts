import type { InvokeEventLike, IpcMainLike } from '../../../electron/main/ipc/register';
import type { Result } from '../../../shared/result';

type Listener = Parameters<IpcMainLike['handle']>[1];

/** An ipcMain that records handlers so a test (or the browser bridge) can invoke them. */
export class RecordingIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }

  invoke(channel: string, event: InvokeEventLike, payload: unknown): Promise<Result<unknown>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler for ${channel}`);
    return listener(event, payload);
  }
}
