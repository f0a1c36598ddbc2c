import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoClient } from '../../core/clients';
import { listCognitoUsers, seedCognitoUsers } from '../../scripts/admin/cognito';
import type { PoolIds } from '../../scripts/admin/cognito-pool';
import {
  loadUsersSchema,
  openDatabase,
  seedDirectoryUsers,
  updateCognitoUserIds,
} from '../../scripts/admin/postgres';
import { DEV_PASSWORD, seedUsers, type SeedUser } from '../../scripts/seed/users';
import { cloudEnv, runScript, testConfig } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';
import { createPrivateUserPool, startPagingProxy, startPrivatePostgres } from '../support/private-cloud';

/**
 * These scripts act on the whole users table and the whole user pool, so this file has its own
 * PostgreSQL and its own pools: other files' rows and accounts can neither disturb the counts
 * nor be changed by them.
 */
let postgres: Awaited<ReturnType<typeof startPrivatePostgres>>;
let db: pg.Pool;
let cognito: CognitoIdentityProviderClient;
let env: (extra?: Record<string, string>) => Record<string, string>;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  env = (extra = {}) => cloudEnv({ CRUDDUR_DATABASE_URL: postgres.url, ...extra });
  db = openDatabase({ databaseUrl: postgres.url });
  cognito = createCognitoClient(testConfig());
});
afterAll(async () => {
  cognito?.destroy();
  await db?.end();
  await postgres?.stop();
});

/** An empty users table with the current schema. */
async function emptyDirectory(): Promise<void> {
  await loadUsersSchema(db);
  await db.query('DELETE FROM users');
}

const handlesAndUuids = async () =>
  (
    await db.query<{ handle: string; uuid: string }>(
      'SELECT handle, uuid::text AS uuid FROM users ORDER BY handle',
    )
  ).rows;

const expectOneLineError = (stderr: string, pattern: RegExp) => {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(pattern);
};

