import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import type { Config } from '../../core/config';
import { USERS_SCHEMA_SQL } from '../../core/users/schema';
import { queryRows } from '../../core/users/query';
import { AppError } from '../../shared/result';
import { listCognitoUsers } from './cognito';
import type { SeedUser } from '../seed/users';

/**
 * The PostgreSQL side of the admin scripts and the local-cloud bootstrap: the users schema, the
 * seeded directory rows. Every query is ONE statement, because the embedded PGlite serves all
 * connections from a single session (a BEGIN…COMMIT across round trips would interleave).
 */

/** A small pool that gives up on a dead server within seconds instead of hanging. */
export function openDatabase(config: Pick<Config, 'databaseUrl'>): pg.Pool {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
  // An idle client whose server goes away emits on the pool; unheard, Node would crash on it.
  pool.on('error', () => undefined);
  return pool;
}

/** `PostgreSQL at host:port/db` for messages, never the password. */
export function databaseLabel(pool: pg.Pool): string {
  const { connectionString, host, port, database } = pool.options;
  try {
    if (connectionString) {
      const url = new URL(connectionString);
      return `PostgreSQL at ${url.host}${url.pathname}`;
    }
  } catch {
    // Not a URL after all: fall back to the discrete options below.
  }
  return `PostgreSQL at ${host ?? 'localhost'}:${port ?? 5432}/${database ?? ''}`;
}

const USERS_COLUMNS = ['uuid', 'handle', 'display_name', 'email', 'cognito_user_id', 'created_at'];

/**
 * Creates the users table and its indexes (USERS_SCHEMA_SQL, the one definition the app uses too),
 * or completes an existing one's indexes. An existing table missing columns is a Conflict, since
 * the app would fail on it later in a less clear way.
 */
export async function loadUsersSchema(pool: pg.Pool): Promise<{ created: boolean }> {
  const server = databaseLabel(pool);
  const [before] = await queryRows<{ exists: boolean }>(
    pool,
    `SELECT to_regclass('users') IS NOT NULL AS exists`,
    [],
    server,
  );
  await queryRows(pool, USERS_SCHEMA_SQL, [], server);
  const columns = await queryRows<{ column_name: string }>(
    pool,
    `SELECT column_name FROM information_schema.columns
      WHERE table_name = 'users' AND table_schema = current_schema()`,
    [],
    server,
  );
  const present = new Set(columns.map((column) => column.column_name));
  const missing = USERS_COLUMNS.filter((column) => !present.has(column));
  if (missing.length > 0) {
    throw new AppError(
      'Conflict',
      `the existing users table in ${server} lacks column(s) ${missing.join(', ')}; migrate or drop it`,
    );
  }
  return { created: !before?.exists };
}

export interface DirectorySeedResult {
  inserted: number;
  /** Rows whose uuid was already there (an earlier seed). */
  existing: number;
  /** Handles not inserted because a row with another uuid holds that handle or email. */
  conflicting: string[];
}

/** Rows per INSERT: big enough to be quick, small enough for the statement's parameter arrays. */
const SEED_CHUNK = 1_000;

/**
 * Inserts the seeded people with their own uuids (the ones the DynamoDB seed writes), skipping any
 * already there, so it can run any number of times. A handle or email held by a different uuid is
 * reported as conflicting rather than overwritten: that row may be a real person.
 */
