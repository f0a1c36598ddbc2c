import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PeopleDirectory } from '../../core/auth/people';
import { NO_SECRETS } from '../../core/auth/session-store';
import { createCognitoClient } from '../../core/clients';
import { loadConfig } from '../../core/config';
import { ApiClient } from '../../electron/main/api-client';
import { ApiMessages, ApiPeople } from '../../electron/main/api-messages';
import { ConnectivityMonitor, isOfflineError } from '../../electron/main/connectivity';
import { Outbox } from '../../electron/main/outbox';
import { SEND_QUEUED, type MessageView } from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import type { AppError } from '../../shared/result';
import { isAppError } from '../../shared/result';

/**
 * The message API's client against a real HTTP server of this file, answering what API Gateway
 * and the Lambda answer: the statuses, both kinds of error body, a body that is not JSON, a
 * connection refused and one that never answers.
 */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let answer: (seen: Seen, response: ServerResponse) => void;

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const one = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(one);
      answer(one, response);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => {
  seen = [];
  answer = (_seen, response) => json(response, 200, {});
});

const anything = z.object({}).passthrough();
const me: Person = { uuid: randomUUID(), handle: 'andrew', display_name: 'Andrew' };

async function failure(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const get = (client = new ApiClient({ baseUrl: base })) =>
  client.request({ method: 'GET', path: '/v1/me', token: 'tok-1', schema: anything });

describe('the API client', () => {
  it('sends the bearer token, the query and JSON, to the base URL with its path', async () => {
    answer = (_seen, response) => json(response, 201, { unread_count: 2 });
    const client = new ApiClient({ baseUrl: `${base}/stage/` });
    const answered = await client.request({
      method: 'POST',
      path: '/v1/conversations/g%2F1/read',
      token: 'tok-1',
      query: { limit: 5, cursor: undefined, after: 'MSG#2026-01-01T00:00:00.000Z#a+b' },
      body: { upTo: 'u1' },
      schema: z.object({ unread_count: z.number() }),
    });
    expect(answered).toEqual({ status: 201, value: { unread_count: 2 } });
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', body: '{"upTo":"u1"}' });
    const url = new URL(request!.url, base);
    expect(url.pathname).toBe('/stage/v1/conversations/g%2F1/read');
    expect([...url.searchParams]).toEqual([
      ['limit', '5'],
      ['after', 'MSG#2026-01-01T00:00:00.000Z#a+b'],
    ]);
    expect(request!.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it.each([
    [400, 'Invalid', undefined],
    [401, 'Unauthenticated', undefined],
    [403, 'Forbidden', undefined],
    [404, 'NotFound', undefined],
    [409, 'Conflict', 'HandleTaken'],
    [413, 'Invalid', 'TooLarge'],
    [429, 'Unavailable', 'Throttled'],
    [500, 'Internal', undefined],
    [503, 'Unavailable', undefined],
  ] as const)("keeps the code, message and reason of the Lambda's %i", async (status, code, reason) => {
    answer = (_seen, response) =>
      json(response, status, { error: { code, message: `words of ${status}`, ...(reason && { reason }) } });
    const error = await failure(get());
    expect({ code: error.code, message: error.message, reason: error.reason }).toEqual({
      code,
      message: `words of ${status}`,
      reason,
    });
    // An answer, however unwelcome, is not an outage: the app stays online.
    expect(isOfflineError(error)).toBe(false);
  });

  it.each([
    [401, '{"message":"Unauthorized"}', 'Unauthenticated', undefined],
    [403, '{"message":"Forbidden"}', 'Forbidden', undefined],
    [404, '{"message":"Not Found"}', 'NotFound', undefined],
    [413, '{"message":"Request Entity Too Large"}', 'Invalid', 'TooLarge'],
    [429, '{"message":"Too Many Requests"}', 'Unavailable', 'Throttled'],
    [500, '{"message":"Internal Server Error"}', 'Internal', undefined],
    [502, '<html><body>Bad Gateway from a proxy</body></html>', 'Unavailable', undefined],
    [503, '{"message":"Service Unavailable"}', 'Unavailable', undefined],
    [504, '', 'Unavailable', undefined],
  ] as const)(
    "maps API Gateway's (or a proxy's) own %i by its status",
    async (status, body, code, reason) => {
      answer = (_seen, response) => json(response, status, body);
      const error = await failure(get());
      expect({ code: error.code, reason: error.reason }).toEqual({ code, reason });
      expect(error.message).toContain(status === 401 ? 'sign in again' : 'message API');
      expect(error.message).not.toContain('<html>');
      expect(isOfflineError(error)).toBe(false);
    },
  );

  it('refuses a success it does not understand as Internal', async () => {
    answer = (_seen, response) => json(response, 200, '<html>a captive portal</html>');
    const notJson = await failure(
      new ApiClient({ baseUrl: base }).request({
        method: 'GET',
        path: '/v1/me',
        token: 't',
        schema: z.object({ uuid: z.string() }),
      }),
    );
    expect(notJson.code).toBe('Internal');
    answer = (_seen, response) => json(response, 200, { uuid: 42 });
    const wrongShape = await failure(
      new ApiClient({ baseUrl: base }).request({
        method: 'GET',
        path: '/v1/me',
        token: 't',
        schema: z.object({ uuid: z.string() }),
      }),
    );
    expect(wrongShape.code).toBe('Internal');
  });

  it('follows no redirect: the token never goes elsewhere', async () => {
    answer = (_seen, response) => {
      response.writeHead(302, { location: `${base}/elsewhere` });
      response.end();
    };
    const error = await failure(get());
    expect(error.code).toBe('Unavailable');
    expect(seen.map((request) => request.url)).toEqual(['/v1/me']);
  });

  it('makes a refused connection Unavailable and offline, with the connection error as its cause', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const error = await failure(get(new ApiClient({ baseUrl: `http://127.0.0.1:${port}` })));
    expect(error.code).toBe('Unavailable');
    expect(isOfflineError(error)).toBe(true);
    expect(JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause))).toContain('fetch failed');
  });

  it('gives up on a server that never answers within its bound, as offline', async () => {
    answer = () => {}; // never answers
    const started = performance.now();
    const error = await failure(get(new ApiClient({ baseUrl: base, timeoutMs: 150 })));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe('Unavailable');
    expect(isOfflineError(error)).toBe(true);
  });
});

const stored = (messageUuid: string, text: string): MessageView => ({
  message_uuid: messageUuid,
  message: text,
  created_at: new Date().toISOString(),
  user_uuid: me.uuid,
  handle: me.handle,
  display_name: me.display_name,
  sk: `MSG#${new Date().toISOString()}#${messageUuid}`,
});

describe('the API messages and people', () => {
  const tokens: { personUuid: string; renew: boolean }[] = [];
  const messages = () =>
    new ApiMessages(new ApiClient({ baseUrl: base }), async (personUuid, renew) => {
      tokens.push({ personUuid, renew });
      return 'current';
    });
  beforeEach(() => {
    tokens.length = 0;
  });

  it('sends a message with PUT under its own uuid, the text alone in the body', async () => {
    const groupUuid = randomUUID();
    const messageUuid = newMessageUuid();
    answer = (_seen, response) => json(response, 201, stored(messageUuid, 'hi'));
    const sent = await messages().sendMessage(me, { groupUuid, messageUuid, text: 'hi' });
    expect(sent.message_uuid).toBe(messageUuid);
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      url: `/v1/conversations/${groupUuid}/messages/${messageUuid}`,
      body: '{"text":"hi"}',
    });
    expect(tokens).toEqual([{ personUuid: me.uuid, renew: false }]);
  });

  it('renews the token once when the gateway refuses it, and not again for a renewed one', async () => {
    let latest = 'current';
    const renewals: boolean[] = [];
    const api = new ApiMessages(new ApiClient({ baseUrl: base }), async (_personUuid, renew) => {
      renewals.push(renew);
      if (renew) latest = `renewed-${renewals.length}`;
      return latest;
    });
    answer = (request, response) =>
      request.headers.authorization === 'Bearer current'
        ? json(response, 401, '{"message":"Unauthorized"}')
        : json(response, 200, { items: [], has_more: false, consumed_capacity: 0 });
    expect(await api.listConversationsAfter(me, 'GRP#x')).toEqual({
      items: [],
      has_more: false,
      consumed_capacity: 0,
    });
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      'Bearer current',
      'Bearer renewed-2',
    ]);
    expect(seen[0]!.url).toBe('/v1/conversations?after=GRP%23x');

    // Now the renewed token is refused too (a pool the API does not trust): Unauthenticated, and
    // no refresh per call for it (a refresh per poll would hammer Cognito).
    seen = [];
    renewals.length = 0;
    answer = (_request, response) => json(response, 401, '{"message":"Unauthorized"}');
    expect((await failure(api.listConversationsAfter(me, 'GRP#x'))).code).toBe('Unauthenticated');
    expect(renewals).toEqual([false]);
    expect(seen).toHaveLength(1);
  });

  it('asks GET /v1/me for the profile and GET /v1/people for the search, with the sign-in token', async () => {
    const account = { accessToken: 'acc-1', sub: randomUUID(), username: 'andrew' };
    const people = new ApiPeople(new ApiClient({ baseUrl: base }));
    answer = (request, response) =>
      request.url === '/v1/me'
        ? json(response, 200, { ...me, email: 'a@example.com', cognito_user_id: 'not for the app' })
        : json(response, 200, { people: [me, { uuid: randomUUID(), handle: 'bayko', display_name: 'B' }] });
    expect(await people.userOf(account)).toEqual({ ...me, email: 'a@example.com' });
    const found = await people.search('ba y', me, account);
    expect(found.map((person) => person.handle)).toEqual(['bayko']);
    expect(seen.map((request) => request.url)).toEqual(['/v1/me', '/v1/people?query=ba+y']);
    expect(seen.every((request) => request.headers.authorization === 'Bearer acc-1')).toBe(true);
    expect((people as PeopleDirectory).taken).toBeUndefined();
  });
});

