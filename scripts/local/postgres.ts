import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { RunningComponent } from './component';

/**
 * Embedded PostgreSQL (PGlite) served on 127.0.0.1 over the ordinary wire protocol, so `pg` and
 * every script talk to it like to any server. PGlite runs one session: the socket server queues
 * queries from all connections into it, so callers keep to single statements (no BEGIN…COMMIT
 * spanning round trips).
 */
export async function startEmbeddedPostgres(options: {
  port: number;
  dataDir: string;
}): Promise<RunningComponent> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port: options.port, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  return {
    name: 'PostgreSQL (PGlite)',
    endpoint: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    pid: undefined,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
