import { z } from 'zod';
import { errorCodes, type AppErrorShape, type ErrorCode } from '../../shared/result';

/**
 * The message API's wire: its routes, its error body and its status codes, shared by the server
 * (core/api/handler.ts, run by the Lambda and by the local gateway) and the app's client
 * (electron/main/api-messages.ts). JSON in and out; every path is under /v1.
 *
 * | route key                                                  | what                                   |
 * |------------------------------------------------------------|----------------------------------------|
 * | GET  /v1/me                                                | the caller's profile (links on first use) |
 * | GET  /v1/conversations?limit=&cursor=  (or ?after=)        | B (or B, what is newer)                |
 * | POST /v1/conversations  { handle, messageUuid, text }      | D                                      |
 * | GET  /v1/conversations/{groupUuid}/messages?limit=&cursor= | A, newest page first                   |
 * | GET  /v1/conversations/{groupUuid}/messages?after=         | A, what is newer (poller, cache)       |
 * | PUT  /v1/conversations/{groupUuid}/messages/{messageUuid}  | C: 201 stored, 200 already stored      |
 * | POST /v1/conversations/{groupUuid}/read  { upTo }          | the read mark                          |
 * | GET  /v1/people?query=                                     | the directory search                   |
 */
export const API_ROUTES = {
  me: 'GET /v1/me',
  listConversations: 'GET /v1/conversations',
  startConversation: 'POST /v1/conversations',
  listMessages: 'GET /v1/conversations/{groupUuid}/messages',
  sendMessage: 'PUT /v1/conversations/{groupUuid}/messages/{messageUuid}',
  markRead: 'POST /v1/conversations/{groupUuid}/read',
  searchPeople: 'GET /v1/people',
} as const;

export type ApiRouteName = keyof typeof API_ROUTES;
export type ApiRouteKey = (typeof API_ROUTES)[ApiRouteName];
export const API_ROUTE_KEYS = Object.values(API_ROUTES) as ApiRouteKey[];

/** The paths the client calls (path parameters URL-encoded). */
export const apiPaths = {
  me: () => '/v1/me',
  conversations: () => '/v1/conversations',
  messages: (groupUuid: string) => `/v1/conversations/${encodeURIComponent(groupUuid)}/messages`,
  message: (groupUuid: string, messageUuid: string) =>
    `/v1/conversations/${encodeURIComponent(groupUuid)}/messages/${encodeURIComponent(messageUuid)}`,
  read: (groupUuid: string) => `/v1/conversations/${encodeURIComponent(groupUuid)}/read`,
  people: () => '/v1/people',
};

/**
 * The largest request body the API reads, in bytes: refused with 413 before it is parsed. A
 * message is at most MAX_MESSAGE_RAW_LENGTH (2,048) UTF-16 units, 6 KiB as UTF-8 at worst, with a
 * handle and a uuid around it.
 */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Requests per second, per route, across all callers (API Gateway's route throttling, a token
 * bucket each): the stack's stage and the local gateway's. Reads are the poller's and the
 * lists'; writes are what a person types or clicks, so they get far less. Past it: 429.
 */
/** A token bucket: `burstLimit` requests at once, refilled at `rateLimit` a second (API Gateway's words). */
export interface RouteLimits {
  rateLimit: number;
  burstLimit: number;
}

export const ROUTE_THROTTLE: {
  default: RouteLimits;
  routes: Partial<Record<ApiRouteKey, RouteLimits>>;
} = {
  default: { rateLimit: 100, burstLimit: 200 },
  routes: {
    [API_ROUTES.sendMessage]: { rateLimit: 20, burstLimit: 40 },
    [API_ROUTES.startConversation]: { rateLimit: 5, burstLimit: 10 },
    [API_ROUTES.markRead]: { rateLimit: 20, burstLimit: 40 },
  },
};

/** Finer causes the API adds to its codes (besides the services' own reasons). */
export const API_REASONS = {
  /** 413: the body is over MAX_BODY_BYTES. */
  tooLarge: 'TooLarge',
  /** 429: the route's rate is exceeded; try again shortly. */
  throttled: 'Throttled',
} as const;

const STATUS: Record<ErrorCode, number> = {
  Invalid: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  Internal: 500,
  Unavailable: 503,
};

/** The HTTP status of an error the API answers with. */
export function statusOf(error: Pick<AppErrorShape, 'code' | 'reason'>): number {
  if (error.reason === API_REASONS.tooLarge) return 413;
  if (error.reason === API_REASONS.throttled) return 429;
  return STATUS[error.code];
}

/** The code a status stands for, when a body does not say (API Gateway's own 401, 429, 5xx). */
export function codeOfStatus(status: number): ErrorCode {
  if (status === 413) return 'Invalid';
  if (status === 429) return 'Unavailable';
  const found = errorCodes.find((code) => STATUS[code] === status);
  if (found) return found;
  if (status >= 500) return status === 500 ? 'Internal' : 'Unavailable';
  return 'Invalid';
}

/** Every error the Lambda answers: `{ "error": { "code", "message", "reason"? } }`; never a stack, SQL or AWS text. */
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string().max(2_000),
    reason: z.string().max(100).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

export const errorBody = ({ code, message, reason }: AppErrorShape): ApiErrorBody => ({
  error: reason === undefined ? { code, message } : { code, message, reason },
});
