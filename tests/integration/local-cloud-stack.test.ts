import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { loadConfig } from '../../core/config';
import { MESSAGE_GROUP_INDEX, groupPk, messagePk } from '../../shared/model';
import { startLocalCloud } from '../../scripts/local/cloud';
import { planSeed, type SeedSizes } from '../../scripts/seed/plan';
import { freePort, isPortInUse } from '../../scripts/local/process';
import { runScript } from '../support/cloud';

/**
 * `npm run local` as a person runs it: a real process that starts DynamoDB Local, cognito-local,
 * PostgreSQL and the stream worker on free ports, prints when ready, and stops them all.
 */
let dir: string;
let env: Record<string, string>;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number>;
  /** The CRUDDUR_* variables it was started with. */
  env: () => Record<string, string>;
}

/** Every local cloud a test started, stopped in afterAll even when the test failed midway. */
const started: ChildProcess[] = [];

/** `detached`: in a process group of its own, which a test can Ctrl+C (SIGINT) as a terminal does. */
function startLocal(extraEnv: Record<string, string> = {}, args: string[] = [], detached = false): Running {
  let output = '';
  // As `npm run local` runs it: tsx as a loader, so a signal reaches the local cloud itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts', ...args], {
    env: { ...process.env, ...env, ...extraEnv, NO_COLOR: '1' },
    detached,
  });
  started.push(child);
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((done) =>
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1))),
  );
  return { child, output: () => output, exited, env: () => ({ ...env, ...extraEnv }) };
}

async function untilOutput(running: Running, text: string): Promise<void> {
  for (let i = 0; i < 1_200; i++) {
    if (running.output().includes(text)) return;
    if (running.child.exitCode !== null) throw new Error(`local cloud exited:\n${running.output()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`local cloud never said '${text}':\n${running.output()}`);
}

async function untilReady(running: Running): Promise<void> {
  for (let i = 0; i < 1_200; i++) {
    if (running.output().includes('Press Ctrl+C')) return;
    if (running.child.exitCode !== null) throw new Error(`local cloud exited:\n${running.output()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`local cloud not ready:\n${running.output()}`);
}

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

/** The processes still alive a moment after a stop (the OS needs a beat to reap them). */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((done) => setTimeout(done, 100));
  return pids.filter(alive);
}

beforeAll(async () => {
  // The real on-disk layout, on a RAM disk where there is one: disk flushes make seeding slow.
  dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'cruddur-stack-'));
  const [dynamodb, cognito, postgres, api] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  env = {
    CRUDDUR_LOCAL_DIR: dir,
    CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamodb}`,
    CRUDDUR_COGNITO_ENDPOINT: `http://127.0.0.1:${cognito}`,
    CRUDDUR_LOCAL_PG_PORT: String(postgres),
    CRUDDUR_LOCAL_API_PORT: String(api),
  };
});

afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(
    started.map((child) =>
      child.exitCode === null && child.signalCode === null
        ? new Promise((done) => child.once('exit', done))
        : undefined,
    ),
  );
  await rm(dir, { recursive: true, force: true });
});

