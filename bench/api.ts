import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import pg from 'pg';
import { API_BUNDLE, esbuildOptions } from '../aws/infra/lambda-bundles';
import { CognitoAuth } from '../core/auth/cognito-auth';
import { toPerson } from '../core/auth/people';
import { createCognitoClient, createDynamoClient } from '../core/clients';
import { MessageService, type MessageOperations } from '../core/messages';
import { UserDirectory } from '../core/users/directory';
import { ApiClient } from '../electron/main/api-client';
import { ApiMessages, ApiPeople } from '../electron/main/api-messages';
import { startLocalApi } from '../scripts/local/api-gateway';
import { startLocalCloud } from '../scripts/local/cloud';
import { DEV_PASSWORD } from '../scripts/seed/users';
import { newMessageUuid } from '../shared/message-uuid';
import type { Person } from '../shared/model';
import { RequestCounter } from './cloud';
import { count, kib, ms, type BenchResult } from './report';
import { interleaved, percentile } from './timing';

const ROUNDS = { warmup: 5, rounds: 40 };
/** Fresh Node processes that import the bundle: its cold start, without the Lambda runtime's own. */
const IMPORTS = 7;

type Action = 'list' | 'open' | 'poll' | 'send';
const ACTIONS: Record<Action, string> = {
  list: 'list my conversations (B)',
  open: 'open a conversation: its newest page (A)',
  poll: 'poll what is newer (A, after)',
  send: 'send a message (C)',
};

/**
 * Benchmark: the message API against direct mode, per action, side by side on one local cloud.
 * Direct is the app's MessageService on DynamoDB Local in this process; API is the app's
 * ApiMessages over HTTP to the local gateway, which verifies the token and invokes the very Lambda
 * handler (the same MessageService behind it). Both count the DynamoDB requests each action makes;
 * the API adds one HTTP request. Then the Lambda's bundle size and its cold start (the import of
 * the bundle in a fresh Node).
 */
