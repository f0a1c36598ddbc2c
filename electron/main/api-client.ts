import type { z } from 'zod';
import { API_REASONS, apiErrorBodySchema, codeOfStatus } from '../../core/api/wire';
import { REQUEST_TIMEOUT_MS } from '../../core/clients';
import { AppError, type ErrorCode } from '../../shared/result';

/** One call of the message API: who calls (the bearer token), what, and what a success answers. */
export interface ApiRequest<T> {
  method: 'GET' | 'POST' | 'PUT';
  /** From core/api/wire.ts's apiPaths (path parameters already encoded). */
  path: string;
  /** The signed-in person's Cognito access token. */
  token: string;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** What a 2xx body must be. */
  schema: z.ZodType<T>;
}

export interface ApiAnswer<T> {
  status: number;
  value: T;
}

export interface ApiClientOptions {
  /** The API's base URL (CRUDDUR_API_URL or the Settings view's), a stage path included if any. */
  baseUrl: string;
  /** globalThis.fetch by default. */
  fetch?: typeof fetch;
  /** The bound of one request, from sending it to the end of its body: REQUEST_TIMEOUT_MS by default. */
  timeoutMs?: number;
}

/**
 * The message API over HTTP: JSON in and out, the person's access token as the bearer, every
 * request bounded, and every failure an AppError the rest of the main process already knows how
 * to treat:
 *
 * - The Lambda's `{ error: { code, message, reason? } }` keeps its code, message and reason.
 * - An answer without that body (API Gateway's own `{ "message": "Unauthorized" }`, a proxy's
 *   HTML) is mapped by its status: 401 Unauthenticated, 429 Unavailable/Throttled, 413
 *   Invalid/TooLarge, 5xx Unavailable (500 Internal).
 * - A request that cannot connect, or gets no answer within its bound, is Unavailable with the
 *   connection error as its cause: connectivity.ts's isOfflineError sees the app offline (and the
 *   outbox keeps the message), exactly as for a DynamoDB that cannot be reached. A 503 or a 429
 *   is an answer, not an outage: the app stays online, and the outbox keeps the message for its
 *   next pass (the PUT is idempotent, so a resend stores it once).
 *
 * Neither the token nor a body is ever logged or put in an error.
 */
export class ApiClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: ApiClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  async request<T>(request: ApiRequest<T>): Promise<ApiAnswer<T>> {
    const url = new URL(`${this.base}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${request.token}`,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      const response = await this.fetch(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        // A redirect is not the API: a captive portal or a wrong URL, never followed with the token.
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      // Within the same bound: a body that starts and then stalls is no answer either.
      text = await response.text();
    } catch (error) {
      throw new AppError('Unavailable', 'The message API cannot be reached; check the connection.', {
        cause: error,
      });
    }
    if (status < 200 || status > 299) throw errorOf(status, text);
    const parsed = request.schema.safeParse(parseJson(text));
    if (!parsed.success)
      throw new AppError(
        'Internal',
        `The message API answered in a form this app does not know (HTTP ${status}).`,
      );
    return { status, value: parsed.data };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The AppError of an answer that is not a success. */
export function errorOf(status: number, text: string): AppError {
  const body = apiErrorBodySchema.safeParse(parseJson(text));
  if (body.success) {
    const { code, message, reason } = body.data.error;
    return new AppError(code, message, reason === undefined ? undefined : { reason });
  }
  const code = codeOfStatus(status);
  const reason = status === 429 ? API_REASONS.throttled : status === 413 ? API_REASONS.tooLarge : undefined;
  return new AppError(code, statusMessage(status, code), reason === undefined ? undefined : { reason });
}

/** Words for an answer that brought none of its own (API Gateway's, a proxy's). */
function statusMessage(status: number, code: ErrorCode): string {
  if (status === 401) return 'The server did not accept your sign-in; please sign in again.';
  if (status === 404) return 'The message API has no such address (HTTP 404): is its URL right?';
  if (status === 413) return 'This request is too large for the message API.';
  if (status === 429) return 'The message API is busy; try again in a moment.';
  if (code === 'Unavailable')
    return `The message API is unavailable (HTTP ${status}); try again in a moment.`;
  if (code === 'Internal') return `The message API failed (HTTP ${status}).`;
  return `The message API refused the request (HTTP ${status}).`;
}