describe('npm run local', () => {
  it('starts, serves the scripts, refuses a second start, and stops with nothing left behind', async () => {
    const coldStart = performance.now();
    const local = startLocal({}, ['--users', '3', '--groups', '2', '--messages', '1100']);
    await untilReady(local);
    const coldSeconds = (performance.now() - coldStart) / 1000;
    expect(local.output()).toContain('first start: bootstrapped and seeded');
    expect(local.output()).toMatch(/accounts\s+andrewbrown, bayko, londo/);
    const children = descendants(local.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2); // java and cognito-local at least

    const tables = await runScript('ddb:list-tables', ['--json'], env);
    expect(JSON.parse(tables.stdout)).toContain('cruddur-messages');
    // The message API, on its port, as API Gateway answers a request without a token.
    const apiUrl = `http://127.0.0.1:${env['CRUDDUR_LOCAL_API_PORT']}`;
    expect(local.output()).toContain(`API         ${apiUrl}`);
    const unauthorized = await fetch(`${apiUrl}/v1/me`);
    expect([unauthorized.status, await unauthorized.json()]).toEqual([401, { message: 'Unauthorized' }]);

    const second = startLocal();
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(/error: the local cloud is already running \(pid \d+\)/);

    local.child.kill('SIGTERM');
    expect(await local.exited).toBe(0);
    expect(local.output()).toContain('local cloud: stopped');
    expect(await survivors(children)).toEqual([]);
    expect(existsSync(join(dir, 'local.json'))).toBe(false);

    const warmStart = performance.now();
    const again = startLocal();
    await untilReady(again);
    const warmSeconds = (performance.now() - warmStart) / 1000;
    expect(again.output()).toContain('reused existing data');
    const againChildren = descendants(again.child.pid!);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    expect(await survivors(againChildren)).toEqual([]);
    console.info(
      `local cloud: cold start ${coldSeconds.toFixed(1)} s, warm start ${warmSeconds.toFixed(1)} s`,
    );
    expect(JSON.parse(readFileSync(join(dir, 'cloud.json'), 'utf8'))).toHaveProperty('userPoolId');
  }, 600_000);

  it('finishes, on the next start, a first start that Ctrl+C stopped during its seed', async () => {
    const sizes: SeedSizes = { users: 4, groups: 5, messages: 3_000, seedValue: 'interrupted' };
    const args = ['--users', '4', '--groups', '5', '--messages', '3000', '--seed-value', 'interrupted'];
    const [dynamodb, cognito, postgres, api] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const own = {
      CRUDDUR_LOCAL_DIR: join(dir, 'interrupted'),
      CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamodb}`,
      CRUDDUR_COGNITO_ENDPOINT: `http://127.0.0.1:${cognito}`,
      CRUDDUR_LOCAL_PG_PORT: String(postgres),
      CRUDDUR_LOCAL_API_PORT: String(api),
    };
    const first = startLocal(own, args, true);
    await untilOutput(first, 'local cloud: cognito:');
    // Into the seed's first pass (conversations and messages; group items come after it).
    await new Promise((done) => setTimeout(done, 2_000));
    const children = descendants(first.child.pid!);
    process.kill(-first.child.pid!, 'SIGINT');
    await first.exited;
    expect(first.output()).not.toContain('Press Ctrl+C');
    expect(await survivors(children)).toEqual([]);

    // What the stop left: DynamoDB Local alone, on the same data.
    const table = await startLocalCloud({ env: own, parts: 'dynamodb' });
    const left = await seedState(table.env, sizes).finally(() => table.stop());
    expect(
      left.every((c) => c.groupItems.length === 2),
      'the seed had finished',
    ).toBe(false);

    const second = startLocal(own);
    await untilReady(second);
    const state = await seedState(second.env(), sizes);
    process.kill(second.child.pid!, 'SIGINT');
    for (const conversation of state) {
      expect(conversation.groupItems, conversation.groupUuid).toEqual(
        conversation.members.map(groupPk).sort(),
      );
      expect(conversation.messages, conversation.groupUuid).toBe(conversation.planned);
    }
    expect(second.output()).toContain('finished the seed an earlier start left unfinished');
    expect(await second.exited).toBe(0);
  }, 600_000);

  it('names the port and the variable when a port is taken', async () => {
    const port = await freePort();
    const server: Server = createServer().listen(port, '127.0.0.1');
    try {
      const local = startLocal({
        CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
        CRUDDUR_LOCAL_DIR: join(dir, 'taken'),
      });
      expect(await local.exited).toBe(1);
      const lines = local.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^error: port ${port} is already in use.*CRUDDUR_DYNAMODB_ENDPOINT`),
      );
    } finally {
      server.close();
    }
  }, 60_000);

  it('says what to install when there is no Java', async () => {
    // A PATH with node and nothing else (no java).
    const bin = await mkdtemp(join(tmpdir(), 'cruddur-nojava-'));
    await symlink(process.execPath, join(bin, 'node'));
    const local = startLocal({ PATH: bin, CRUDDUR_LOCAL_DIR: join(dir, 'nojava') });
    expect(await local.exited).toBe(5);
    expect(local.output().trim()).toMatch(
      /^error: DynamoDB Local needs Java 17 or newer \(no java found on PATH\); install it/,
    );
  }, 60_000);
});

/** The function behind `npm run local`, the tests' cloud and the bench's, in this process. */
describe('startLocalCloud', () => {
  it('stops every part it started when a later step of the start fails', async () => {
    const localDir = join(dir, 'fails');
    // The stream worker cannot read its position from a folder: the last step fails.
    await mkdir(join(localDir, 'stream-worker.json'), { recursive: true });
    const lines: string[] = [];
    const before = descendants(process.pid);
    await expect(
      startLocalCloud({
        env: { CRUDDUR_LOCAL_DIR: localDir },
        ports: 'free',
        storage: 'memory',
        setup: 'bootstrap',
        streamWorker: 'oldest',
        log: (line) => lines.push(line),
      }),
    ).rejects.toThrow(/EISDIR/);
    const ports = [...lines.join('\n').matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
    expect(ports).toHaveLength(3); // PostgreSQL, DynamoDB Local and cognito-local had started
    for (const port of ports) expect(await isPortInUse(port)).toBe(false);
    const started = descendants(process.pid).filter((pid) => !before.includes(pid));
    expect(await survivors(started)).toEqual([]);
    expect(existsSync(join(localDir, 'local.json'))).toBe(false);
  }, 120_000);

  it('says at start how many stream records were set aside, and where', async () => {
    const localDir = join(dir, 'dead-letters');
    const file = join(localDir, 'dead-letters.jsonl');
    await mkdir(localDir, { recursive: true });
    await writeFile(file, ['{"sequenceNumber":"1"}', '{"sequenceNumber":"2"}', ''].join('\n'));
    const lines: string[] = [];
    const cloud = await startLocalCloud({
      env: { CRUDDUR_LOCAL_DIR: localDir },
      ports: 'free',
      storage: 'memory',
      parts: 'dynamodb',
      streamWorker: 'oldest',
      log: (line) => lines.push(line),
    });
    await cloud.stop();
    expect(lines).toContain(`2 stream records were set aside; see ${file}`);
  }, 120_000);

  it('stops a temporary cloud once however often it is asked, and removes its folder', async () => {
    const cloud = await startLocalCloud({
      env: {},
      ports: 'free',
      dataDir: 'temporary',
      storage: 'memory',
      parts: 'dynamodb',
    });
    const folder = cloud.env['CRUDDUR_LOCAL_DIR']!;
    const port = Number(new URL(cloud.config.dynamodbEndpoint!).port);
    expect(existsSync(folder)).toBe(true);
    expect(await isPortInUse(port)).toBe(true);
    await Promise.all([cloud.stop(), cloud.stop()]);
    await cloud.stop();
    expect(existsSync(folder)).toBe(false);
    expect(await isPortInUse(port)).toBe(false);
    expect(await survivors([cloud.dynamodbPid!])).toEqual([]);
  }, 120_000);
});

/** Per conversation of the seed plan: whose group items the GSI has, and how many messages. */
async function seedState(cloudEnv: Record<string, string>, sizes: SeedSizes) {
  const db = createDynamoClient(loadConfig(cloudEnv));
  try {
    return await Promise.all(
      planSeed(sizes).conversations.map(async (conversation) => ({
        groupUuid: conversation.groupUuid,
        members: conversation.members.map((member) => member.uuid),
        planned: conversation.messageCount,
        groupItems: (await query(db, { index: true, key: conversation.groupUuid }))
          .map((item) => String(item['pk']))
          .sort(),
        messages: (await query(db, { index: false, key: messagePk(conversation.groupUuid) })).length,
      })),
    );
  } finally {
    db.destroy();
  }
}

async function query(db: DynamoDBDocumentClient, { index, key }: { index: boolean; key: string }) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: 'cruddur-messages',
        ...(index
          ? { IndexName: MESSAGE_GROUP_INDEX, KeyConditionExpression: 'message_group_uuid = :key' }
          : { KeyConditionExpression: 'pk = :key AND begins_with(sk, :msg)' }),
        ExpressionAttributeValues: { ':key': key, ...(index ? {} : { ':msg': 'MSG#' }) },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
