import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../core/config';
import { createDynamoClient } from '../../core/clients';
import { ensureTable } from '../../core/table';

/** The environment that points at this run's local cloud (see local-cloud-setup.ts). */
export function cloudEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...inject('cloudEnv'), ...extra };
}

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig(cloudEnv(extra));
}

/** A table name no other test file uses, so files can run side by side. */
export function uniqueTableName(prefix = 'test'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A config with its own freshly created table. */
export async function configWithTable(prefix?: string): Promise<Config> {
  const config = testConfig({ CRUDDUR_TABLE: uniqueTableName(prefix) });
  const db = createDynamoClient(config);
  await ensureTable(db, config.tableName);
  db.destroy();
  return config;
}

export function pgPool(config: Config = testConfig()): pg.Pool {
  return new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
}

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run <script> -- args` the way an admin would (tsx, a fresh process), against the test cloud. */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = cloudEnv(),
): Promise<ScriptResult> {
  const file = resolve('scripts', `${script.replace(':', '/')}.ts`);
  return new Promise((done) => {
    execFile(
      resolve('node_modules/.bin/tsx'),
      [file, ...args],
      { env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
