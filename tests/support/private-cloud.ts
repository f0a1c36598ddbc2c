import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ensureLocalUserPool, type PoolIds } from '../../scripts/admin/cognito-pool';
import { startEmbeddedPostgres } from '../../scripts/local/postgres';
import { freePort } from '../../scripts/local/process';

/**
 * Parts of a local cloud that belong to ONE test file. All files share the run's Postgres and
 * user pool, and the admin scripts act on the whole users table and the whole pool, so the tests
 * of those scripts get their own: the local cloud's PostgreSQL, in memory (~1 s to start, gone
 * when stopped), and a fresh pool in the shared cognito-local.
 */
export async function startPrivatePostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const postgres = await startEmbeddedPostgres({ port: await freePort() });
  return { url: postgres.endpoint, stop: () => postgres.stop() };
}

/** A new user pool and app client, defined exactly like the local cloud's own. */
export async function createPrivateUserPool(cognito: CognitoIdentityProviderClient): Promise<PoolIds> {
  const dir = await mkdtemp(join(tmpdir(), 'cruddur-pool-'));
  try {
    const { userPoolId, userPoolClientId } = await ensureLocalUserPool(cognito, dir);
    return { userPoolId, userPoolClientId };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface ListUsersBody {
  Limit?: number;
  PaginationToken?: string;
  [key: string]: unknown;
}

/**
 * cognito-local answers ListUsers with every user at once, ignoring Limit and PaginationToken. This
 * pass-through proxy re-pages its real answers the way AWS does (at most `maxPageSize` users a page,
 * an opaque PaginationToken until the last page), so the scripts' pagination runs against real data.
 * Every other request goes through untouched.
 */
export async function startPagingProxy(
  target: string,
  maxPageSize: number,
): Promise<{ endpoint: string; listUsersPages: () => number; close(): Promise<void> }> {
  let pages = 0;
  const server = createServer((request, response) => {
    void (async () => {
      const operation = String(request.headers['x-amz-target'] ?? '');
      let body = await readBody(request);
      const paging = operation.endsWith('.ListUsers');
      let offset = 0;
      let limit = maxPageSize;
      if (paging) {
        const { Limit, PaginationToken, ...rest } = JSON.parse(body) as ListUsersBody;
        offset = PaginationToken ? Number(Buffer.from(PaginationToken, 'base64url').toString()) : 0;
        limit = Math.min(Limit ?? 60, maxPageSize);
        body = JSON.stringify(rest);
        pages += 1;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === 'string' && !['host', 'content-length', 'connection'].includes(entry[0]),
        ),
      );
      const upstream = await fetch(`${target}${request.url ?? '/'}`, {
        method: request.method,
        headers,
        body,
      });
      let text = await upstream.text();
      if (paging && upstream.ok) {
        const { Users = [] } = JSON.parse(text) as { Users?: unknown[] };
        const next = offset + limit;
        text = JSON.stringify({
          Users: Users.slice(offset, next),
          ...(next < Users.length
            ? { PaginationToken: Buffer.from(String(next)).toString('base64url') }
            : {}),
        });
      }
      response.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      response.end(text);
    })().catch((error: unknown) => {
      response.writeHead(502).end(String(error));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    listUsersPages: () => pages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
