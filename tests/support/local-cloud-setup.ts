import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { loadConfig } from '../../core/config';
import { createCognitoClient } from '../../core/clients';
import { USERS_SCHEMA_SQL } from '../../core/users/directory';
import { ensureLocalUserPool } from '../../scripts/admin/cognito-pool';
import { startCognitoLocal } from '../../scripts/local/cognito';
import { startDynamoDbLocal } from '../../scripts/local/dynamodb';
import { startEmbeddedPostgres } from '../../scripts/local/postgres';
import { freePort } from '../../scripts/local/process';

export { freePort };

declare module 'vitest' {
  export interface ProvidedContext {
    /** CRUDDUR_* variables that point the config (and any script) at this run's local cloud. */
    cloudEnv: Record<string, string>;
  }
}

/**
 * Starts a real local cloud on free ports in a temporary folder: DynamoDB Local, cognito-local
 * with its user pool, and PostgreSQL with the users schema. Returns the CRUDDUR_* variables that
 * point at it, and how to stop it.
 */
export async function startTestCloud(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const dir = await mkdtemp(join(tmpdir(), 'cruddur-it-'));
  const [ddbPort, cognitoPort, pgPort] = await Promise.all([freePort(), freePort(), freePort()]);
  // PGlite's first start blocks the event loop for seconds: start it alone, before the others
  // are waiting on readiness checks that could not run meanwhile.
  const postgres = await startEmbeddedPostgres({ port: pgPort, dataDir: join(dir, 'postgres') });
  const [dynamodb, cognito] = await Promise.all([
    // In memory: on disk every write waits for an fsync (~56 items/s here against ~500 in memory).
    startDynamoDbLocal({ port: ddbPort }),
    startCognitoLocal({ port: cognitoPort, dataDir: join(dir, 'cognito') }),
  ]);
  const components = [dynamodb, cognito, postgres];
  const env: Record<string, string> = {
    CRUDDUR_TARGET: 'local',
    CRUDDUR_LOCAL_DIR: dir,
    CRUDDUR_DYNAMODB_ENDPOINT: dynamodb.endpoint,
    CRUDDUR_COGNITO_ENDPOINT: cognito.endpoint,
    CRUDDUR_DATABASE_URL: postgres.endpoint,
  };
  const ids = await ensureLocalUserPool(createCognitoClient(loadConfig(env)), dir);
  env['CRUDDUR_USER_POOL_ID'] = ids.userPoolId;
  env['CRUDDUR_USER_POOL_CLIENT_ID'] = ids.userPoolClientId;
  const client = new pg.Client(postgres.endpoint);
  await client.connect();
  await client.query(USERS_SCHEMA_SQL);
  await client.end();
  return {
    env,
    async stop() {
      await Promise.all(components.map((component) => component.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** vitest global setup of the integration project. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cloud = await startTestCloud();
  project.provide('cloudEnv', cloud.env);
  return cloud.stop;
}
