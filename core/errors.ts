import { AppError } from '../shared/result';

/**
 * Maps what the AWS SDK, pg and Node throw to typed AppErrors: the caller learns whether it was
 * its input (Invalid), a missing thing (NotFound), a lost race (Conflict) or a service it cannot
 * reach (Unavailable), and the message says what to do.
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);

/** What the errors of the SDKs, pg and Node carry, as far as anything here reads them. */
export interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

function chain(error: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && seen.length < 5) {
    const item = current as ErrorLike;
    seen.push(item);
    if (Array.isArray(item.errors))
      seen.push(...(item.errors.filter((e) => e && typeof e === 'object') as ErrorLike[]));
    current = item.cause;
  }
  return seen;
}

/**
 * pg names a dropped or timed-out connection (or query: query_timeout) only in its message, and a
 * server refusing sessions by SQLSTATE (class 08 connection exception, 57P01-57P03 shutting down
 * or starting up).
 */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Query read timeout',
];
const isPgConnectionFailure = (e: ErrorLike): boolean =>
  /^(08|57P0[123])/.test(e.code ?? '') ||
  PG_CONNECTION_MESSAGES.some((start) => e.message?.startsWith(start) ?? false);

export function isUnreachable(error: unknown): boolean {
  return chain(error).some(
    (e) => UNREACHABLE.has(e.code ?? '') || UNREACHABLE.has(e.name ?? '') || isPgConnectionFailure(e),
  );
}

export function toAppError(error: unknown, service = 'a service'): AppError {
  if (error instanceof AppError) return error;
  if (isUnreachable(error)) {
    return new AppError(
      'Unavailable',
      `${service} cannot be reached; is it running? (npm run local starts the local cloud)`,
      { cause: error },
    );
  }
  const e = (error ?? {}) as ErrorLike;
  const message = e.message ?? String(error);
  // PostgreSQL class 28: the server refused the credentials of the database URL.
  if (/^28/.test(e.code ?? '')) return new AppError('Forbidden', message, { cause: error });
  switch (e.name) {
    case 'ResourceNotFoundException':
    case 'UserNotFoundException':
      return new AppError('NotFound', message, { cause: error });
    case 'ConditionalCheckFailedException':
    case 'TransactionCanceledException':
    case 'ResourceInUseException':
    case 'UsernameExistsException':
      return new AppError('Conflict', message, { cause: error });
    case 'ValidationException':
    case 'InvalidParameterException':
    case 'SerializationException':
      return new AppError('Invalid', message, { cause: error });
    case 'AccessDeniedException':
    case 'NotAuthorizedException':
    case 'UnrecognizedClientException':
      return new AppError('Forbidden', message, { cause: error });
    case 'ProvisionedThroughputExceededException':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
    case 'ServiceUnavailable':
    case 'InternalServerError':
      return new AppError('Unavailable', message, { cause: error });
    default:
      return new AppError('Internal', message, { cause: error });
  }
}
