import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCognitoClient } from '../../core/clients';
import { loadConfig, type Config } from '../../core/config';
import { loadOrCreateCursorSecret } from '../../core/messages';
import { AppError } from '../../shared/result';
import { ensureLocalUserPool } from '../admin/cognito-pool';
import { loadUsersSchema, openDatabase } from '../admin/postgres';
import { runSetup, type SetupReport } from '../admin/setup';
import type { SeedSizes } from '../seed/plan';
import { startCognitoLocal } from './cognito';
import type { RunningComponent } from './component';
import { startDynamoDbLocal } from './dynamodb';
import { readRunningCloud, removeRunningCloud, writeRunningCloud } from './pid-file';
import { startEmbeddedPostgres } from './postgres';
import { assertJava17, assertPortFree, freePort } from './process';
import { DeadLetterFile } from './dead-letters';
import { startStreamWorker } from './stream-worker';
import { startLocalApi } from './api-gateway';

/**
 * The one way a local cloud starts, for the app (`npm run local`, and `npm start` through it),
 * the tests and the benchmarks: DynamoDB Local, cognito-local, PostgreSQL (embedded unless
 * CRUDDUR_DATABASE_URL names a server), the message API (as API Gateway would serve it) and the
 * stream worker, started together and stopped together. The defaults are the app's; tests and
 * the bench say what differs.
 */
export type LocalCloudOptions = CommonOptions & PartsAndSetup;

interface CommonOptions {
  /** The CRUDDUR_* variables to start from (table, region, fixed ports, data dir); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** 'fixed' (default): the config's ports, a taken one named with its variable; 'free': ports the OS hands out. */
  ports?: 'fixed' | 'free';
  /**
   * 'persistent' (default): the config's localDir, kept, one cloud at a time (its pid file says
   * which runs); 'temporary': a new folder, removed on stop.
   */
  dataDir?: 'persistent' | 'temporary';
  /**
   * Where DynamoDB Local and PGlite keep their data: 'disk' (default, in the data dir) or
   * 'memory': on disk every DynamoDB write waits for an fsync (~56 items/s here against ~500).
   */
  storage?: 'disk' | 'memory';
  /**
   * The stream worker: 'off' (default), from the 'oldest' or 'latest' record, or 'auto': 'latest'
   * when this start seeded the table or finished its seed (its group items already point at
   * their last messages), else 'oldest'.
   */
  streamWorker?: 'off' | 'oldest' | 'latest' | 'auto';
  log?: (line: string) => void;
}

/**
 * Which parts run: 'all' (the default), or 'dynamodb' alone (the bench: patterns A and B and the
 * seed need nothing else). Once they run, `setup` makes: 'none' (the default); 'bootstrap', the
 * user pool and the users schema; or `{ seed }`, all of `npm run setup`, seeding an empty table.
 */
type PartsAndSetup =
  | { parts?: 'all'; setup?: 'none' | 'bootstrap' | { seed: Partial<SeedSizes> } }
  | { parts: 'dynamodb'; setup?: 'none' };

export interface LocalCloud {
  /** The CRUDDUR_* variables that point a config, a script or the app at this cloud. */
  env: Record<string, string>;
  config: Config;
  /** What the setup did, when it was `{ seed }`. */
  setup: SetupReport | undefined;
  /**
   * The message API's base URL (parts 'all'). The env does not point the app at it: the default
   * mode stays direct, and whoever wants API mode sets CRUDDUR_API_URL to this.
   */
  apiUrl: string | undefined;
  /** The DynamoDB Local java process (the bench's memory figure). */
  dynamodbPid: number | undefined;
  /** Stops every part that started; any number of calls, one stop. */
  stop(): Promise<void>;
}

const portOf = (url: string) => Number(new URL(url).port || 80);

