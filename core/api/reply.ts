import { AuthError } from '../../shared/auth';
import type { AppError, AppErrorShape, ErrorCode } from '../../shared/result';
import type { ApiGatewayV2Result } from './event';
import { errorBody, statusOf } from './wire';

/** Every answer of the API: JSON that no cache in between may keep (it is one person's). */
export const RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
};

export function jsonResult(statusCode: number, value: unknown): ApiGatewayV2Result {
  return { statusCode, headers: { ...RESPONSE_HEADERS }, body: JSON.stringify(value) };
}

/**
 * What the API says when the failure's own message came from elsewhere: toAppError copies the
 * message of what the AWS SDK, pg or Node threw (table names, SQL, hosts, ARNs), which a caller
 * must never read.
 */
export const GENERIC_MESSAGES: Record<ErrorCode, string> = {
  Invalid: 'The request is not valid.',
  NotFound: 'What the request names does not exist.',
  Forbidden: 'The request is not allowed.',
  Conflict: 'The request conflicts with a change made at the same time; try again.',
  Unavailable: 'The service is unavailable for the moment; try again shortly.',
  Unauthenticated: 'The sign-in has ended; sign in again.',
  Internal: 'Something went wrong on the server.',
};

const MAX_MESSAGE = 2_000;

/**
 * The error as a caller may see it. A service's own AppError (no cause) says what was wrong with
 * the request in words written here; one made from a caught error has a cause and gets the
 * code's generic message (an AuthError keeps its reason and its own, authored, message); an
 * Internal error is always generic.
 */
export function publicError(error: AppError): AppErrorShape {
  const { code } = error;
  if (code === 'Internal') return { code, message: GENERIC_MESSAGES.Internal };
  if (error instanceof AuthError)
    return { code, message: error.message.slice(0, MAX_MESSAGE), reason: error.reason };
  if (error.cause !== undefined) return { code, message: GENERIC_MESSAGES[code] };
  const shape: AppErrorShape = { code, message: error.message.slice(0, MAX_MESSAGE) };
  return error.reason === undefined ? shape : { ...shape, reason: error.reason };
}

export function errorResult(error: AppError): ApiGatewayV2Result {
  const shape = publicError(error);
  return jsonResult(statusOf(shape), errorBody(shape));
}
