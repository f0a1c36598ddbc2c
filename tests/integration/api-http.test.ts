import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_MESSAGES } from '../../core/api/reply';
import {
  apiErrorBodySchema,
  apiPaths,
  MAX_BODY_BYTES,
  statusOf,
  type RouteLimits,
} from '../../core/api/wire';
import type { Tokens } from '../../core/auth/cognito-auth';
import { createCognitoClient, createDynamoClient } from '../../core/clients';
import { loadConfig, type Config } from '../../core/config';
import { MessageService } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';
import { startLocalApi, type LocalApi } from '../../scripts/local/api-gateway';
import type { ConversationView, MessageView, Page } from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { captureLog } from '../support/log-capture';
import {
  adminCreatedAccount,
  createAppClient,
  newAccount,
  passwordTokens,
  type TestAccount,
} from '../support/auth';
import { cloudEnv, configWithTable, pgPool } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';
import {
  messagePayloads,
  tampered,
  type HostileFixture,
  type MessageOperationName,
} from '../support/hostile-payloads';
import { countItems, createPeople, seedConversation } from '../support/messages';

/**
 * The message API through HTTP, as the app in API mode reaches it: the local gateway (route
 * table, JWT authorizer, caps, throttle) in front of the Lambda's handler, on this file's own
 * table. "Writes nothing" is the table's item count, and for a refused account its directory row.
 */
interface Caller {
  account: TestAccount;
  tokens: Tokens;
  sub: string;
}

let config: Config;
let db: DynamoDBDocumentClient;
let pool: pg.Pool;
let cognito: CognitoIdentityProviderClient;
let api: LocalApi;
let me: Caller;
let bob: Caller;
/** An account that has never used the API: no directory row is linked to it. */
let stranger: Caller;
let ann: Person;
let fx: HostileFixture;
/** The status Pattern D answered when it made my conversation with bob. */
let startedWithBob: number;
const accessLog: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

interface Reply {
  status: number;
  body: unknown;
  headers: Headers;
}

interface Call {
  token?: string | null;
  authorization?: string;
  query?: Record<string, unknown>;
  body?: unknown;
  raw?: string;
  contentType?: string;
  base?: string;
}

/** A UTF-16 unit that is half of no pair: no UTF-8 can carry it. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Percent-encoding as a URL carries text: UTF-8, and a lone surrogate as the WTF-8 bytes no decoder accepts. */
const urlEncode = (text: string): string =>
  !LONE_SURROGATE.test(text)
    ? encodeURIComponent(text)
    : [...text]
        .map((char) => {
          if (!LONE_SURROGATE.test(char)) return encodeURIComponent(char);
          const unit = char.charCodeAt(0);
          return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
            .map((byte) => `%${byte.toString(16).toUpperCase()}`)
            .join('');
        })
        .join('');

