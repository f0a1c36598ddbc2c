import { searchUsersInput } from '../../shared/auth';
import type { PageOptions } from '../../shared/messages';
import { AppError } from '../../shared/result';
import { toPerson, toProfile } from '../auth/people';
import { toAppError } from '../errors';
import { createLogger, type Logger } from '../log';
import { parseInput } from '../input';
import type { MessageService } from '../messages/service';
import type { DirectoryUser, UserDirectory } from '../users/directory';
import { Callers, type CallerDeps } from './caller';
import type { ApiGatewayV2Event, ApiGatewayV2Result, ApiHandler } from './event';
import { errorResult, jsonResult } from './reply';
import { API_REASONS, API_ROUTES, MAX_BODY_BYTES, type ApiRouteKey } from './wire';

export type { ApiGatewayV2Event, ApiGatewayV2Result, ApiHandler } from './event';

export interface ApiHandlerDeps extends CallerDeps {
  messages: Pick<
    MessageService,
    | 'listMessages'
    | 'listMessagesAfter'
    | 'listConversations'
    | 'listConversationsAfter'
    | 'storeMessage'
    | 'startConversation'
    | 'markConversationRead'
  >;
  directory: Pick<UserDirectory, 'search'>;
  log?: Logger;
}

/** What a route reads from the request once the caller is known. */
interface Request {
  caller: DirectoryUser;
  body: Record<string, unknown>;
  query: Record<string, unknown>;
  path: (name: string) => string;
}

type Route = (deps: ApiHandlerDeps, request: Request) => Promise<ApiGatewayV2Result>;

const WITH_BODY = new Set(['POST', 'PUT']);

/**
 * The message API's one Lambda handler, run by AWS (aws/api/index.ts) and by the local gateway
 * (scripts/local/api-gateway.ts) alike: the route key API Gateway matched picks a service call;
 * the caller is the verified token's, mapped to the directory (Callers); every input is checked
 * by the services' own schemas, so the API refuses exactly what the app refuses.
 */
export function createApiHandler(deps: ApiHandlerDeps): ApiHandler {
  const callers = new Callers(deps);
  const log = deps.log ?? createLogger('api');
  return async (event) => {
    const started = performance.now();
    let result: ApiGatewayV2Result;
    let failure: AppError | undefined;
    try {
      result = await answer(deps, callers, event);
    } catch (error) {
      failure = toAppError(error, 'the message API');
      result = errorResult(failure);
    }
    const line = {
      route: event.routeKey,
      status: result.statusCode,
      ms: Math.round(performance.now() - started),
      requestId: event.requestContext.requestId,
      ...(failure ? { code: failure.code } : {}),
    };
    // The cause of a 5xx is for the log only (the caller gets the generic message); a 4xx is
    // the caller's own doing and its code says enough.
    if (result.statusCode >= 500) log.error('request failed', { ...line, cause: causeOf(failure) });
    else log.info('request', line);
    return result;
  };
}

async function answer(
  deps: ApiHandlerDeps,
  callers: Callers,
  event: ApiGatewayV2Event,
): Promise<ApiGatewayV2Result> {
  // Own keys only: a route key such as "toString" must not reach Object.prototype.
  if (!Object.hasOwn(ROUTES, event.routeKey))
    throw new AppError('NotFound', 'The message API has no such route.');
  const route = ROUTES[event.routeKey as ApiRouteKey];
  // Unauthenticated before the body is read.
  const claims = callers.claimsOf(event);
  const body = WITH_BODY.has(event.requestContext.http.method) ? bodyOf(event) : {};
  const caller = await callers.userOf(event, claims);
  const path = (name: string) => event.pathParameters?.[name] ?? '';
  return route(deps, { caller, body, query: queryOf(event), path });
}

