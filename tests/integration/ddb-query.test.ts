import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../core/config';
import { createDynamoClient } from '../../core/clients';
import { MESSAGE_GROUP_INDEX, type Person } from '../../shared/model';
import { conversationItem, messageGroupItem, messageItem } from '../../core/messages/items';
import { analyzeStatement, hasKeyCondition, tokenize } from '../../scripts/partiql/statement';
import { parseParam, statementParameters } from '../../scripts/partiql/params';
import { shorten } from '../../scripts/output/columns';
import { formatTable } from '../../scripts/output/table';
import { executeStatement, statementError } from '../../scripts/partiql/run';
import { cloudEnv, configWithTable, runScript } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';

const alice: Person = {
  uuid: 'a11ce000-0000-4000-8000-000000000001',
  handle: 'alice',
  display_name: 'Alice',
};
const bob: Person = { uuid: 'b0b00000-0000-4000-8000-000000000002', handle: 'bob', display_name: 'Bob' };
const SMALL_GROUP = '5a11a000-0000-4000-8000-00000000000a';
const BIG_GROUP = 'b1900000-0000-4000-8000-00000000000b';
/** 14 messages of 100 KB: 1.4 MB in one partition, more than one 1 MB page of ExecuteStatement. */
const BIG_COUNT = 14;
const BIG_TEXT = 'x'.repeat(100_000);