export function startLocalCloud(
  options: LocalCloudOptions & { setup: { seed: Partial<SeedSizes> } },
): Promise<LocalCloud & { setup: SetupReport }>;
export function startLocalCloud(options?: LocalCloudOptions): Promise<LocalCloud>;
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  // The SDK warns on every client that its 2027 releases will need Node 22; we know.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const inputEnv = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const base = loadConfig(inputEnv);
  if (base.target !== 'local') {
    throw new AppError(
      'Invalid',
      'the local cloud serves CRUDDUR_TARGET=local only; unset CRUDDUR_TARGET to use it',
    );
  }
  const persistent = (options.dataDir ?? 'persistent') === 'persistent';
  if (persistent) {
    const running = await readRunningCloud(base.localDir);
    if (running) {
      throw new AppError(
        'Conflict',
        `the local cloud is already running (pid ${running.pid}); use it, or stop it first (Ctrl+C in its terminal)`,
      );
    }
  }
  const all = (options.parts ?? 'all') === 'all';
  const embeddedPostgres = all && base.embeddedPostgres;
  assertJava17();
  const ports = await choosePorts(base, options.ports ?? 'fixed', {
    cognito: all,
    postgres: embeddedPostgres,
    api: all,
  });
  const dir = persistent ? base.localDir : await mkdtemp(join(tmpdir(), 'cruddur-cloud-'));
  const inMemory = options.storage === 'memory';

  const components: RunningComponent[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.allSettled(components.reverse().map((component) => component.stop()));
      await (persistent ? removeRunningCloud(dir) : rm(dir, { recursive: true, force: true }));
    })());
  const track = <C extends RunningComponent>(component: C): C => {
    components.push(component);
    return component;
  };
  const markRunning = (ready: boolean) =>
    persistent
      ? writeRunningCloud(dir, {
          pid: process.pid,
          startedAt: new Date().toISOString(),
          ready,
          endpoints: Object.fromEntries(components.map((c) => [c.name, c.endpoint])),
        })
      : Promise.resolve();

  try {
    if (persistent) await mkdir(dir, { recursive: true });
    const env: Record<string, string> = { CRUDDUR_TARGET: 'local', CRUDDUR_LOCAL_DIR: dir };
    // PGlite's start blocks the event loop for a second or more: it goes first, alone, so the
    // readiness checks of the others are not starved.
    if (embeddedPostgres) {
      const postgres = await startEmbeddedPostgres({
        port: ports.postgres,
        dataDir: inMemory ? undefined : join(dir, 'postgres'),
      });
      env['CRUDDUR_DATABASE_URL'] = track(postgres).endpoint;
    } else if (all) {
      env['CRUDDUR_DATABASE_URL'] = base.databaseUrl;
    }
    const dynamodbStart = startDynamoDbLocal({
      port: ports.dynamodb,
      dataDir: inMemory ? undefined : join(dir, 'dynamodb'),
    }).then(track);
    const cognitoStart = all
      ? startCognitoLocal({ port: ports.cognito, dataDir: join(dir, 'cognito') }).then(track)
      : undefined;
    // Both settle before a failure is thrown, so neither is still starting, to be left running.
    await Promise.allSettled([dynamodbStart, cognitoStart]);
    const dynamodb = await dynamodbStart;
    const cognito = await cognitoStart;
    env['CRUDDUR_DYNAMODB_ENDPOINT'] = dynamodb.endpoint;
    if (cognito) env['CRUDDUR_COGNITO_ENDPOINT'] = cognito.endpoint;
    log(`started ${components.map((c) => `${c.name} at ${c.endpoint}`).join(', ')}`);
    await markRunning(false);

    const setup = await runSetupStep(loadConfig({ ...inputEnv, ...env }), options.setup ?? 'none', log);
    if (setup.ids) {
      env['CRUDDUR_USER_POOL_ID'] = setup.ids.userPoolId;
      env['CRUDDUR_USER_POOL_CLIENT_ID'] = setup.ids.userPoolClientId;
    }
    let apiUrl: string | undefined;
    if (all) {
      // Its token checks read the pool's ids when the first request comes, not now.
      const api = await startLocalApi({
        config: loadConfig({ ...inputEnv, ...env }),
        port: ports.api,
        cursorSecret: loadOrCreateCursorSecret(join(dir, 'api-cursor.key')),
      });
      track({ name: 'message API', endpoint: api.url, stop: () => api.stop() });
      apiUrl = api.url;
      env['CRUDDUR_LOCAL_API_PORT'] = String(api.port);
    }
    const config = loadConfig({ ...inputEnv, ...env });
    const streamWorker = options.streamWorker ?? 'off';
    if (streamWorker !== 'off') {
      const seeded = setup.report && setup.report.messages !== 'kept';
      const startAt = streamWorker === 'auto' ? (seeded ? 'latest' : 'oldest') : streamWorker;
      const deadLetters = new DeadLetterFile(join(dir, 'dead-letters.jsonl'));
      const worker = await startStreamWorker({
        config,
        stateFile: join(dir, 'stream-worker.json'),
        deadLetterFile: deadLetters.file,
        startAt,
      });
      track({ name: 'stream worker', endpoint: config.tableName, stop: () => worker.stop() });
      const setAside = await deadLetters.count();
      if (setAside > 0) {
        log(
          `${setAside} stream record${setAside === 1 ? ' was' : 's were'} set aside; see ${deadLetters.file}`,
        );
      }
    }
    await markRunning(true);
    return { env, config, setup: setup.report, apiUrl, dynamodbPid: dynamodb.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function choosePorts(
  base: Config,
  ports: 'fixed' | 'free',
  needs: { cognito: boolean; postgres: boolean; api: boolean },
): Promise<{ dynamodb: number; cognito: number; postgres: number; api: number }> {
  if (ports === 'free') {
    const [dynamodb, cognito, postgres] = await Promise.all([freePort(), freePort(), freePort()]);
    // The API listens on port 0 itself: the OS picks, and nothing can take it in between.
    return { dynamodb, cognito, postgres, api: 0 };
  }
  const chosen = {
    // On target local the config always has both endpoints.
    dynamodb: portOf(base.dynamodbEndpoint!),
    cognito: portOf(base.cognitoEndpoint!),
    postgres: portOf(base.databaseUrl.replace(/^postgres(ql)?:/, 'http:')),
    api: base.localApiPort,
  };
  await assertPortFree(chosen.dynamodb, 'CRUDDUR_DYNAMODB_ENDPOINT', 'http://127.0.0.1:8001');
  if (needs.cognito)
    await assertPortFree(chosen.cognito, 'CRUDDUR_COGNITO_ENDPOINT', 'http://127.0.0.1:9230');
  if (needs.postgres) await assertPortFree(chosen.postgres, 'CRUDDUR_LOCAL_PG_PORT', '5434');
  if (needs.api) await assertPortFree(chosen.api, 'CRUDDUR_LOCAL_API_PORT', '8788');
  return chosen;
}

interface SetupOutcome {
  ids?: { userPoolId: string; userPoolClientId: string };
  report?: SetupReport;
}

async function runSetupStep(
  config: Config,
  setup: NonNullable<PartsAndSetup['setup']>,
  log: (line: string) => void,
): Promise<SetupOutcome> {
  if (setup === 'none') return {};
  if (setup === 'bootstrap') {
    const cognito = createCognitoClient(config);
    const pool = openDatabase(config);
    try {
      const { userPoolId, userPoolClientId } = await ensureLocalUserPool(cognito, config.localDir);
      await loadUsersSchema(pool);
      return { ids: { userPoolId, userPoolClientId } };
    } finally {
      cognito.destroy();
      await pool.end();
    }
  }
  const report = await runSetup(config, { seedOnce: true, seed: setup.seed, log });
  const { userPoolId, userPoolClientId } = report;
  return { ids: userPoolClientId ? { userPoolId, userPoolClientId } : undefined, report };
}