export async function apiAgainstDirect(): Promise<BenchResult> {
  const cloud = await startLocalCloud({
    env: {},
    ports: 'free',
    dataDir: 'temporary',
    storage: 'memory',
    setup: { seed: { users: 3, groups: 2, messages: 200 } },
  });
  const { config } = cloud;
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
  const directDb = createDynamoClient(config);
  const apiDb = createDynamoClient(config);
  const cognitoClient = createCognitoClient(config);
  const cursorSecret = randomBytes(32);
  const api = await startLocalApi({ config, port: 0, cursorSecret, db: apiDb });
  try {
    const tokens = await new CognitoAuth(cognitoClient, config.userPoolClientId!).signIn(
      'andrewbrown',
      DEV_PASSWORD,
    );
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      username: string;
    };
    let httpRequests = 0;
    const client = new ApiClient({
      baseUrl: api.url,
      fetch: (input, init) => {
        httpRequests++;
        return globalThis.fetch(input, init);
      },
    });
    const me: Person = toPerson(
      await new ApiPeople(client).userOf({ accessToken: tokens.accessToken, ...claims }),
    );
    const modes: Record<'direct' | 'api', { service: MessageOperations; requests: RequestCounter }> = {
      direct: {
        service: new MessageService({
          db: directDb,
          tableName: config.tableName,
          directory: new UserDirectory(pool),
          cursorSecret,
        }),
        requests: new RequestCounter(directDb),
      },
      api: {
        service: new ApiMessages(client, async () => tokens.accessToken),
        requests: new RequestCounter(apiDb),
      },
    };
    const [conversation] = (await modes.direct.service.listConversations(me)).items;
    if (!conversation) throw new Error('the seeded person has no conversation');
    const groupUuid = conversation.message_group_uuid;
    const newest = (await modes.direct.service.listMessages(me, groupUuid)).items[0];
    if (!newest) throw new Error('the seeded conversation has no message');
    const actions = (service: MessageOperations): Record<Action, () => Promise<unknown>> => ({
      list: () => service.listConversations(me),
      open: () => service.listMessages(me, groupUuid),
      poll: () => service.listMessagesAfter(me, groupUuid, newest.sk),
      send: () =>
        service.sendMessage(me, { groupUuid, messageUuid: newMessageUuid(), text: 'A benchmark message' }),
    });
    const direct = actions(modes.direct.service);
    const overApi = actions(modes.api.service);
    const cases = Object.fromEntries(
      (Object.keys(ACTIONS) as Action[]).flatMap((action) => [
        [`direct ${action}`, direct[action]],
        [`api ${action}`, overApi[action]],
      ]),
    ) as Record<string, () => Promise<unknown>>;
    const latency = await interleaved(cases, ROUNDS);

    // Requests per action, warm (the membership and the caller known): one action of each, counted.
    const requestsOf = async (mode: 'direct' | 'api', action: Action) => {
      const counter = modes[mode].requests;
      counter.byCommand.clear();
      const before = httpRequests;
      await actions(modes[mode].service)[action]();
      return { dynamodb: counter.total(), http: httpRequests - before };
    };
    const rows: string[][] = [];
    const ratios: { label: string; value: number }[] = [];
    let sameRequests = true;
    for (const action of Object.keys(ACTIONS) as Action[]) {
      const d = latency[`direct ${action}`]!;
      const a = latency[`api ${action}`]!;
      const direct = await requestsOf('direct', action);
      const viaApi = await requestsOf('api', action);
      sameRequests &&= direct.dynamodb === viaApi.dynamodb && viaApi.http === 1;
      rows.push([
        ACTIONS[action],
        ms(d.p50),
        ms(a.p50),
        `${(a.p50 / d.p50).toFixed(2)}×`,
        ms(a.p95),
        `${count(direct.dynamodb)} / ${count(viaApi.dynamodb)} + ${count(viaApi.http)} HTTP`,
      ]);
      ratios.push({ label: `API ÷ direct median, ${action}`, value: a.p50 / d.p50 });
    }
    const bundle = await bundleFigures();
    rows.push(
      [`API Lambda bundle: ${kib(bundle.bytes)} (${kib(bundle.gzipBytes)} gzipped)`, '', '', '', '', ''],
      [
        `cold start (import of the bundle, ${IMPORTS} fresh Node processes)`,
        '',
        ms(bundle.importP50),
        '',
        ms(bundle.importMax),
        '',
      ],
    );
    return {
      title:
        'The message API against direct mode, per action (local cloud; the gateway invokes the Lambda handler)',
      headers: ['action', 'direct p50', 'API p50', 'ratio', 'API p95', 'DynamoDB requests direct / API'],
      rows,
      ratios,
      target:
        'the API runs the same patterns: the same DynamoDB requests per action as direct mode, plus one HTTP request',
      meets: sameRequests,
      notes: [
        `${ROUNDS.rounds} rounds after ${ROUNDS.warmup} warm-up, every case once per round, interleaved`,
        'the API time adds HTTP on loopback, the JWT check (RS256, the key set cached), the event, the handler and JSON both ways; on AWS add the network to the region, API Gateway and, once per instance, the cold start',
        'the first request of a person to a warm instance also reads their directory row (one PostgreSQL query, then cached for 60 s); warm here',
        'cold start is the module import only (the Lambda runtime adds its own init); the first invocation then reads the cursor secret and opens the pool',
      ],
    };
  } finally {
    await api.stop();
    directDb.destroy();
    apiDb.destroy();
    cognitoClient.destroy();
    await pool.end();
    await cloud.stop();
  }
}

/** The API Lambda built with the stack's own options: its size, and how long Node takes to import it. */
async function bundleFigures(): Promise<{
  bytes: number;
  gzipBytes: number;
  importP50: number;
  importMax: number;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-api-bundle-'));
  try {
    const outfile = join(dir, 'index.mjs');
    await build({ ...esbuildOptions(API_BUNDLE, resolve('.')), outfile, logLevel: 'silent' });
    const bytes = (await stat(outfile)).size;
    const gzipBytes = gzipSync(await readFile(outfile)).length;
    const script =
      'const started = performance.now(); await import(process.argv[1]); ' +
      'process.stdout.write(String(performance.now() - started));';
    const samples: number[] = [];
    for (let i = 0; i < IMPORTS; i++) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', script, pathToFileURL(outfile).href],
        { env: { PATH: process.env['PATH'] } },
      );
      samples.push(Number(stdout));
    }
    return { bytes, gzipBytes, importP50: percentile(samples, 50), importMax: Math.max(...samples) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