const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString();
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('PartiQL statement analysis (pure)', () => {
  it('classifies the verb past whitespace and comments, in any case', () => {
    expect(analyzeStatement('  -- why\n /* a */ select * from "t" where pk = ?')).toMatchObject({
      verb: 'SELECT',
      readOnly: true,
      target: { table: 't', index: undefined },
      parameterCount: 1,
    });
    for (const write of [
      `INSERT INTO t VALUE {'pk':'a','sk':'b'}`,
      `update t SET x = 1 WHERE pk = 'a'`,
      'DELETE FROM t',
    ]) {
      expect(analyzeStatement(write).readOnly).toBe(false);
    }
    expect(analyzeStatement('EXISTS(SELECT * FROM t)').readOnly).toBe(false);
    expect(analyzeStatement('(SELECT * FROM t)').readOnly).toBe(false);
  });

  it('counts only real placeholders, not ? inside strings, identifiers or comments', () => {
    const info = analyzeStatement(`SELECT "a?" FROM t WHERE pk = ? AND m = 'why?' -- really?\n AND sk > ?`);
    expect(info.parameterCount).toBe(2);
    expect(tokenize(`'it''s'`)).toEqual([{ kind: 'string', text: "it's" }]);
  });

  it('refuses several statements, empty ones and unterminated quotes', () => {
    expect(() => analyzeStatement('SELECT * FROM t; DELETE FROM t')).toThrow(/one statement/);
    expect(analyzeStatement('SELECT * FROM t WHERE pk = ?;').parameterCount).toBe(1);
    expect(() => analyzeStatement(' -- nothing')).toThrow(/empty/);
    expect(() => analyzeStatement(`SELECT * FROM t WHERE pk = 'a`)).toThrow(/unterminated/);
  });

  it('finds the table and the index', () => {
    expect(analyzeStatement(`SELECT * FROM "cruddur-messages"."${MESSAGE_GROUP_INDEX}"`)).toMatchObject({
      target: { table: 'cruddur-messages', index: MESSAGE_GROUP_INDEX },
      keyAttribute: 'message_group_uuid',
      fullScan: true,
    });
    expect(analyzeStatement(`INSERT INTO "x" VALUE {'pk':'a'}`).target?.table).toBe('x');
    expect(analyzeStatement(`UPDATE x SET a = 1 WHERE pk = 'a'`).target?.table).toBe('x');
  });

  it('detects a key condition: an equality or IN on the partition key in every branch', () => {
    const scans = (statement: string): boolean => analyzeStatement(statement).fullScan;
    expect(scans('SELECT * FROM t WHERE pk = ?')).toBe(false);
    expect(scans(`SELECT * FROM t WHERE 'MSG#1' = "pk" AND begins_with(sk, 'MSG#')`)).toBe(false);
    expect(scans(`SELECT * FROM t WHERE (pk = ? AND sk BETWEEN ? AND ?) ORDER BY sk DESC`)).toBe(false);
    expect(scans(`SELECT * FROM t WHERE x = 1 AND (pk IN ['a', 'b'] AND sk > 'c')`)).toBe(false);
    expect(scans(`SELECT * FROM t."${MESSAGE_GROUP_INDEX}" WHERE message_group_uuid = ?`)).toBe(false);
    expect(scans('SELECT * FROM t')).toBe(true);
    expect(scans('SELECT * FROM t WHERE pk = ? OR user_handle = ?')).toBe(true);
    expect(scans('SELECT * FROM t WHERE PK = ?')).toBe(true); // attribute names are case-sensitive
    expect(scans('SELECT * FROM t WHERE pk > ?')).toBe(true);
    expect(scans('SELECT * FROM t WHERE pk = sk')).toBe(true);
    expect(scans('SELECT * FROM t WHERE NOT pk = ?')).toBe(true);
    expect(scans(`SELECT * FROM t."${MESSAGE_GROUP_INDEX}" WHERE pk = ?`)).toBe(true);
    expect(scans(`SELECT * FROM t WHERE (pk = 'a') OR (pk = 'b')`)).toBe(true);
    expect(hasKeyCondition(tokenize(`((pk = 'a')) AND x = 1`), 'pk')).toBe(true);
  });

  it('types parameters only by explicit prefix', () => {
    expect(parseParam('42')).toEqual({ S: '42' });
    expect(parseParam('MSG#x:y')).toEqual({ S: 'MSG#x:y' });
    expect(parseParam('N:-1.5e3')).toEqual({ N: '-1.5e3' });
    expect(parseParam('BOOL:false')).toEqual({ BOOL: false });
    expect(parseParam('NULL:')).toEqual({ NULL: true });
    expect(parseParam('S:N:7')).toEqual({ S: 'N:7' });
    expect(() => parseParam('N:seven')).toThrow(/not a number.*S:N:seven/);
    expect(() => parseParam('BOOL:yes')).toThrow(/true or false/);
    expect(() => statementParameters(['a'], 2)).toThrow(/2 \? placeholders but 1 --param was given/);
  });

  it('draws a table: union of attributes, pk and sk first, long values shortened', () => {
    const lines = formatTable([
      { sk: 's1', pk: 'p', note: 'a\nb' },
      { pk: 'p', sk: 's2', count: 3, tags: ['x'], long: 'y'.repeat(100) },
    ]);
    expect(lines[0]!.split(/\s+/)).toEqual(['pk', 'sk', 'count', 'long', 'note', 'tags']);
    expect(lines[2]).toMatch(/^p\s+s1\s+a⏎b$/);
    expect(lines[3]).toContain(`${'y'.repeat(39)}…`);
    expect(lines[3]).toContain('["x"]');
    // Cut in terminal columns: an emoji takes two, the ellipsis one.
    expect(shorten('😀'.repeat(50), 5)).toBe('😀😀…');
  });
});

