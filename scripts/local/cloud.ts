import { join } from 'node:path';
import { loadConfig, type Config } from '../../core/config';
import { AppError } from '../../shared/result';
import type { SeedSizes } from '../seed/plan';
import { runSetup, type SetupReport } from '../admin/setup';
import { startCognitoLocal } from './cognito';
import type { RunningComponent } from './component';
import { startDynamoDbLocal } from './dynamodb';
import { readRunningCloud, removeRunningCloud, writeRunningCloud } from './pid-file';
import { startEmbeddedPostgres } from './postgres';
import { assertJava17, assertPortFree } from './process';
import { startStreamWorker } from './stream-worker';

/**
 * The local cloud: DynamoDB Local, cognito-local, PostgreSQL (embedded unless
 * CRUDDUR_DATABASE_URL names a server) and the stream worker, started together and stopped
 * together. The first start bootstraps and seeds; later starts reuse the data.
 */
export interface LocalCloud {
  config: Config;
  setup: SetupReport;
  stop(): Promise<void>;
}

export interface LocalCloudOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Seed sizes for a first start (an empty table). */
  seed?: Partial<SeedSizes>;
}

const portOf = (url: string) => Number(new URL(url).port || 80);

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const base = loadConfig(env);
  if (base.target !== 'local') {
    throw new AppError(
      'Invalid',
      'npm run local serves CRUDDUR_TARGET=local only; unset CRUDDUR_TARGET to use it',
    );
  }
  const running = await readRunningCloud(base.localDir);
  if (running) {
    throw new AppError(
      'Conflict',
      `the local cloud is already running (pid ${running.pid}); use it, or stop it first (Ctrl+C in its terminal)`,
    );
  }
  const { embeddedPostgres } = base;
  const dynamodbPort = portOf(base.dynamodbEndpoint!);
  const cognitoPort = portOf(base.cognitoEndpoint!);
  const postgresPort = portOf(base.databaseUrl.replace(/^postgres(ql)?:/, 'http:'));

  assertJava17();
  await assertPortFree(dynamodbPort, 'CRUDDUR_DYNAMODB_ENDPOINT', 'http://127.0.0.1:8001');
  await assertPortFree(cognitoPort, 'CRUDDUR_COGNITO_ENDPOINT', 'http://127.0.0.1:9230');
  if (embeddedPostgres) {
    await assertPortFree(postgresPort, 'CRUDDUR_LOCAL_PG_PORT', '5434');
  }

  const components: RunningComponent[] = [];
  const stopComponents = async () => {
    await Promise.allSettled(components.reverse().map((component) => component.stop()));
  };
  try {
    // PGlite's start blocks the event loop for seconds: it goes first, alone, so the readiness
    // checks of the others are not starved.
    if (embeddedPostgres) {
      track(await startEmbeddedPostgres({ port: postgresPort, dataDir: join(base.localDir, 'postgres') }));
    }
    await Promise.all([
      startDynamoDbLocal({ port: dynamodbPort, dataDir: join(base.localDir, 'dynamodb') }).then(track),
      startCognitoLocal({ port: cognitoPort, dataDir: join(base.localDir, 'cognito') }).then(track),
    ]);
    log(`started ${components.map((c) => c.name).join(', ')}`);
    await writeRunningCloud(base.localDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ready: false,
      endpoints: Object.fromEntries(components.map((c) => [c.name, c.endpoint])),
    });
    const setup = await runSetup(base, { seedOnlyWhenEmpty: true, seed: options.seed, log });
    const config = loadConfig(env); // now with the user pool ids the bootstrap wrote
    // After a first start's seed every group item already points at its latest message: the
    // worker need not replay the seed's records, only what comes after.
    const worker = await startStreamWorker({
      config,
      stateFile: join(base.localDir, 'stream-worker.json'),
      startAt: setup.firstStart ? 'latest' : 'oldest',
    });
    components.push({
      name: 'stream worker',
      endpoint: config.tableName,
      pid: undefined,
      stop: () => worker.stop(),
    });
    await writeRunningCloud(base.localDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ready: true,
      endpoints: Object.fromEntries(components.map((c) => [c.name, c.endpoint])),
    });
    return {
      config,
      setup,
      async stop() {
        await stopComponents();
        await removeRunningCloud(base.localDir);
      },
    };
  } catch (error) {
    await stopComponents();
    await removeRunningCloud(base.localDir);
    throw error;
  }

  function track(component: RunningComponent): RunningComponent {
    components.push(component);
    return component;
  }
}
