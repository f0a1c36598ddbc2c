import { z } from 'zod';
import {
  contract,
  invokeChannel,
  operationNames,
  type OperationName,
  type OperationOutput,
  type ParsedInput,
} from '../../../shared/contract';
import { AppError, fail, ok, type Result } from '../../../shared/result';
import { createLogger } from '../../../core/log';

/** One handler per contract operation; each gets its parsed, validated input. */
export type Handlers = {
  [N in OperationName]: (input: ParsedInput<N>) => Promise<OperationOutput<N>>;
};

/** The slice of Electron's IpcMainInvokeEvent the guard reads. */
export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, payload: unknown) => Promise<Result<unknown>>,
  ): void;
}

const log = createLogger('ipc');

/**
 * Turns a thrown value into a failure the renderer may see: AppErrors keep their code, the rest is
 * Internal. Either way the log gets the operation and the code, never the payload or an AppError's
 * message, which can quote what the person typed.
 */
export function toFailure(operation: OperationName, error: unknown): Result<never> {
  if (error instanceof AppError) {
    log.info('operation failed', { operation, code: error.code, reason: error.reason });
    return fail(error.code, error.message, error.reason);
  }
  log.error('operation failed', { operation, code: 'Internal', error });
  return fail('Internal', 'Something went wrong in the app. Please try again.');
}

/** More keys than any operation takes, or a key longer than any field name. */
const MAX_KEYS = 16;
const MAX_KEY_LENGTH = 64;

/**
 * Every string in the contract has a length cap in its schema, but keys have none, and zod names
 * each unknown key in its error: a plain object with keys no operation could take is refused
 * before parsing, so a 20 MB key is neither copied into an error nor sent back to the renderer.
 */
function hasImpossibleKeys(payload: unknown): boolean {
  const plain =
    typeof payload === 'object' && payload !== null && Object.getPrototypeOf(payload) === Object.prototype;
  if (!plain) return false;
  let count = 0;
  for (const key in payload) {
    count += 1;
    if (count > MAX_KEYS || key.length > MAX_KEY_LENGTH) return true;
  }
  return false;
}

/**
 * Registers one `ipcMain.handle` per contract operation. Each call first checks that the sender
 * frame is the app's own page, then parses the payload; only a valid payload reaches the handler,
 * and nothing a handler throws escapes to crash the main process.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  isTrustedSender: (frameUrl: string) => boolean,
): void {
  for (const name of operationNames) {
    const schema: z.ZodType = contract[name].input;
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    ipcMain.handle(invokeChannel(name), async (event, payload) => {
      const frameUrl = event.senderFrame?.url;
      if (!frameUrl || !isTrustedSender(frameUrl)) {
        log.warn('refused a request from outside the app', {
          operation: name,
          from: frameUrl ?? 'a destroyed frame',
        });
        return fail('Forbidden', 'This request did not come from the app.');
      }
      if (hasImpossibleKeys(payload)) return fail('Invalid', 'The request has fields no operation takes.');
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return fail('Invalid', z.prettifyError(parsed.error));
      try {
        return ok(await handler(parsed.data));
      } catch (error) {
        return toFailure(name, error);
      }
    });
  }
}