describe('npm run ddb:query against DynamoDB Local', () => {
  let config: Config;
  let db: DynamoDBDocumentClient;
  let table: string;
  const env = (): Record<string, string> => cloudEnv({ CRUDDUR_TABLE: config.tableName });
  const query = (...args: string[]) => runScript('ddb:query', args, env());
  const put = (item: object) => db.send(new PutCommand({ TableName: config.tableName, Item: item }));

  beforeAll(async () => {
    config = await configWithTable('ddbq');
    table = `"${config.tableName}"`;
    db = createDynamoClient(config);
    const messages = [1, 2, 3].map((n) =>
      messageItem(SMALL_GROUP, n === 2 ? bob : alice, uuid(n), `hello ${n}`, at(n)),
    );
    const last = messages.at(-1)!;
    await Promise.all([
      ...messages.map(put),
      put(conversationItem(SMALL_GROUP, [alice.uuid, bob.uuid], at(1))),
      put(messageGroupItem(SMALL_GROUP, alice, bob, last)),
      put(messageGroupItem(SMALL_GROUP, bob, alice, last)),
    ]);
    for (let n = 0; n < BIG_COUNT; n += 1) {
      await put(messageItem(BIG_GROUP, alice, uuid(100 + n), BIG_TEXT, at(10 + n)));
    }
  });

  afterAll(() => db.destroy());

  it('runs a GSI query with a parameter and prints a table, pk and sk first, no scan warning', async () => {
    const result = await query(
      `SELECT * FROM ${table}."${MESSAGE_GROUP_INDEX}" WHERE message_group_uuid = ?`,
      '--param',
      SMALL_GROUP,
    );
    expect(result).toMatchObject({ code: 0 });
    const [header, , ...rows] = result.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/).slice(0, 2)).toEqual(['pk', 'sk']);
    expect(rows.map((row) => row.split(/\s+/)[0]).sort()).toEqual([`GRP#${alice.uuid}`, `GRP#${bob.uuid}`]);
    expect(result.stderr).not.toMatch(/warning/);
    expect(result.stderr).toMatch(
      /^2 items from 1 page; consumed capacity: not reported \(DynamoDB Local reports none\)$/m,
    );
  });

  it('follows NextToken past a 1 MB page: every item exactly once, as JSON Lines', async () => {
    const result = await query(
      `SELECT * FROM ${table} WHERE pk = ? AND begins_with(sk, ?)`,
      '--param',
      `MSG#${BIG_GROUP}`,
      '--param',
      'MSG#',
      '--json',
    );
    expect(result.code).toBe(0);
    const items = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const sks = items.map((item) => item['sk']);
    expect(new Set(sks).size).toBe(BIG_COUNT);
    expect(sks.sort()).toEqual([...Array(BIG_COUNT).keys()].map((n) => `MSG#${at(10 + n)}#${uuid(100 + n)}`));
    expect(items[0]).toMatchObject({ pk: `MSG#${BIG_GROUP}`, message: BIG_TEXT, user_handle: 'alice' });
    expect(result.stderr).toMatch(new RegExp(`^${BIG_COUNT} items from [2-9] pages;`, 'm'));
  });

  it('stops at --limit across pages and says more may remain; long values are shortened', async () => {
    const result = await query(
      `SELECT * FROM ${table} WHERE pk = ?`,
      '--param',
      `MSG#${BIG_GROUP}`,
      '--limit',
      '12',
    );
    expect(result.code).toBe(0);
    const rows = result.stdout.trimEnd().split('\n').slice(2);
    expect(rows).toHaveLength(12);
    expect(rows[0]).toContain(`${'x'.repeat(39)}…`);
    expect(result.stderr).toMatch(/^12 items from 2 pages; stopped at --limit 12, more may remain;/m);
  });

  it('warns about a full scan with the pages read and items returned', async () => {
    const result = await query(
      `SELECT pk, sk FROM ${table} WHERE user_handle = ? AND message = ?`,
      '--param',
      'bob',
      '--param',
      'hello 2',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`MSG#${SMALL_GROUP}`);
    expect(result.stderr).toMatch(
      new RegExp(
        `^warning: full scan of table ${table} \\(no equality on pk in the WHERE clause\\): \\d+ pages? read, 1 item returned`,
        'm',
      ),
    );
  });

  it('refuses an INSERT without --write and writes nothing', async () => {
    const result = await query(
      `INSERT INTO ${table} VALUE {'pk': ?, 'sk': ?}`,
      '--param',
      'TEST#refused',
      '--param',
      'x',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: refusing to run an INSERT without --write/);
    const stored = await db.send(
      new GetCommand({ TableName: config.tableName, Key: { pk: 'TEST#refused', sk: 'x' } }),
    );
    expect(stored.Item).toBeUndefined();
  });

  it('on target aws refuses --write without --yes, before any request', async () => {
    const insert = `INSERT INTO ${table} VALUE {'pk': 'TEST#aws', 'sk': 'x'}`;
    const result = await runScript('ddb:query', [insert, '--write'], {
      ...env(),
      CRUDDUR_TARGET: 'aws',
      CRUDDUR_DYNAMODB_ENDPOINT: config.dynamodbEndpoint!,
      // loadConfig requires it on target aws; this script never connects to it.
      CRUDDUR_DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: refusing to run an INSERT on target aws, .* without --yes$/m);
    const stored = await db.send(
      new GetCommand({ TableName: config.tableName, Key: { pk: 'TEST#aws', sk: 'x' } }),
    );
    expect(stored.Item).toBeUndefined();
  });

  it('runs an INSERT with --write, with typed parameters', async () => {
    const result = await query(
      `INSERT INTO ${table} VALUE {'pk': ?, 'sk': ?, 'count': ?, 'seen': ?, 'gone': ?, 'code': ?}`,
      ...['TEST#written', 'x', 'N:42', 'BOOL:true', 'NULL:', 'S:N:7'].flatMap((value) => ['--param', value]),
      '--write',
    );
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/^INSERT done; consumed capacity/);
    const stored = await db.send(
      new GetCommand({ TableName: config.tableName, Key: { pk: 'TEST#written', sk: 'x' } }),
    );
    expect(stored.Item).toEqual({
      pk: 'TEST#written',
      sk: 'x',
      count: 42,
      seen: true,
      gone: null,
      code: 'N:7',
    });
  });

  it('reports a syntax error in one line, exit 2, no stack', async () => {
    const result = await query(`SELECT * FROM ${table} WHERE`);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: PartiQL syntax error: /),
    ]);
  });

  it('names an unknown table, exit 3', async () => {
    const result = await query('SELECT * FROM "no-such-table" WHERE pk = ?', '--param', 'x');
    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr.trimEnd()).toMatch(
      /^error: table "no-such-table" does not exist \(target local, .*endpoint http:\/\/127\.0\.0\.1:\d+\)$/,
    );
  });

  it('exits 5 when DynamoDB cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await runScript(
      'ddb:query',
      ['SELECT * FROM t WHERE pk = ?', '--param', 'x'],
      cloudEnv({ CRUDDUR_DYNAMODB_ENDPOINT: closed }),
    );
    expect(result.code).toBe(5);
    expect(result.stderr.trimEnd()).toBe(
      `error: DynamoDB at ${closed} cannot be reached; is it running? (npm run local starts the local cloud)`,
    );
  });

  it('maps what DynamoDB Local answers: unknown index, syntax, duplicate key (in process)', async () => {
    const attempt = async (statement: string) => {
      const error: unknown = await executeStatement(db, { statement, parameters: [], limit: undefined }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      return statementError(error, analyzeStatement(statement), 'here');
    };
    expect(await attempt(`SELECT * FROM ${table}."no-index"`)).toMatchObject({
      code: 'NotFound',
      message: `index "no-index" does not exist on table ${table} (here)`,
    });
    expect(await attempt(`SELECT * FROM ${table} WHERE pk = `)).toMatchObject({ code: 'Invalid' });
    expect(await attempt(`UPDATE ${table} SET a = 1 WHERE pk = 'TEST#none' AND sk = 'x'`)).toMatchObject({
      code: 'Conflict',
    });
    await put({ pk: 'TEST#duplicate', sk: 'x' });
    const duplicate = `INSERT INTO ${table} VALUE {'pk': 'TEST#duplicate', 'sk': 'x'}`;
    expect(await attempt(duplicate)).toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(/already exists/),
    });
  });
});