describe('the outbox and the connectivity monitor over the API', () => {
  it('keeps a message the API answered 503 for, stays online, and stores it once on the next pass', async () => {
    const api = new ApiMessages(new ApiClient({ baseUrl: base }), async () => 'current');
    const puts = new Map<string, number>();
    let down = true;
    answer = (request, response) => {
      const uuid = request.url.split('/').pop()!;
      if (down)
        return json(response, 503, { error: { code: 'Unavailable', message: 'DynamoDB is throttling' } });
      puts.set(uuid, (puts.get(uuid) ?? 0) + 1);
      json(response, puts.get(uuid) === 1 ? 201 : 200, stored(uuid, 'kept'));
    };
    const published: boolean[] = [];
    const monitor = new ConnectivityMonitor({
      publish: (state) => published.push(state.online),
      probe: async () => {},
    });
    const settled: boolean[] = [];
    const outbox = await Outbox.open({
      root: undefined,
      personUuid: me.uuid,
      secrets: NO_SECRETS,
      send: (entry) => monitor.observe(() => api.sendMessage(me, entry)),
      settled: (_entry, outcome) => settled.push(outcome.ok),
      isOnline: () => monitor.state().online,
    });
    const entry = {
      groupUuid: randomUUID(),
      messageUuid: newMessageUuid(),
      text: 'kept',
      created_at: new Date().toISOString(),
    };
    const first = await failure(outbox.send(entry));
    expect(first).toMatchObject({ code: 'Unavailable', reason: SEND_QUEUED });
    expect(outbox.entries()).toHaveLength(1);
    expect(monitor.state().online).toBe(true);
    expect(published).toEqual([]);

    down = false;
    await outbox.drain();
    expect(outbox.entries()).toEqual([]);
    expect(settled).toEqual([true]);
    expect([...puts.values()]).toEqual([1]);
    // A resend of the same uuid (a retry after an answer that was lost) stores nothing new.
    await api.sendMessage(me, entry);
    expect([...puts.values()]).toEqual([2]);
    monitor.stop();
    await outbox.close();
  });
});

