import type { Pool } from 'pg';
import type { Person } from '../../shared/model';
import { queryRows } from './query';

/**
 * The user directory in PostgreSQL: who is who. Every access pattern identifies people by the
 * uuid from here. Queries are single parameterised statements.
 */
export interface DirectoryUser extends Person {
  email: string;
  cognito_user_id: string | null;
}

/** The columns of a DirectoryUser, as every query of the directory selects them. */
export const DIRECTORY_COLUMNS = 'uuid::text AS uuid, handle, display_name, email, cognito_user_id';
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
      `SELECT ${DIRECTORY_COLUMNS} FROM users WHERE lower(handle) = lower($1)`,
      [handle],
    );
    return rows[0];
  }

  async findByCognitoUserId(sub: string): Promise<DirectoryUser | undefined> {
    const rows = await this.query<DirectoryUser>(
      `SELECT ${DIRECTORY_COLUMNS} FROM users WHERE cognito_user_id = $1`,
      [sub],
    );
    return rows[0];
  }

  /** Prefix search on handle or display name, case-insensitive, never the searcher, at most 20. */
  async search(prefix: string, excludeUuid: string): Promise<DirectoryUser[]> {
    const trimmed = prefix.trim();
    if (!trimmed) return [];
    return this.query<DirectoryUser>(
      `SELECT ${DIRECTORY_COLUMNS} FROM users
        WHERE (lower(handle) LIKE $1 OR lower(display_name) LIKE $1) AND uuid <> $2::uuid
        ORDER BY lower(handle) LIMIT ${SEARCH_LIMIT}`,
      [likePrefix(trimmed), excludeUuid],
    );
  }
}
