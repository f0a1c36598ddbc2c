import { describe, expect, it } from 'vitest';
import { createApiHandler, type ApiGatewayV2Event, type ApiHandlerDeps } from '../../core/api/handler';
import { GENERIC_MESSAGES, publicError } from '../../core/api/reply';
import { API_ROUTES } from '../../core/api/wire';
import type { DirectoryUser } from '../../core/users/directory';
import { AuthError } from '../../shared/auth';
import { AppError } from '../../shared/result';
import { readEnvironment } from '../../aws/api/environment';

/**
 * The handler's own rules, without a cloud: who the caller is (the claims, the directory, the
 * cache), what an error may say, and what the Lambda entry takes from the stack. Everything
 * through HTTP is tests/integration/api-http.test.ts.
 */
const ROW: DirectoryUser = {
  uuid: '0191f0a0-0000-7000-8000-000000000001',
  handle: 'ann',
  display_name: 'Ann',
  email: 'ann@cruddur.test',
  cognito_user_id: 'sub-ann',
};

function event(claims: Record<string, string>, routeKey: string = API_ROUTES.me): ApiGatewayV2Event {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/v1/me',
    rawQueryString: '',
    headers: { authorization: 'Bearer t' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'GET', path: '/v1/me', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey,
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
      authorizer: { jwt: { claims, scopes: null } },
    },
    isBase64Encoded: false,
  };
}

const ACCESS = { token_use: 'access', sub: 'sub-ann', username: 'ann', client_id: 'c' };
const silent = { info: () => {}, warn: () => {}, error: () => {} };

function harness(now = () => 0) {
  const reads: string[] = [];
  const deps = {
    directory: { search: async () => [] },
    links: {
      // As DirectoryLinks.linked: the row of the sub, refused when it has another handle.
      linked: async ({ sub, username }: { sub: string; username: string }) => {
        reads.push(sub);
        if (sub !== ROW.cognito_user_id) return undefined;
        if (username !== ROW.handle) throw new AuthError('HandleTaken');
        return ROW;
      },
      linkOrCreate: async () => {
        throw new Error('not linked in these tests');
      },
    },
    cognito: {
      getUser: async () => {
        throw new Error('not asked in these tests');
      },
    },
    messages: {} as ApiHandlerDeps['messages'],
    log: silent,
    now,
  } satisfies ApiHandlerDeps;
  return { handler: createApiHandler(deps), reads };
}

describe('the caller', () => {
  it('is refused, without a directory read, when the claims are an ID token’s or lack the username', async () => {
    const { handler, reads } = harness();
    const refused: Record<string, string>[] = [
      { ...ACCESS, token_use: 'id' },
      { token_use: 'id', sub: 'sub-ann', 'cognito:username': 'ann', aud: 'c' },
      { token_use: 'access', sub: 'sub-ann' },
    ];
    for (const claims of refused) {
      const result = await handler(event(claims));
      expect(result.statusCode).toBe(401);
      expect(JSON.parse(result.body!)).toMatchObject({ error: { code: 'Unauthenticated' } });
    }
    expect(reads).toEqual([]);
  });

  it('is read once a minute per sub, and never served from the cache under another username', async () => {
    let time = 0;
    const { handler, reads } = harness(() => time);
    expect((await handler(event(ACCESS))).statusCode).toBe(200);
    expect((await handler(event(ACCESS))).statusCode).toBe(200);
    expect(reads).toHaveLength(1);
    // The row linked to the sub has another handle: not this person's (as DirectoryLinks checks).
    const other = await handler(event({ ...ACCESS, username: 'mallory' }));
    expect(other.statusCode).toBe(409);
    expect(reads).toHaveLength(2);
    time = 61_000;
    expect(JSON.parse((await handler(event(ACCESS))).body!)).toEqual({
      uuid: ROW.uuid,
      handle: 'ann',
      display_name: 'Ann',
      email: 'ann@cruddur.test',
    });
    expect(reads).toHaveLength(3);
  });

  it('answers 404 to a route the API does not have, before reading anyone', async () => {
    const { handler, reads } = harness();
    for (const routeKey of ['constructor', 'toString'])
      expect((await handler(event(ACCESS, routeKey))).statusCode).toBe(404);
    const result = await handler(event(ACCESS, 'DELETE /v1/me'));
    expect(result.statusCode).toBe(404);
    expect(result.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(reads).toEqual([]);
  });
});

describe('what an error may say', () => {
  it('keeps a service’s own words, and replaces what came from the SDK, pg or Node', () => {
    expect(publicError(new AppError('Invalid', 'text: too long'))).toEqual({
      code: 'Invalid',
      message: 'text: too long',
    });
    const fromPg = new AppError('Unavailable', 'connect ECONNREFUSED 10.0.0.5:5432', {
      cause: new Error('x'),
    });
    expect(publicError(fromPg)).toEqual({ code: 'Unavailable', message: GENERIC_MESSAGES.Unavailable });
    const internal = new AppError('Internal', 'relation "users" does not exist');
    expect(publicError(internal)).toEqual({ code: 'Internal', message: GENERIC_MESSAGES.Internal });
    expect(publicError(new AuthError('SessionExpired', undefined, { cause: new Error('x') }))).toMatchObject({
      code: 'Unauthenticated',
      reason: 'SessionExpired',
    });
  });
});

describe('what the stack gives', () => {
  it('names every missing or malformed variable of the Lambda in one line', () => {
    const error = (() => {
      try {
        readEnvironment({ TABLE_NAME: 'cruddur-messages', CURSOR_SECRET_ARN: 'not-an-arn' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toBe(
      "the API Lambda's environment lacks a valid CURSOR_SECRET_ARN, DB_PROXY_ENDPOINT, DB_NAME, DB_USER, USER_POOL_ID, USER_POOL_CLIENT_ID, AWS_REGION",
    );
  });
});