describe('the Cognito client in API mode', () => {
  const config = () =>
    loadConfig(
      {
        CRUDDUR_API_URL: 'http://127.0.0.1:8787',
        CRUDDUR_COGNITO_ENDPOINT: base,
        CRUDDUR_USER_POOL_ID: 'local_x',
      },
      '/nonexistent',
    );

  it('makes every call the app makes unsigned, and refuses one that would need credentials', async () => {
    answer = (_seen, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end('{}');
    };
    const cognito = createCognitoClient(config());
    const user = { ClientId: 'c', Username: 'andrew' };
    const calls = [
      new InitiateAuthCommand({ ClientId: 'c', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: {} }),
      new SignUpCommand({ ...user, Password: 'p' }),
      new ConfirmSignUpCommand({ ...user, ConfirmationCode: '1' }),
      new ResendConfirmationCodeCommand(user),
      new GetUserCommand({ AccessToken: 'a' }),
      new ForgotPasswordCommand(user),
      new ConfirmForgotPasswordCommand({ ...user, ConfirmationCode: '1', Password: 'p' }),
      new RevokeTokenCommand({ ClientId: 'c', Token: 'r' }),
    ];
    for (const command of calls) await cognito.send(command as InitiateAuthCommand);
    expect(seen).toHaveLength(calls.length);
    for (const request of seen) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['x-amz-security-token']).toBeUndefined();
    }

    seen = [];
    await expect(
      cognito.send(new AdminGetUserCommand({ UserPoolId: 'local_x', Username: 'a' })),
    ).rejects.toThrow('API mode holds no AWS credentials');
    expect(seen).toEqual([]);
    cognito.destroy();
  });
});
