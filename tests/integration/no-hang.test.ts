import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_TIMEOUT_MS, REQUEST_TIMEOUT_MS, SERVICE_CALL_BOUND_MS } from '../../core/clients';
import { createBackend, type Backend } from '../../electron/main/backend';
import { createHandlers } from '../../electron/main/handlers';
import type { Handlers } from '../../electron/main/ipc/register';
import { openDatabase } from '../../scripts/admin/postgres';
import { startDynamoDbLocal } from '../../scripts/local/dynamodb';
import { queryRows } from '../../core/users/query';
import { confirmedAccount, authHarness, type TestAccount } from '../support/auth';
import { cloudEnv, runScript, testConfig, type ScriptResult } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';
import { freezableProxy, silentServer, type StallingServer } from '../support/stalling-servers';
import { TestCipher } from '../support/test-cipher';

/** A spawned script's own start (tsx compiling on a loaded machine) comes on top of the bound. */
const SCRIPT_START_MS = 15_000;
/** An in-process call: timers fire a little late on a busy machine. */
const SLACK_MS = 3_000;

let silent: StallingServer;
let account: TestAccount;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  silent = await silentServer();
  const harness = await authHarness();
  account = await confirmedAccount(harness.service);
  await harness.close();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await silent.close();
});

const silentHttp = () => `http://127.0.0.1:${silent.port}`;
/** The test cloud's database URL, with its port replaced. */
const databaseUrlAt = (port: number) => {
  const url = new URL(testConfig().databaseUrl);
  url.port = String(port);
  return url.toString();
};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; outcome: T | unknown }> {
  const started = performance.now();
  const outcome = await work().catch((error: unknown) => error);
  return { ms: performance.now() - started, outcome };
}

/** The app's main process as electron/main/index.ts builds it, with some services replaced. */
async function app(env: Record<string, string>): Promise<{ handlers: Handlers; backend: Backend }> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'cruddur-no-hang-'));
  const config = testConfig(env);
  const backend = createBackend({
    config,
    secretStore: new TestCipher(),
    userDataDir,
    publish: () => undefined,
    isFocused: () => true,
  });
  cleanups.push(async () => {
    await backend.close();
    await rm(userDataDir, { recursive: true, force: true });
  });
  return { handlers: createHandlers({ config, appVersion: 'test', backend: () => backend }), backend };
}

const signIn = (handlers: Handlers) =>
  handlers.signIn({ handle: account.handle, password: account.password });

function expectExit5(result: ScriptResult, service: RegExp): void {
  expect(result.code, result.stderr).toBe(5);
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toMatch(new RegExp(`^error: ${service.source} .*cannot be reached`));
}

// Both wait out the same bound on their own silent services: side by side, not one after the other.
describe.concurrent('a service that accepts connections and never answers', () => {
  it(
    'makes the admin scripts exit 5 with one line, within the stated bound',
    async () => {
      const script = (name: string, args: string[], env: Record<string, string>) =>
        timed(() => runScript(name, args, cloudEnv(env)));
      const runs = await Promise.all([
        script('ddb:list-tables', [], { CRUDDUR_DYNAMODB_ENDPOINT: silentHttp() }),
        script('cognito:list-users', [], { CRUDDUR_COGNITO_ENDPOINT: silentHttp() }),
        script('db:schema-load', [], { CRUDDUR_DATABASE_URL: databaseUrlAt(silent.port) }),
      ]);
      const [dynamo, cognito, postgres] = runs.map((run) => run.outcome as ScriptResult);
      expectExit5(dynamo!, /DynamoDB/);
      expectExit5(cognito!, /Cognito/);
      expectExit5(postgres!, /PostgreSQL/);
      for (const run of runs) expect(run.ms).toBeLessThan(SERVICE_CALL_BOUND_MS + SCRIPT_START_MS);
    },
    2 * (SERVICE_CALL_BOUND_MS + SCRIPT_START_MS),
  );

  it(
    'makes the app answer Unavailable within the bound: DynamoDB, Cognito sign-in, PostgreSQL',
    async () => {
      const [dynamo, cognito, postgres] = await Promise.all([
        app({ CRUDDUR_DYNAMODB_ENDPOINT: silentHttp() }),
        app({ CRUDDUR_COGNITO_ENDPOINT: silentHttp() }),
        app({ CRUDDUR_DATABASE_URL: databaseUrlAt(silent.port) }),
      ]);
      await signIn(dynamo.handlers);
      const [list, signInCognito, signInPostgres] = await Promise.all([
        timed(() => dynamo.handlers.listConversations({})),
        timed(() => signIn(cognito.handlers)),
        timed(() => signIn(postgres.handlers)),
      ]);
      expect(list.outcome).toMatchObject({ code: 'Unavailable', message: /DynamoDB/ });
      expect(list.ms).toBeLessThan(SERVICE_CALL_BOUND_MS + SLACK_MS);
      expect(signInCognito.outcome).toMatchObject({ code: 'Unavailable' });
      expect(signInCognito.ms).toBeLessThan(SERVICE_CALL_BOUND_MS + SLACK_MS);
      expect(signInPostgres.outcome).toMatchObject({ code: 'Unavailable', message: /PostgreSQL/ });
      expect(signInPostgres.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    },
    2 * (SERVICE_CALL_BOUND_MS + SLACK_MS),
  );
});

describe('a PostgreSQL that stops answering mid-session', () => {
  let proxy: Awaited<ReturnType<typeof freezableProxy>>;
  beforeAll(async () => {
    proxy = await freezableProxy(Number(new URL(testConfig().databaseUrl).port));
    cleanups.push(() => proxy.close());
  });

  it(
    'answers Unavailable in the app and in a script within the query bound',
    async () => {
      const { handlers } = await app({ CRUDDUR_DATABASE_URL: databaseUrlAt(proxy.port) });
      await signIn(handlers); // connected: the pool holds a live session through the proxy
      const admin = openDatabase({ databaseUrl: databaseUrlAt(proxy.port) });
      cleanups.push(() => admin.end());
      await queryRows(admin, 'SELECT 1');

      proxy.freeze();
      const [search, query] = await Promise.all([
        timed(() => handlers.searchUsers({ query: account.handle })),
        timed(() => queryRows(admin, 'SELECT 1', [], 'PostgreSQL at the proxy')),
      ]);
      expect(search.outcome).toMatchObject({ code: 'Unavailable', message: /PostgreSQL/ });
      expect(query.outcome).toMatchObject({ code: 'Unavailable', message: /PostgreSQL at the proxy/ });
      for (const call of [search, query]) expect(call.ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    },
    4 * (REQUEST_TIMEOUT_MS + SLACK_MS),
  );
});

describe('DynamoDB Local', () => {
  it('runs with its heap bounded to 512 MB, not a quarter of RAM', async () => {
    const dynamo = await startDynamoDbLocal({ port: await freePort() });
    try {
      // The java launcher reads JDK_JAVA_OPTIONS from its environment as if given on its command line.
      const environment = readFileSync(`/proc/${dynamo.pid}/environ`, 'utf8').split('\0');
      expect(environment).toContain('JDK_JAVA_OPTIONS=-Xmx512m');
      expect(process.env['JDK_JAVA_OPTIONS']).toBeUndefined();
    } finally {
      await dynamo.stop();
    }
  }, 120_000);
});