const ROUTES: Record<ApiRouteKey, Route> = {
  [API_ROUTES.me]: async (_deps, { caller }) => jsonResult(200, toProfile(caller)),

  [API_ROUTES.listConversations]: async ({ messages }, { caller, query }) => {
    const list = listOptions(query);
    return jsonResult(
      200,
      list.after === undefined
        ? await messages.listConversations(caller, list.page)
        : await messages.listConversationsAfter(caller, list.after, { limit: list.limit }),
    );
  },

  [API_ROUTES.startConversation]: async ({ messages }, { caller, body }) => {
    const result = await messages.startConversation(caller, body as never);
    return jsonResult(result.created ? 201 : 200, result);
  },

  [API_ROUTES.listMessages]: async ({ messages }, { caller, query, path }) => {
    const list = listOptions(query);
    const group = path('groupUuid');
    return jsonResult(
      200,
      list.after === undefined
        ? await messages.listMessages(caller, group, list.page)
        : await messages.listMessagesAfter(caller, group, list.after, { limit: list.limit }),
    );
  },

  [API_ROUTES.sendMessage]: async ({ messages }, { caller, body, path }) => {
    const input = {
      ...withoutPathKeys(body),
      groupUuid: path('groupUuid'),
      messageUuid: path('messageUuid'),
    };
    const { message, created } = await messages.storeMessage(caller, input as never);
    return jsonResult(created ? 201 : 200, message);
  },

  [API_ROUTES.markRead]: async ({ messages }, { caller, body, path }) => {
    const input = { ...withoutPathKeys(body), groupUuid: path('groupUuid') };
    return jsonResult(200, await messages.markConversationRead(caller, input as never));
  },

  [API_ROUTES.searchPeople]: async ({ directory }, { caller, query }) => {
    const { query: text } = parseInput(searchUsersInput.strict(), query);
    const people = await directory.search(text, caller.uuid);
    return jsonResult(200, { people: people.map(toPerson) });
  },
};

/**
 * The body as an object, refused (413) over MAX_BODY_BYTES decoded before it is parsed. The
 * services take the object as it is (`as never` above: its fields are unknown until their zod
 * schema has read them), so a field of the wrong type or an extra one is refused there.
 */
function bodyOf(event: ApiGatewayV2Event): Record<string, unknown> {
  const raw = event.body ?? '';
  const size = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new AppError('Invalid', `The body is over ${MAX_BODY_BYTES} bytes.`, {
      reason: API_REASONS.tooLarge,
    });
  }
  let value: unknown;
  try {
    const text = event.isBase64Encoded
      ? new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(raw, 'base64'))
      : raw;
    value = JSON.parse(text);
  } catch {
    throw new AppError('Invalid', 'The body is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('Invalid', 'The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** The path names the conversation and message; a body naming them too is refused, not ignored. */
function withoutPathKeys(body: Record<string, unknown>): Record<string, unknown> {
  for (const key of ['groupUuid', 'messageUuid']) {
    if (Object.hasOwn(body, key)) throw new AppError('Invalid', `${key} is given by the path, not the body.`);
  }
  return body;
}

/**
 * The query string's parameters, read from the raw query string so that what they decode to is
 * the handler's to say, not the gateway's: form encoding ('+' a space), strict UTF-8 (a
 * malformed or surrogate escape is refused, not replaced), each name once. They are all
 * strings: a digits-only limit becomes the number it spells; anything else goes on as it is, for
 * the service's schema to refuse.
 */
function queryOf(event: ApiGatewayV2Event): Record<string, unknown> {
  const params = new Map<string, unknown>();
  for (const pair of event.rawQueryString.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const name = formDecode(at < 0 ? pair : pair.slice(0, at));
    const value = formDecode(at < 0 ? '' : pair.slice(at + 1));
    if (params.has(name)) throw new AppError('Invalid', `${name.slice(0, 40)} is given twice.`);
    params.set(name, name === 'limit' && /^\d{1,9}$/.test(value) ? Number(value) : value);
  }
  // fromEntries makes own properties: a parameter named __proto__ stays a key, for the schema to refuse.
  return Object.fromEntries(params);
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new AppError('Invalid', 'The query string is not percent-encoded UTF-8.');
  }
}

type ListOptions = { after: undefined; page: PageOptions } | { after: string; limit: number | undefined };

/** `?after=` reads what is newer than a position (and takes only a limit); else a page. */
function listOptions(query: Record<string, unknown>): ListOptions {
  const { after, ...rest } = query;
  // The casts hand values the schemas have not read yet to the service, which parses them.
  if (after === undefined) return { after: undefined, page: rest as PageOptions };
  const extra = Object.keys(rest).find((name) => name !== 'limit');
  if (extra !== undefined) throw new AppError('Invalid', `after takes only limit, not ${extra}.`);
  return { after: after as string, limit: rest['limit'] as number | undefined };
}

function causeOf(failure: AppError | undefined): unknown {
  if (!failure) return undefined;
  const cause = failure.cause;
  if (cause instanceof Error) return { error: cause, code: (cause as { code?: unknown }).code };
  return failure;
}