export async function seedDirectoryUsers(pool: pg.Pool, users: SeedUser[]): Promise<DirectorySeedResult> {
  const result: DirectorySeedResult = { inserted: 0, existing: 0, conflicting: [] };
  for (let start = 0; start < users.length; start += SEED_CHUNK) {
    const chunk = users.slice(start, start + SEED_CHUNK);
    // The final SELECT reads `users` as it was before this statement's INSERT (one snapshot), so
    // "existing" means present beforehand and the RETURNING list tells what this run added.
    const rows = await queryRows<{ handle: string; outcome: 'inserted' | 'existing' | 'conflicting' }>(
      pool,
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
           AS t(uuid, handle, display_name, email)
       ), inserted AS (
         INSERT INTO users (uuid, handle, display_name, email)
         SELECT uuid, handle, display_name, email FROM input
         ON CONFLICT DO NOTHING
         RETURNING uuid
       )
       SELECT i.handle,
              CASE WHEN i.uuid IN (SELECT uuid FROM inserted) THEN 'inserted'
                   WHEN EXISTS (SELECT 1 FROM users u WHERE u.uuid = i.uuid) THEN 'existing'
                   ELSE 'conflicting' END AS outcome
         FROM input i`,
      [
        chunk.map((user) => user.uuid),
        chunk.map((user) => user.handle),
        chunk.map((user) => user.display_name),
        chunk.map((user) => user.email),
      ],
      databaseLabel(pool),
    );
    for (const row of rows) {
      if (row.outcome === 'conflicting') result.conflicting.push(row.handle);
      else result[row.outcome] += 1;
    }
  }
  return result;
}

export interface CognitoIdUpdate {
  updated: number;
  alreadyRight: number;
  /** users rows whose handle no Cognito user has as preferred_username. */
  unmatchedRows: number;
  /** Cognito users with no preferred_username, or none matching a users row. */
  unmatchedCognitoUsers: number;
  /** Handles left alone, and why: changing them would be a guess. */
  skipped: { handle: string; reason: string }[];
}

/**
 * One statement (PGlite's single session, and atomic anyway): $1/$2 are the unambiguous Cognito
 * handles (lower case) and their subs, $3 the ambiguous handles, which count as neither matched
 * nor unmatched. The counting SELECTs see the table as before the UPDATE, which is what they
 * report on.
 */
const UPDATE_COGNITO_IDS_SQL = `
WITH cognito AS (
  SELECT * FROM unnest($1::text[], $2::text[]) AS c(handle, sub)
), matched AS (
  SELECT u.uuid, u.handle, u.cognito_user_id AS current_sub, c.sub
    FROM users u JOIN cognito c ON lower(u.handle) = c.handle
), blocked AS (
  SELECT m.uuid, m.handle FROM matched m
    JOIN users other ON other.cognito_user_id = m.sub AND other.uuid <> m.uuid
), updated AS (
  UPDATE users u SET cognito_user_id = m.sub
    FROM matched m
   WHERE u.uuid = m.uuid
     AND u.cognito_user_id IS DISTINCT FROM m.sub
     AND m.uuid NOT IN (SELECT uuid FROM blocked)
  RETURNING u.uuid
)
SELECT
  (SELECT count(*) FROM updated)::int AS updated,
  (SELECT count(*) FROM matched WHERE current_sub = sub)::int AS already_right,
  (SELECT count(*) FROM users u
    WHERE NOT EXISTS (SELECT 1 FROM cognito c WHERE c.handle = lower(u.handle))
      AND lower(u.handle) <> ALL($3::text[]))::int AS unmatched_rows,
  (SELECT count(*) FROM cognito c
    WHERE NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.handle) = c.handle))::int AS unmatched_cognito,
  ARRAY(SELECT handle FROM blocked ORDER BY handle) AS blocked`;

/**
 * Links the directory to the pool: users.cognito_user_id = the `sub` of the Cognito user whose
 * preferred_username equals users.handle (case-insensitively). Rows already right are not
 * touched, so a second run updates nothing. Two Cognito users claiming one handle (cognito-local
 * does not enforce unique preferred_username), or a sub already linked to another row, are
 * skipped and reported instead of guessed at.
 */
export async function updateCognitoUserIds(
  pool: pg.Pool,
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  options: { pageSize?: number } = {},
): Promise<CognitoIdUpdate> {
  const cognitoUsers = await listCognitoUsers(cognito, userPoolId, options);
  const subsByHandle = new Map<string, string[]>();
  for (const user of cognitoUsers) {
    if (!user.preferredUsername) continue;
    const handle = user.preferredUsername.toLowerCase();
    subsByHandle.set(handle, [...(subsByHandle.get(handle) ?? []), user.sub]);
  }
  const linkable = [...subsByHandle].filter(([, subs]) => subs.length === 1);
  const ambiguous = [...subsByHandle].filter(([, subs]) => subs.length > 1).map(([handle]) => handle);
  const [counts] = await queryRows<{
    updated: number;
    already_right: number;
    unmatched_rows: number;
    unmatched_cognito: number;
    blocked: string[];
  }>(
    pool,
    UPDATE_COGNITO_IDS_SQL,
    [linkable.map(([handle]) => handle), linkable.map(([, subs]) => subs[0]), ambiguous],
    databaseLabel(pool),
  );
  const withoutPreferredUsername = cognitoUsers.filter((user) => !user.preferredUsername).length;
  return {
    updated: counts!.updated,
    alreadyRight: counts!.already_right,
    unmatchedRows: counts!.unmatched_rows,
    unmatchedCognitoUsers: counts!.unmatched_cognito + withoutPreferredUsername,
    skipped: [
      ...ambiguous.map((handle) => ({
        handle,
        reason: 'several Cognito users have this preferred_username',
      })),
      ...counts!.blocked.map((handle) => ({
        handle,
        reason: 'its Cognito sub is linked to another users row',
      })),
    ],
  };
}