describe('db:schema-load', () => {
  it('creates the users table, then reports it exists', async () => {
    await db.query('DROP TABLE IF EXISTS users');
    const first = await runScript('db:schema-load', [], env());
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /^created table users and its indexes in PostgreSQL at 127\.0\.0\.1:\d+\/postgres\n$/,
    );
    const again = await runScript('db:schema-load', [], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/table users already exists/);

    const indexes = await db.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'users'`,
    );
    expect(indexes.rows.map((row) => row.indexname)).toEqual(
      expect.arrayContaining([
        'users_handle_lower_key',
        'users_email_lower_key',
        'users_handle_prefix_idx',
        'users_display_name_prefix_idx',
      ]),
    );
    // The database makes the uuid; handles are unique whatever their case.
    const inserted = await db.query<{ uuid: string }>(
      `INSERT INTO users (handle, display_name, email) VALUES ('Kosh', 'Kosh Naranek', 'kosh@vorlon.test') RETURNING uuid::text`,
    );
    expect(inserted.rows[0]!.uuid).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      db.query(
        `INSERT INTO users (handle, display_name, email) VALUES ('kosh', 'Other', 'other@vorlon.test')`,
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });
});

describe('db:seed', () => {
  it('inserts the seeded people with their uuids once; a second run adds nothing', async () => {
    await emptyDirectory();
    const first = await runScript('db:seed', ['--json'], env());
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual({ inserted: 10, existing: 0, conflicting: [] });
    const again = await runScript('db:seed', [], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 inserted, 10 already present/);
    const expected = seedUsers().map(({ handle, uuid }) => ({ handle, uuid }));
    expect(await handlesAndUuids()).toEqual(expected.sort((a, b) => a.handle.localeCompare(b.handle)));
  });

  it('adds only the new people for a larger --users, and reports handles held by other uuids', async () => {
    await emptyDirectory();
    await seedDirectoryUsers(db, seedUsers({ count: 5 }));
    expect(await seedDirectoryUsers(db, seedUsers({ count: 8 }))).toEqual({
      inserted: 3,
      existing: 5,
      conflicting: [],
    });
    const other = await runScript('db:seed', ['--users', '9', '--seed-value', 'another-seed'], env());
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/1 inserted, 0 already present/);
    expectOneLineError(
      other.stderr,
      /^error: 8 not inserted because another uuid holds the handle or email: andrewbrown, bayko, londo, delenn, sheridan and 3 more/,
    );
    expect(await handlesAndUuids()).toHaveLength(9);
  });
});

describe('db:update-cognito-user-ids', () => {
  let ids: PoolIds;
  const people = seedUsers({ count: 10 });
  const emailOf = (handle: string) => people.find((p) => p.handle === handle)!.email;
  const extraRow: SeedUser = {
    uuid: '00000000-0000-4000-8000-00000000c05e',
    handle: 'Kosh',
    display_name: 'Kosh',
    email: 'kosh@vorlon.test',
  };

  const createAccount = (userPoolId: string, username: string, attributes: Record<string, string>) =>
    cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );

  const links = async () =>
    Object.fromEntries(
      (
        await db.query<{ handle: string; cognito_user_id: string | null }>(
          'SELECT handle, cognito_user_id FROM users',
        )
      ).rows.map((row) => [row.handle, row.cognito_user_id]),
    );

  const subsOf = async (userPoolId: string) =>
    new Map((await listCognitoUsers(cognito, userPoolId)).map((u) => [u.username, u.sub]));

  beforeAll(async () => {
    // Directory: the 10 seeded people plus 'Kosh'. Pool: all of them but vir (an unmatched row),
    // kosh in lower case (matches 'Kosh'), ulkesh (no row) and anonymous (no row): 12 accounts,
    // more than the proxy's page of 5.
    ids = await createPrivateUserPool(cognito);
    await seedCognitoUsers(
      cognito,
      ids.userPoolId,
      people.filter((p) => p.handle !== 'vir'),
      DEV_PASSWORD,
    );
    await createAccount(ids.userPoolId, 'kosh', { email: 'kosh@vorlon.test', email_verified: 'true' });
    await createAccount(ids.userPoolId, 'ulkesh', { email: 'ulkesh@vorlon.test', email_verified: 'true' });
    await createAccount(ids.userPoolId, 'anonymous', { email: 'anon@vorlon.test' });
  });

  it('links rows to subs across pages, then changes nothing on a second run', async () => {
    await emptyDirectory();
    await seedDirectoryUsers(db, [...people, extraRow]);
    const proxy = await startPagingProxy(testConfig().cognitoEndpoint!, 5);
    try {
      const viaProxy = env({
        CRUDDUR_COGNITO_ENDPOINT: proxy.endpoint,
        CRUDDUR_USER_POOL_ID: ids.userPoolId,
      });
      const first = await runScript('db:update-cognito-user-ids', ['--json'], viaProxy);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(first.stdout)).toEqual({
        updated: 10,
        alreadyRight: 0,
        unmatchedRows: 1,
        unmatchedCognitoUsers: 2,
        skipped: [],
      });
      expect(proxy.listUsersPages()).toBe(3);
      const again = await runScript('db:update-cognito-user-ids', [], viaProxy);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(
        'updated 0, already right 10\nunmatched users rows 1, unmatched Cognito users 2\n',
      );
    } finally {
      await proxy.close();
    }
    const subs = await subsOf(ids.userPoolId);
    for (const [handle, sub] of Object.entries(await links())) {
      expect(sub).toBe(handle === 'vir' ? null : subs.get(handle.toLowerCase()));
    }
  });

  it('links by username, never by the preferred_username an account gave itself', async () => {
    await emptyDirectory();
    await seedDirectoryUsers(db, people);
    const pool = await createPrivateUserPool(cognito);
    await seedCognitoUsers(cognito, pool.userPoolId, people.slice(0, 1), DEV_PASSWORD);
    await createAccount(pool.userPoolId, 'eve', {
      preferred_username: 'ivanova',
      email: emailOf('ivanova'),
      email_verified: 'true',
    });

    const result = await updateCognitoUserIds(db, cognito, pool.userPoolId);

    expect(result).toMatchObject({ updated: 1, unmatchedRows: 9, unmatchedCognitoUsers: 1, skipped: [] });
    expect(await links()).toMatchObject({
      andrewbrown: (await subsOf(pool.userPoolId)).get('andrewbrown'),
      ivanova: null,
    });
  });

  it("links only an account whose verified email is the row's, and reports the others", async () => {
    await emptyDirectory();
    await seedDirectoryUsers(db, people);
    const pool = await createPrivateUserPool(cognito);
    await createAccount(pool.userPoolId, 'delenn', { email: emailOf('delenn') });
    await createAccount(pool.userPoolId, 'sheridan', {
      email: 'not-sheridan@x.test',
      email_verified: 'true',
    });

    const result = await updateCognitoUserIds(db, cognito, pool.userPoolId);

    const reason = "its Cognito account's verified email is not this row's";
    expect(result).toMatchObject({
      updated: 0,
      skipped: [
        { handle: 'delenn', reason },
        { handle: 'sheridan', reason },
      ],
    });
    expect(await links()).toMatchObject({ delenn: null, sheridan: null });
  });

  it('never moves a linked row to another sub, and says so', async () => {
    await emptyDirectory();
    await seedDirectoryUsers(db, people);
    const formerSub = randomUUID();
    await db.query(`UPDATE users SET cognito_user_id = $1 WHERE handle = 'franklin'`, [formerSub]);
    const pool = await createPrivateUserPool(cognito);
    // As the seed made accounts before: preferred_username = handle, a verified email.
    await createAccount(pool.userPoolId, 'franklin', {
      preferred_username: 'franklin',
      email: emailOf('franklin'),
      email_verified: 'true',
    });

    const result = await updateCognitoUserIds(db, cognito, pool.userPoolId);

    expect(result).toMatchObject({
      updated: 0,
      skipped: [{ handle: 'franklin', reason: 'linked to a sub that is not in this user pool; not moved' }],
    });
    expect((await links())['franklin']).toBe(formerSub);
  });

  it('skips a username two accounts share in different cases and a sub linked to another row', async () => {
    await emptyDirectory();
    await seedDirectoryUsers(db, [...people, extraRow]);
    const pool = await createPrivateUserPool(cognito);
    await seedCognitoUsers(cognito, pool.userPoolId, people.slice(0, 3), DEV_PASSWORD);
    // cognito-local compares usernames exactly; a real pool (case-insensitive) would refuse this one.
    await createAccount(pool.userPoolId, 'Bayko', { email: emailOf('bayko'), email_verified: 'true' });
    const londoSub = (await subsOf(pool.userPoolId)).get('londo')!;
    await db.query(`UPDATE users SET cognito_user_id = $1 WHERE handle = 'Kosh'`, [londoSub]);

    const result = await updateCognitoUserIds(db, cognito, pool.userPoolId);
    expect(result).toEqual({
      updated: 1,
      alreadyRight: 0,
      unmatchedRows: 7,
      unmatchedCognitoUsers: 0,
      skipped: [
        { handle: 'bayko', reason: 'several Cognito accounts have this username' },
        { handle: 'Kosh', reason: 'linked to the Cognito account londo, whose username is not this handle' },
        { handle: 'londo', reason: 'its Cognito sub is linked to another users row' },
      ],
    });
    const linked = await db.query<{ handle: string }>(
      'SELECT handle FROM users WHERE cognito_user_id IS NOT NULL ORDER BY lower(handle)',
    );
    expect(linked.rows.map((row) => row.handle)).toEqual(['andrewbrown', 'Kosh']);
  });
});

describe('the db scripts fail in one line', () => {
  it('exit 5 when PostgreSQL or Cognito cannot be reached', async () => {
    const closedPg = env({
      CRUDDUR_DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
    });
    const closedCognito = env({ CRUDDUR_COGNITO_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    const [schema, seed, update, cognitoDown] = await Promise.all([
      runScript('db:schema-load', [], closedPg),
      runScript('db:seed', [], closedPg),
      runScript('db:update-cognito-user-ids', [], closedPg),
      runScript('db:update-cognito-user-ids', [], closedCognito),
    ]);
    for (const result of [schema, seed, update]) {
      expect(result.code).toBe(5);
      expectOneLineError(result.stderr, /^error: PostgreSQL at 127\.0\.0\.1:\d+\/postgres cannot be reached/);
    }
    expect(cognitoDown.code).toBe(5);
    expectOneLineError(cognitoDown.stderr, /^error: Cognito at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
  });

  it('gives up on a closed PostgreSQL port at once, without waiting out a timeout', async () => {
    // Timed in-process: a spawned script's own start-up time swamps this on a loaded machine.
    const closed = openDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
    });
    const started = Date.now();
    await expect(loadUsersSchema(closed)).rejects.toMatchObject({ code: 'Unavailable' });
    expect(Date.now() - started).toBeLessThan(3_000);
    await closed.end();
  });

  it('exit 2 with the usage line for bad flags', async () => {
    const results = await Promise.all([
      runScript('db:schema-load', ['--force'], env()),
      runScript('db:seed', ['--users', '2'], env()),
      runScript('db:update-cognito-user-ids', ['extra'], env()),
    ]);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: .*\nusage: npm run db:[a-z-]+ --/);
    }
    expect(results[1]!.stderr).toMatch(/--users must be a whole number from 3 to 500, not '2'/);
  });

  it('exit 3 with the fix when the users table is missing', async () => {
    await db.query('DROP TABLE IF EXISTS users');
    const result = await runScript('db:seed', [], env());
    expect(result.code).toBe(3);
    expectOneLineError(result.stderr, /has no users table; run npm run db:schema-load first/);
  });
});
