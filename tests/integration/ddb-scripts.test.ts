import { ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../core/clients';
import { batchWriteAll, documentBatchWrite } from '../../scripts/seed/batch-write';
import { seedMessages } from '../../scripts/seed/ddb-seed';
import {
  cloudEnv,
  configWithTable,
  runScript,
  testConfig,
  uniqueTableName,
  type ScriptResult,
} from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';

const SCRIPTS = ['ddb:schema-load', 'ddb:list-tables', 'ddb:drop', 'ddb:scan', 'ddb:seed'] as const;

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
const tableEnv = (tableName: string, extra: Record<string, string> = {}) =>
  cloudEnv({ CRUDDUR_TABLE: tableName, ...extra });

async function tableNames(db: DynamoDBDocumentClient): Promise<string[]> {
  return (await db.send(new ListTablesCommand({}))).TableNames ?? [];
}

/** One line on stderr, `error: …`, and nothing that looks like a stack trace. */
function expectOneLineError(result: ScriptResult, code: number, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(lines(result.stderr)).toHaveLength(1);
  expect(result.stderr).toMatch(/^error: /);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const SEED_SIZE_HELP = [
  '--users N  how many people: the 3 named ones plus generated ones (default 10)',
  '--groups N  conversations, one per pair of users (default 15)',
  '--messages N  messages in all conversations together (default 3000)',
  "--seed-value TEXT  what the uuids and data derive from (default 'cruddur')",
];
const AS_HELP = '--as <handle>  the person to act as (looked up in the PostgreSQL users table)';
const TEXT_HELP = '--text <text>  the message: 1 to 1,024 characters, not only white space';
const PAGE_HELP = [
  AS_HELP,
  '--limit N  page size, 1 to 100 (default 50)',
  '--cursor C  read the next (older) page: the cursor the previous page printed',
  '--json  print one JSON object: { items, cursor, consumed_capacity }',
];
const DIRECTORY_USERS_HELP = '--users N  how many people: the 3 named ones plus generated ones (default 10)';

/** Every admin script's options as --help must show them: the flag, its value, its text. */
const HELP: Record<string, string[]> = {
  setup: [...SEED_SIZE_HELP, '--yes  confirm seeding on target aws'],
  'ddb:schema-load': [],
  'ddb:list-tables': ['--json  print a JSON array of table names'],
  'ddb:drop': ['--yes  confirm dropping a table on target aws'],
  'ddb:scan': [
    '--limit N  stop after N items',
    '--json  print JSON Lines: one item a line, attributes as plain JSON values',
  ],
  'ddb:seed': [...SEED_SIZE_HELP, '--yes  confirm seeding on target aws', '--json  print the counts as JSON'],
  'ddb:query': [
    '--param VALUE  a value for the next ? (repeat in order); text by default,',
    '--limit N  stop after N items (default: all)',
    '--json  print one JSON object per item (JSON Lines)',
    '--write  allow a statement that is not a SELECT (INSERT, UPDATE, DELETE)',
    '--yes  with --write on target aws: confirm',
  ],
  'ddb:get-conversation': PAGE_HELP,
  'ddb:list-conversations': PAGE_HELP,
  'ddb:create-message': [
    AS_HELP,
    '--group <message_group_uuid>  the conversation (ddb:list-conversations shows them)',
    TEXT_HELP,
    '--message-uuid <uuid>  a UUID version 7 naming this message (default: a new one); reuse it to resend',
    '--json  print the stored message as one JSON object',
  ],
  'ddb:create-message-group': [
    AS_HELP,
    '--to <handle>  the person to write to',
    TEXT_HELP,
    '--json  print the conversation and the stored message as one JSON object',
  ],
  'db:schema-load': [],
  'db:seed': [
    DIRECTORY_USERS_HELP,
    '--seed-value V  the seed the uuids derive from (default cruddur)',
    '--json  print the counts as JSON',
  ],
  'db:update-cognito-user-ids': ['--json  print the counts as JSON'],
  'cognito:seed-users': [
    DIRECTORY_USERS_HELP,
    '--seed-value V  accepted for symmetry with db:seed (Cognito makes its own subs; default cruddur)',
    '--yes  required on target aws, where the accounts are real',
    '--json  print the counts as JSON',
  ],
  'cognito:list-users': [
    '--json  a JSON array of users (username, sub, preferredUsername, name, email, status…)',
  ],
};

/**
 * The options block of a --help: each option as `label  text` (its padding collapsed), and the
 * column every line's text starts at, continuation lines included.
 */
function helpOptions(help: string): { options: string[]; textColumns: number[] } {
  const block = help.split('\n\n').find((part) => part.startsWith('options:\n')) ?? '';
  const rows = block.split('\n').slice(1);
  return {
    options: rows
      .filter((row) => row.startsWith('  --'))
      .map((row) => row.trim().replace(/^(--[\w-]+(?: \S+)?) {2,}/, '$1  ')),
    textColumns: rows.map((row) => /^(?: {2}--[\w-]+(?: \S+)?)? +/.exec(row)?.[0].length ?? 0),
  };
}

describe("every admin script's --help", () => {
  it('lists each of its options with its text, the texts in one column, and each flag in the usage line', async () => {
    const scripts = Object.keys(HELP);
    const results = await Promise.all(scripts.map((script) => runScript(script, ['--help'])));
    scripts.forEach((script, index) => {
      const help = results[index]!;
      expect(help.code, help.stderr).toBe(0);
      const usage = help.stdout.split('\n')[0]!;
      expect(usage).toMatch(new RegExp(`^usage: npm run ${script} --`));
      expect(help.stdout).toMatch(/exit codes: 0 ok, 2 usage/);
      const { options, textColumns } = helpOptions(help.stdout);
      expect(options, script).toEqual([...HELP[script]!, '--help  show this help']);
      expect(new Set(textColumns).size, `${script}: ${textColumns.join(' ')}`).toBe(1);
      for (const option of HELP[script]!) expect(usage).toContain(option.split('  ')[0]!);
    });
  });
});

describe('the ddb scripts, as an admin runs them', () => {
  let db: DynamoDBDocumentClient;

  beforeAll(() => {
    db = createDynamoClient(testConfig());
  });
  afterAll(() => db.destroy());

  it('answer a bad flag with exit 2, the flag and the usage', async () => {
    const results = await Promise.all(SCRIPTS.map((script) => runScript(script, ['--bogus'])));
    SCRIPTS.forEach((script, index) => {
      const bad = results[index]!;
      expect(bad.code).toBe(2);
      expect(lines(bad.stderr)).toEqual([
        expect.stringMatching(/^error: .*--bogus/),
        expect.stringMatching(`^usage: npm run ${script} --`),
      ]);
    });
  });

  it('exit 5 with one line, quickly, when DynamoDB cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const env = cloudEnv({ CRUDDUR_DYNAMODB_ENDPOINT: closed });
    const started = performance.now();
    const results = await Promise.all(SCRIPTS.map((script) => runScript(script, [], env)));
    for (const result of results)
      expectOneLineError(result, 5, new RegExp(`DynamoDB at ${closed} cannot be reached`));
    // Five scripts side by side, each with the SDK's bounded retries: seconds, not minutes.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('exit 5 naming the variable when the endpoint answers but is not DynamoDB', async () => {
    const server = createServer((_, response) => response.writeHead(404).end());
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    const result = await runScript(
      'ddb:list-tables',
      [],
      cloudEnv({ CRUDDUR_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` }),
    );
    server.close();
    expectOneLineError(
      result,
      5,
      /answered HTTP 404, but not as DynamoDB does; check CRUDDUR_DYNAMODB_ENDPOINT/,
    );
  });

  it('exit 3 with one line when the table does not exist', async () => {
    const env = tableEnv(uniqueTableName('missing'));
    const results = await Promise.all(
      ['ddb:scan', 'ddb:drop', 'ddb:seed'].map((script) =>
        runScript(
          script,
          ['--json'].filter(() => script === 'ddb:scan'),
          env,
        ),
      ),
    );
    for (const result of results)
      expectOneLineError(result, 3, /table 'missing-\w+' does not exist.*ddb:schema-load/);
  });

  it('schema-load creates the table once, then reports it exists; list-tables lists it', async () => {
    const table = uniqueTableName('schema');
    const first = await runScript('ddb:schema-load', [], tableEnv(table));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`target local, region us-east-1, endpoint http://127\\.0\\.0\\.1:\\d+, table ${table}`),
    );
    expect(first.stdout).toContain(`created table ${table}`);
    const [second, listed, human] = await Promise.all([
      runScript('ddb:schema-load', [], tableEnv(table)),
      runScript('ddb:list-tables', ['--json'], tableEnv(table)),
      runScript('ddb:list-tables', [], tableEnv(table)),
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`table ${table} already exists`);
    expect(JSON.parse(listed.stdout)).toEqual(await tableNames(db));
    expect(JSON.parse(listed.stdout)).toContain(table);
    expect(human.stdout).toMatch(/^\d+ tables? \(target local/);
    expect(lines(human.stdout)).toContain(`  ${table}`);
  });

  // Target aws (the --yes refusal, the account line): tests/integration/aws-target-scripts.test.ts.
  it('drop removes a local table', async () => {
    const local = await configWithTable('drop-local');
    const dropped = await runScript('ddb:drop', [], tableEnv(local.tableName));
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(await tableNames(db)).not.toContain(local.tableName);
  });

  it('seed writes, reports counts, and rejects sizes that cannot work with exit 2', async () => {
    const config = await configWithTable('seed-cli');
    const env = tableEnv(config.tableName);
    const [human, tooMany] = await Promise.all([
      runScript(
        'ddb:seed',
        ['--users', '4', '--groups', '3', '--messages', '30', '--seed-value', 'cli'],
        env,
      ),
      runScript('ddb:seed', ['--users', '3', '--groups', '4'], env),
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /seeded 30 messages in 3 conversations between 4 users \(6 group items\): 39 items in/,
    );
    expect(human.stderr).toBe('');
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/^error: --groups 4 is more than the 3 conversations 3 users can have/);

    const [json, badNumber] = await Promise.all([
      runScript(
        'ddb:seed',
        ['--users', '4', '--groups', '3', '--messages', '30', '--seed-value', 'cli', '--json'],
        env,
      ),
      runScript('ddb:seed', ['--messages', 'lots'], env),
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      messages: 30,
      conversations: 3,
      groupItems: 6,
      itemsWritten: 39,
    });
    expect(badNumber.code).toBe(2);
    expect(lines(badNumber.stderr)[1]).toMatch(/^usage: npm run ddb:seed --/);
    const count = await db.send(new ScanCommand({ TableName: config.tableName, Select: 'COUNT' }));
    expect(count.Count).toBe(39);
  });
});

describe('ddb:scan on a table larger than one page', () => {
  let db: DynamoDBDocumentClient;
  let table: string;
  let expected: Map<string, Record<string, unknown>>;
  const keyOf = (item: Record<string, unknown>) => `${String(item['pk'])} ${String(item['sk'])}`;

  beforeAll(async () => {
    const config = await configWithTable('scan');
    table = config.tableName;
    db = createDynamoClient(config);
    await seedMessages(db, table, { users: 3, groups: 2, messages: 40, seedValue: 'scan' });
    // Twelve 100 KB items push the table past DynamoDB's 1 MB page without writing thousands of items.
    const padding = Array.from({ length: 12 }, (_, index) => ({
      PutRequest: { Item: { pk: `PAD#${index}`, sk: 'PAD', blob: `${index}`.repeat(100_000) } },
    }));
    await batchWriteAll(documentBatchWrite(db), table, padding);
    // Every kind of attribute, to see how each comes out as plain JSON.
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: 'TYPES' },
          sk: { S: 'ALL' },
          count: { N: '42' },
          huge: { N: '12345678901234567890123' },
          ok: { BOOL: true },
          nothing: { NULL: true },
          bytes: { B: new Uint8Array([1, 2, 255]) },
          tags: { SS: ['a', 'b'] },
          scores: { NS: ['1.5', '2'] },
          nested: { M: { list: { L: [{ S: 'x' }, { N: '1' }] } } },
        },
      }),
    );
    expected = new Map();
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) expected.set(keyOf(item), item);
      start = page.LastEvaluatedKey;
      pages += 1;
    } while (start);
    expect(pages).toBeGreaterThan(1);
    expect(expected.size).toBe(46 + 12 + 1);
  });
  afterAll(() => db.destroy());

  it('--json prints every item of every page exactly once, one JSON object a line', async () => {
    const result = await runScript('ddb:scan', ['--json'], tableEnv(table));
    expect(result.code, result.stderr).toBe(0);
    const printed = lines(result.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(printed).toHaveLength(expected.size);
    expect(new Set(printed.map(keyOf)).size).toBe(expected.size);
    for (const item of printed.filter(
      (item) => String(item['pk']).startsWith('MSG#') || String(item['pk']).startsWith('GRP#'),
    )) {
      expect(item).toEqual(expected.get(keyOf(item)));
    }
    expect(printed.find((item) => item['pk'] === 'TYPES')).toEqual({
      pk: 'TYPES',
      sk: 'ALL',
      count: 42,
      huge: '12345678901234567890123',
      ok: true,
      nothing: null,
      bytes: 'AQL/',
      tags: ['a', 'b'],
      scores: [1.5, 2],
      nested: { list: ['x', 1] },
    });
  });

  it('--limit stops after N items; the human form is a table with a count', async () => {
    const [limited, human] = await Promise.all([
      runScript('ddb:scan', ['--limit', '5', '--json'], tableEnv(table)),
      runScript('ddb:scan', ['--limit', '7'], tableEnv(table)),
    ]);
    expect(lines(limited.stdout)).toHaveLength(5);
    const rows = lines(human.stdout);
    expect(rows[0]).toMatch(/^PK\s+SK\s+HANDLE\s+TEXT$/);
    expect(rows).toHaveLength(1 + 7 + 1);
    expect(rows.at(-1)).toMatch(/^7 items in 1 pages of scan-\w+ \(stopped at --limit\)$/);
    const whole = await runScript('ddb:scan', [], tableEnv(table));
    expect(lines(whole.stdout).at(-1)).toMatch(
      new RegExp(`^${expected.size} items in [2-9] pages of ${table}$`),
    );
  });

  it('rejects a --limit that is not a positive whole number with exit 2', async () => {
    const result = await runScript('ddb:scan', ['--limit', '0'], tableEnv(table));
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      "error: --limit must be a whole number from 1 to 9007199254740991, not '0'",
      'usage: npm run ddb:scan -- [--limit N] [--json]',
    ]);
  });
});