async function call(method: string, path: string, options: Call = {}): Promise<Reply> {
  const query = Object.entries(options.query ?? {})
    .map(([name, value]) => `${urlEncode(name)}=${urlEncode(String(value))}`)
    .join('&');
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? me.tokens.accessToken : options.token;
  if (options.authorization) headers['authorization'] = options.authorization;
  else if (token) headers['authorization'] = `Bearer ${token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${options.base ?? api.url}${path}${query ? `?${query}` : ''}`, {
    method,
    headers,
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

async function ok<T>(reply: Promise<Reply>, status = 200): Promise<T> {
  const settled = await reply;
  expect(settled.status, JSON.stringify(settled.body)).toBe(status);
  return settled.body as T;
}

async function signedIn(prefix: string): Promise<Caller> {
  const account = newAccount(prefix);
  await adminCreatedAccount(cognito, config, account);
  const tokens = await passwordTokens(cognito, config.userPoolClientId!, account);
  return { account, tokens, sub: decodeJwt(tokens.accessToken).sub! };
}

const items = () => countItems(db, config.tableName);
const linkedRows = async (sub: string) =>
  Number(
    (await pool.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE cognito_user_id = $1', [sub]))
      .rows[0]!.n,
  );

beforeAll(async () => {
  config = await configWithTable('api');
  db = createDynamoClient(config);
  pool = pgPool(config);
  cognito = createCognitoClient(config);
  closers.push(
    async () => db.destroy(),
    () => pool.end(),
    async () => cognito.destroy(),
  );
  api = await startLocalApi({
    config,
    port: 0,
    cursorSecret: randomBytes(32),
    log: (line) => accessLog.push(line),
  });
  closers.push(() => api.stop());
  [me, bob, stranger] = await Promise.all([signedIn('apime'), signedIn('apibob'), signedIn('apinew')]);
  const myProfile = await ok<{ uuid: string }>(call('GET', apiPaths.me()));
  const bobProfile = await ok<Person>(call('GET', apiPaths.me(), { token: bob.tokens.accessToken }));
  const bobPerson = {
    uuid: bobProfile.uuid,
    handle: bobProfile.handle,
    display_name: bobProfile.display_name,
  };
  ann = (await createPeople(pool, ['ann']))[0]!;
  const startWith = async (handle: string) => {
    const reply = await call('POST', apiPaths.conversations(), {
      body: { handle: `@${handle}`, messageUuid: newMessageUuid(), text: `hello ${handle}` },
    });
    return { status: reply.status, group: (reply.body as { message_group_uuid: string }).message_group_uuid };
  };
  const mine = (await startWith(ann.handle)).group;
  const withBob = await startWith(bob.account.handle);
  startedWithBob = withBob.status;
  for (const group of [mine, withBob.group]) {
    await ok(call('PUT', apiPaths.message(group, newMessageUuid()), { body: { text: 'and again' } }), 201);
  }
  const { groupUuid: foreign } = await seedConversation(db, config.tableName, [ann, bobPerson], {
    count: 3,
    firstAt: Date.now() - 60_000,
  });
  const cursorOf = async (path: string) =>
    (await ok<Page<unknown>>(call('GET', path, { query: { limit: 1 } }))).cursor!;
  const anotherApp = new MessageService({
    db,
    tableName: config.tableName,
    directory: new UserDirectory(pool),
  });
  fx = {
    me: { handle: me.account.handle, uuid: myProfile.uuid },
    ann: ann,
    bob: bobPerson,
    mine,
    foreign,
    messagesCursor: await cursorOf(apiPaths.messages(mine)),
    conversationsCursor: await cursorOf(apiPaths.conversations()),
    otherConversationCursor: await cursorOf(apiPaths.messages(withBob.group)),
    foreignCursor: (await anotherApp.listMessages(ann, foreign, { limit: 1 })).cursor!,
  };
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

/** Signs `claims` with cognito-local's own key, so the signature, issuer and client are right. */
async function signedByPool(claims: Record<string, unknown>): Promise<string> {
  const file = createRequire(import.meta.url).resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { jwk } = JSON.parse(readFileSync(file, 'utf8')) as { jwk: JWK };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid! })
    .sign(await importJWK(jwk, 'RS256'));
}

const sendToMine = (token: string | null, extra: Call = {}) =>
  call('PUT', apiPaths.message(fx.mine, newMessageUuid()), { token, body: { text: 'sneaky' }, ...extra });

describe('who may call', () => {
  it('answers 401 to no token, a forged, an expired and another client’s token, and writes nothing', async () => {
    const before = await items();
    const claims = decodeJwt(me.tokens.accessToken);
    const now = Math.floor(Date.now() / 1000);
    // The pool's key and the same claims with a fresh expiry is accepted: only expiry differs below.
    const fresh = await signedByPool({ ...claims, exp: now + 600 });
    expect((await sendToMine(fresh)).status).toBe(201);
    const expired = await signedByPool({ ...claims, iat: now - 7_200, exp: now - 3_600 });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(me.tokens.accessToken).kid! })
      .sign(privateKey);
    const otherClient = await passwordTokens(
      cognito,
      await createAppClient(cognito, config),
      stranger.account,
    );
    const refused = [
      await sendToMine(null),
      await sendToMine(null, { authorization: `Basic ${Buffer.from('me:pw').toString('base64')}` }),
      await sendToMine(forged),
      await sendToMine(expired),
      await sendToMine(otherClient.accessToken),
      await call('GET', apiPaths.me(), { token: otherClient.accessToken }),
    ];
    for (const reply of refused)
      expect(reply).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
    expect(await items()).toBe(before + 1);
    expect(await linkedRows(stranger.sub)).toBe(0);
  });

  it('refuses an ID token, which API Gateway lets through, in the handler (token_use)', async () => {
    const before = await items();
    // And an access token's claims but another use, so that only token_use is wrong.
    const otherUse = await signedByPool({ ...decodeJwt(me.tokens.accessToken), token_use: 'id' });
    for (const reply of [
      await sendToMine(me.tokens.idToken),
      await sendToMine(otherUse),
      await call('GET', apiPaths.me(), { token: stranger.tokens.idToken }),
    ]) {
      expect(reply.status).toBe(401);
      expect(apiErrorBodySchema.parse(reply.body).error.code).toBe('Unauthenticated');
    }
    expect(await items()).toBe(before);
    expect(await linkedRows(stranger.sub)).toBe(0);
  });

  it('answers 403 to a non-member reading, sending or marking, and writes nothing', async () => {
    const before = await items();
    const replies = [
      await call('GET', apiPaths.messages(fx.foreign)),
      await call('GET', apiPaths.messages(fx.foreign), { query: { after: 'MSG#' } }),
      await call('PUT', apiPaths.message(fx.foreign, newMessageUuid()), { body: { text: 'let me in' } }),
      await call('POST', apiPaths.read(fx.foreign), { body: { upTo: newMessageUuid() } }),
    ];
    for (const reply of replies) {
      expect(reply.status).toBe(403);
      expect(apiErrorBodySchema.parse(reply.body).error.code).toBe('Forbidden');
    }
    expect(await items()).toBe(before);
  });
});

describe('the routes', () => {
  it('stores a resent message uuid once: 201, then 200 with the same message', async () => {
    const before = await items();
    const path = apiPaths.message(fx.mine, newMessageUuid());
    const first = await ok<MessageView>(call('PUT', path, { body: { text: 'only once' } }), 201);
    const again = await ok<MessageView>(call('PUT', path, { body: { text: 'only once' } }), 200);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ message: 'only once', user_uuid: fx.me.uuid });
    expect(await items()).toBe(before + 1);
    const page = await ok<Page<MessageView>>(call('GET', apiPaths.messages(fx.mine)));
    expect(page.items.filter((m) => m.message_uuid === first.message_uuid)).toHaveLength(1);
  });

  it('starts a conversation by handle (D), then sends into the one it made', async () => {
    expect(startedWithBob).toBe(201);
    const again = await ok<{ created: boolean; message_group_uuid: string }>(
      call('POST', apiPaths.conversations(), {
        body: { handle: bob.account.handle, messageUuid: newMessageUuid(), text: 'me again' },
      }),
      200,
    );
    expect(again.created).toBe(false);
    const bobs = await ok<Page<ConversationView>>(
      call('GET', apiPaths.conversations(), { token: bob.tokens.accessToken }),
    );
    // Without a stream worker the group item keeps its first message (Pattern E moves it on).
    expect(bobs.items.find((c) => c.message_group_uuid === again.message_group_uuid)).toMatchObject({
      user_uuid: fx.me.uuid,
      handle: me.account.handle,
    });
  });

  it('moves the read mark, which the list then shows', async () => {
    const token = bob.tokens.accessToken;
    const list = await ok<Page<ConversationView>>(call('GET', apiPaths.conversations(), { token }));
    const group = list.items.find((c) => c.user_uuid === fx.me.uuid)!;
    expect(group.unread_count).toBeGreaterThan(0);
    const newest = (
      await ok<Page<MessageView>>(call('GET', apiPaths.messages(group.message_group_uuid), { token }))
    ).items[0]!;
    expect(
      await ok(
        call('POST', apiPaths.read(group.message_group_uuid), { token, body: { upTo: newest.message_uuid } }),
      ),
    ).toEqual({ unread_count: 0 });
    const after = await ok<Page<ConversationView>>(call('GET', apiPaths.conversations(), { token }));
    expect(after.items.find((c) => c.message_group_uuid === group.message_group_uuid)?.unread_count).toBe(0);
  });

  it('answers the profile, and searches people (never the caller, never more than a Person)', async () => {
    expect(await ok(call('GET', apiPaths.me()))).toEqual({
      uuid: fx.me.uuid,
      handle: me.account.handle,
      display_name: me.account.display_name,
      email: me.account.email,
    });
    const found = await ok<{ people: Person[] }>(
      call('GET', apiPaths.people(), { query: { query: bob.account.handle.slice(0, 8) } }),
    );
    expect(found.people).toContainEqual(fx.bob);
    for (const person of found.people)
      expect(Object.keys(person).sort()).toEqual(['display_name', 'handle', 'uuid']);
    const mine = await ok<{ people: Person[] }>(
      call('GET', apiPaths.people(), { query: { query: me.account.handle } }),
    );
    expect(mine.people).toEqual([]);
  });

  it('pages with the cursor it answered, reads what is newer with after=, and refuses a tampered cursor', async () => {
    const path = apiPaths.messages(fx.mine);
    const first = await ok<Page<MessageView>>(call('GET', path, { query: { limit: 1 } }));
    const second = await ok<Page<MessageView>>(
      call('GET', path, { query: { limit: 1, cursor: first.cursor } }),
    );
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.sk < first.items[0]!.sk).toBe(true);
    const newer = await ok<{ items: MessageView[] }>(
      call('GET', path, { query: { after: second.items[0]!.sk } }),
    );
    expect(newer.items.map((m) => m.message_uuid)).toContain(first.items[0]!.message_uuid);
    const conversations = await ok<Page<ConversationView>>(
      call('GET', apiPaths.conversations(), { query: { limit: 1, cursor: fx.conversationsCursor } }),
    );
    expect(conversations.items).toHaveLength(1);
    const refused = await call('GET', path, { query: { limit: 1, cursor: tampered(first.cursor!) } });
    expect(refused.status).toBe(400);
    expect(apiErrorBodySchema.parse(refused.body).error.code).toBe('Invalid');
  });

  it('reads a base64-encoded body (a binary content type) as API Gateway passes it', async () => {
    const sent = await ok<MessageView>(
      call('PUT', apiPaths.message(fx.mine, newMessageUuid()), {
        raw: JSON.stringify({ text: 'as octets' }),
        contentType: 'application/octet-stream',
      }),
      201,
    );
    expect(sent.message).toBe('as octets');
  });
});

