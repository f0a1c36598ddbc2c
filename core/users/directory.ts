import type { Pool } from 'pg';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { queryRows } from './query';

/**
 * The user directory in PostgreSQL: who is who. Every access pattern identifies people by the
 * uuid from here. Queries are single parameterised statements.
 */
export interface DirectoryUser extends Person {
  email: string;
  cognito_user_id: string | null;
}

export const USERS_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS users (
  uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  handle text NOT NULL CHECK (handle ~ '^[A-Za-z0-9_]{1,32}$'),
  display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
  email text NOT NULL CHECK (position('@' in email) > 1),
  cognito_user_id text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_handle_lower_key ON users (lower(handle));
CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email));
CREATE INDEX IF NOT EXISTS users_handle_prefix_idx ON users (lower(handle) text_pattern_ops);
CREATE INDEX IF NOT EXISTS users_display_name_prefix_idx ON users (lower(display_name) text_pattern_ops);
`;

const COLUMNS = 'uuid::text AS uuid, handle, display_name, email, cognito_user_id';
export const SEARCH_LIMIT = 20;

/** Escapes LIKE wildcards so a search for "a_b" means exactly that. */
const likePrefix = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class UserDirectory {
  constructor(private readonly pool: Pool) {}

  private query<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    return queryRows<T>(this.pool, sql, params);
  }

  async findByHandle(handle: string): Promise<DirectoryUser | undefined> {
    const rows = await this.query<DirectoryUser>(
      `SELECT ${COLUMNS} FROM users WHERE lower(handle) = lower($1)`,
      [handle],
    );
    return rows[0];
  }

  async findByUuid(uuid: string): Promise<DirectoryUser | undefined> {
    const rows = await this.query<DirectoryUser>(`SELECT ${COLUMNS} FROM users WHERE uuid = $1::uuid`, [
      uuid,
    ]);
    return rows[0];
  }

  async findByCognitoUserId(sub: string): Promise<DirectoryUser | undefined> {
    const rows = await this.query<DirectoryUser>(`SELECT ${COLUMNS} FROM users WHERE cognito_user_id = $1`, [
      sub,
    ]);
    return rows[0];
  }

  /** Looks a handle up, or throws NotFound naming it. */
  async requireByHandle(handle: string): Promise<DirectoryUser> {
    const user = await this.findByHandle(handle);
    if (!user) throw new AppError('NotFound', `no user with handle '${handle}'`);
    return user;
  }

  /** Prefix search on handle or display name, case-insensitive, never the searcher, at most 20. */
  async search(prefix: string, excludeUuid: string): Promise<DirectoryUser[]> {
    const trimmed = prefix.trim();
    if (!trimmed) return [];
    return this.query<DirectoryUser>(
      `SELECT ${COLUMNS} FROM users
        WHERE (lower(handle) LIKE $1 OR lower(display_name) LIKE $1) AND uuid <> $2::uuid
        ORDER BY lower(handle) LIMIT ${SEARCH_LIMIT}`,
      [likePrefix(trimmed), excludeUuid],
    );
  }
}
