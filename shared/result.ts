/**
 * Every IPC call and every service call ends in one of these codes. The renderer maps them to
 * words, the admin scripts map them to exit codes.
 */
export const errorCodes = [
  'Invalid',
  'NotFound',
  'Forbidden',
  'Conflict',
  'Unavailable',
  'Unauthenticated',
  'Internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /**
   * A stable, finer cause within the code that a screen can route on (e.g. auth's
   * 'UserNotConfirmed' sends people to the confirm screen); see shared/auth.ts for its values.
   */
  reason?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

/** A failure with a code that the caller can act on; `message` is safe to show a person. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Set only when given, so errors without one look exactly as before. */
  declare readonly reason?: string;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; reason?: string }) {
    super(message, options);
    this.name = `${code}Error`;
    this.code = code;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (code: ErrorCode, message: string, reason?: string): Result<never> => ({
  ok: false,
  error: reason === undefined ? { code, message } : { code, message, reason },
});