describe('what the API refuses', () => {
  const NOT_OVER_HTTP: Record<string, string> = {
    // A query string has no types: these are a search for the text "42" and a page of 10.
    'searchUsers: a number': 'a query value is text',
    'listConversations: a page size as text': 'a query value is text',
    'listConversations: null': 'a GET has no payload to be null',
  };

  interface HttpCase {
    name: string;
    expected: number;
    request: () => { method: string; path: string; options: Call };
  }

  /** The trust suite's payloads, each where HTTP carries it: the path, the query or the JSON body. */
  const httpCases: HttpCase[] = Object.entries(messagePayloads).flatMap(([operation, list]) =>
    list
      .filter(([what, , , via]) => !via && !NOT_OVER_HTTP[`${operation}: ${what}`])
      .map(([what, code, payload]) => {
        const request = () => {
          const { groupUuid, messageUuid, ...rest } = payload(fx) as Record<string, unknown>;
          const group = String(groupUuid);
          const routes: Record<MessageOperationName, { method: string; path: string; options: Call }> = {
            searchUsers: { method: 'GET', path: apiPaths.people(), options: { query: rest } },
            listConversations: { method: 'GET', path: apiPaths.conversations(), options: { query: rest } },
            listMessages: { method: 'GET', path: apiPaths.messages(group), options: { query: rest } },
            sendMessage: {
              method: 'PUT',
              path: apiPaths.message(group, String(messageUuid)),
              options: { body: rest },
            },
            startConversation: {
              method: 'POST',
              path: apiPaths.conversations(),
              options: { body: payload(fx) },
            },
            markConversationRead: { method: 'POST', path: apiPaths.read(group), options: { body: rest } },
          };
          return routes[operation as MessageOperationName];
        };
        return { name: `${operation}: ${what}`, expected: statusOf({ code }), request };
      }),
  );

  let before: number;
  beforeAll(async () => {
    before = await items();
  });

  it('takes the trust suite’s payloads over HTTP, all but the few with no HTTP form', () => {
    expect(httpCases.length).toBeGreaterThanOrEqual(50);
    const names = Object.entries(messagePayloads).flatMap(([operation, list]) =>
      list.map(([what]) => `${operation}: ${what}`),
    );
    for (const skipped of Object.keys(NOT_OVER_HTTP)) expect(names).toContain(skipped);
    expect(httpCases.every((c) => c.expected >= 400)).toBe(true);
  });

  it.each(httpCases)('$name: $expected (413 when over a size cap)', async (c) => {
    const { method, path, options } = c.request();
    const bodyBytes = options.body === undefined ? 0 : Buffer.byteLength(JSON.stringify(options.body));
    const urlBytes = JSON.stringify(options.query ?? {}).length + path.length;
    const oversize = bodyBytes > MAX_BODY_BYTES || urlBytes > 10_000;
    const reply = await call(method, path, options);
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(oversize ? 413 : c.expected);
    if (reply.status !== 413) {
      const { error } = apiErrorBodySchema.strict().parse(reply.body);
      expect(statusOf(error)).toBe(c.expected);
    }
  });

  it('wrote nothing for any of them', async () => {
    expect(await items()).toBe(before);
  });

  it('refuses a body over the cap, not JSON or not an object, and an unknown route', async () => {
    const path = apiPaths.message(fx.mine, newMessageUuid());
    const large = await call('PUT', path, { body: { text: 'x'.repeat(MAX_BODY_BYTES) } });
    expect(large.status).toBe(413);
    expect(apiErrorBodySchema.parse(large.body).error).toMatchObject({ code: 'Invalid', reason: 'TooLarge' });
    const largeOctets = await call('PUT', path, {
      raw: JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES) }),
      contentType: 'application/octet-stream',
    });
    expect(largeOctets.status).toBe(413);
    for (const raw of ['{"text":', '["a"]', 'null', '']) {
      const reply = await call('PUT', path, { raw });
      expect(reply.status, raw).toBe(400);
      expect(apiErrorBodySchema.parse(reply.body).error.code).toBe('Invalid');
    }
    expect(await call('GET', '/v1/admin')).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect((await call('DELETE', apiPaths.messages(fx.mine))).status).toBe(404);
    expect((await call('GET', `${apiPaths.conversations()}?limit=1&limit=2`)).status).toBe(400);
  });
});

