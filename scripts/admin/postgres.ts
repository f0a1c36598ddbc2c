import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import { PG_POOL_TIMEOUTS } from '../../core/clients';
import type { Config } from '../../core/config';
import { USERS_SCHEMA_SQL } from '../../core/users/schema';
import { queryRows } from '../../core/users/query';
import { AppError } from '../../shared/result';
import { listCognitoUsers, type CognitoUserSummary } from './cognito';
import type { SeedUser } from '../seed/users';

/**
 * The PostgreSQL side of the admin scripts and the local-cloud bootstrap: the users schema, the
 * seeded directory rows. Every query is ONE statement, because the embedded PGlite serves all
 * connections from a single session (a BEGIN…COMMIT across round trips would interleave).
 */

/** A small pool that gives up on a dead or silent server within seconds instead of hanging. */
export function openDatabase(config: Pick<Config, 'databaseUrl'>): pg.Pool {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, ...PG_POOL_TIMEOUTS });
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
  /** users rows that no Cognito account is named after and none is linked to. */
  unmatchedRows: number;
  /** Cognito accounts that no users row is named after and none is linked to. */
  unmatchedCognitoUsers: number;
  /** Handles left alone, and why: changing them would be a guess, or would move a link. */
  skipped: { handle: string; reason: string }[];
}

interface DirectoryLinkRow {
  uuid: string;
  handle: string;
  email: string;
  cognito_user_id: string | null;
}

/**
 * The decision for each row that an account is named after or linked to. A row is linked only
 * to the account whose username is its handle and whose VERIFIED email is its email, as the app
 * links at sign-in; a row already linked is never moved.
 */
function planLinks(rows: DirectoryLinkRow[], accounts: CognitoUserSummary[]) {
  const bySub = new Map(accounts.map((account) => [account.sub, account]));
  const byUsername = new Map<string, CognitoUserSummary[]>();
  for (const account of accounts) {
    const name = account.username.toLowerCase();
    byUsername.set(name, [...(byUsername.get(name) ?? []), account]);
  }
  const linkedSubs = new Set(rows.flatMap((row) => (row.cognito_user_id ? [row.cognito_user_id] : [])));
  const links: { uuid: string; sub: string }[] = [];
  const skipped: CognitoIdUpdate['skipped'] = [];
  let alreadyRight = 0;
  for (const row of rows) {
    const skip = (reason: string) => skipped.push({ handle: row.handle, reason });
    const handle = row.handle.toLowerCase();
    const owner = row.cognito_user_id === null ? undefined : bySub.get(row.cognito_user_id);
    const named = byUsername.get(handle) ?? [];
    if (owner && owner.username.toLowerCase() === handle) alreadyRight += 1;
    else if (owner)
      skip(`linked to the Cognito account ${owner.username}, whose username is not this handle`);
    // A local pool compares usernames exactly, so `Bayko` and `bayko` can both exist there.
    else if (named.length > 1) skip('several Cognito accounts have this username');
    else if (row.cognito_user_id !== null) skip('linked to a sub that is not in this user pool; not moved');
    else if (linkedSubs.has(named[0]!.sub)) skip('its Cognito sub is linked to another users row');
    else if (!named[0]!.emailVerified || named[0]!.email?.toLowerCase() !== row.email.toLowerCase())
      skip("its Cognito account's verified email is not this row's");
    else links.push({ uuid: row.uuid, sub: named[0]!.sub });
  }
  const rowHandles = new Set(rows.map((row) => row.handle.toLowerCase()));
  const unmatchedAccounts = accounts.filter(
    (account) => !linkedSubs.has(account.sub) && !rowHandles.has(account.username.toLowerCase()),
  ).length;
  skipped.sort((a, b) => a.handle.toLowerCase().localeCompare(b.handle.toLowerCase()));
  return { links, skipped, alreadyRight, unmatchedAccounts };
}

/**
 * Links the directory to the pool (users.cognito_user_id = the account's sub) by the rule of
 * planLinks. Each query is one statement (PGlite's single session); the UPDATE links a row only
 * while it is still unlinked and the sub still free, so a sign-in linking meanwhile wins. Rows
 * already right are not touched, so a second run updates nothing.
 */
export async function updateCognitoUserIds(
  pool: pg.Pool,
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  options: { pageSize?: number } = {},
): Promise<CognitoIdUpdate> {
  const server = databaseLabel(pool);
  const accounts = await listCognitoUsers(cognito, userPoolId, options);
  const usernames = accounts.map((account) => account.username.toLowerCase());
  const subs = accounts.map((account) => account.sub);
  const rows = await queryRows<DirectoryLinkRow>(
    pool,
    `SELECT uuid::text AS uuid, handle, email, cognito_user_id FROM users
      WHERE lower(handle) = ANY($1::text[]) OR cognito_user_id = ANY($2::text[])`,
    [usernames, subs],
    server,
  );
  const [unmatched] = await queryRows<{ rows: number }>(
    pool,
    `SELECT count(*)::int AS rows FROM users
      WHERE lower(handle) <> ALL($1::text[])
        AND (cognito_user_id IS NULL OR cognito_user_id <> ALL($2::text[]))`,
    [usernames, subs],
    server,
  );
  const plan = planLinks(rows, accounts);
  const updated = await queryRows<{ uuid: string }>(
    pool,
    `UPDATE users u SET cognito_user_id = l.sub
       FROM unnest($1::uuid[], $2::text[]) AS l(uuid, sub)
      WHERE u.uuid = l.uuid AND u.cognito_user_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM users other WHERE other.cognito_user_id = l.sub)
     RETURNING u.uuid`,
    [plan.links.map((link) => link.uuid), plan.links.map((link) => link.sub)],
    server,
  );
  return {
    updated: updated.length,
    alreadyRight: plan.alreadyRight,
    unmatchedRows: unmatched!.rows,
    unmatchedCognitoUsers: plan.unmatchedAccounts,
    skipped: plan.skipped,
  };
}
