import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { writeFileAtomic } from '../../core/files';
import type { RunningComponent } from './component';

/**
 * Embedded PostgreSQL (PGlite) served on 127.0.0.1 over the ordinary wire protocol, so `pg` and
 * every script talk to it like to any server. PGlite runs one session: the socket server queues
 * queries from all connections into it, so callers keep to single statements (no BEGIN…COMMIT
 * spanning round trips). Without a `dataDir` the database lives in memory and is gone on stop.
 */
export async function startEmbeddedPostgres(options: {
  port: number;
  dataDir?: string;
}): Promise<RunningComponent> {
  const db = await openDatabase(options.dataDir === undefined ? undefined : resolve(options.dataDir));
  const server = new PGLiteSocketServer({ db, port: options.port, host: '127.0.0.1', maxConnections: 32 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    name: 'PostgreSQL (PGlite)',
    endpoint: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

async function openDatabase(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION'))) return PGlite.create(dataDir);
  // A new cluster is made by loading a dump of an empty one (~1 s) instead of running initdb
  // (6-8 s and ~800 MB): that keeps the tests' set-up fast. The dump is made once per PGlite
  // version, kept under node_modules/.cache, and made again when it does not load.
  const file = await dumpFile();
  const kept = await readFile(file).catch(() => undefined);
  if (kept) {
    const db = await loadCluster(dataDir, new Blob([kept])).catch(() => undefined);
    if (db) return db;
  }
  const fresh = await PGlite.create();
  const dump = await fresh.dumpDataDir('none');
  await fresh.close();
  await writeFileAtomic(file, Buffer.from(await dump.arrayBuffer()));
  return loadCluster(dataDir, dump);
}

async function loadCluster(dataDir: string | undefined, dump: Blob): Promise<PGlite> {
  if (dataDir) {
    // Whatever a dump that failed to load left there goes first.
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
  }
  return PGlite.create(dataDir, { loadDataDir: dump });
}

async function dumpFile(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const packageJson = join(entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`)), 'package.json');
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return join(root, 'node_modules', '.cache', 'cruddur-pglite', `empty-cluster-${version}.tar`);
}