describe('errors and limits', () => {
  async function gatewayWith(env: Record<string, string>, throttle?: RouteLimits) {
    const other = await startLocalApi({
      config: loadConfig(cloudEnv({ CRUDDUR_TABLE: config.tableName, ...env })),
      port: 0,
      cursorSecret: randomBytes(32),
      ...(throttle ? { throttle } : {}),
    });
    closers.push(() => other.stop());
    return other.url;
  }

  it('answers an unreachable DynamoDB or PostgreSQL with 503 and the generic message, and logs the cause', async () => {
    const log = captureLog();
    const closed = `http://127.0.0.1:${await freePort()}`;
    const noDynamo = await gatewayWith({ CRUDDUR_DYNAMODB_ENDPOINT: closed });
    const noPostgres = await gatewayWith({
      CRUDDUR_DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
    });
    for (const reply of [
      await call('GET', apiPaths.conversations(), { base: noDynamo }),
      await call('GET', apiPaths.me(), { base: noPostgres }),
    ]) {
      expect(reply.status).toBe(503);
      expect(reply.body).toEqual({ error: { code: 'Unavailable', message: GENERIC_MESSAGES.Unavailable } });
    }
    const text = log.text();
    expect(text).toMatch(/request failed.*status=503/);
    expect(text).toContain('ECONNREFUSED');
    expect(text).not.toContain(me.tokens.accessToken.slice(0, 40));
  });

  it('throttles a route past its bucket with 429, each route on its own', async () => {
    const throttled = await gatewayWith({}, { rateLimit: 0.001, burstLimit: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await call('GET', apiPaths.me(), { base: throttled })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await call('GET', apiPaths.me(), { base: throttled })).body).toEqual({
      message: 'Too Many Requests',
    });
    expect((await call('GET', apiPaths.conversations(), { base: throttled })).status).toBe(200);
  });

  it('answers JSON nobody may cache, and logs one line per request without a token', async () => {
    const reply = await call('GET', apiPaths.me());
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(accessLog.at(-1)).toMatch(/^\S+ "GET \/v1\/me" 200 \d+ms$/);
    expect(accessLog.join('\n')).not.toMatch(/eyJ|Bearer/);
  });
});
