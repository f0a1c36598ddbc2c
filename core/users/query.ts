import type { Pool } from 'pg';
import { AppError } from '../../shared/result';
import { toAppError } from '../errors';

// SQLSTATE 42P01 undefined_table: the users schema was never loaded into this database.
const UNDEFINED_TABLE = '42P01';

/**
 * The one way the project runs SQL against the user directory, for the app and the admin scripts
 * alike: one parameterised statement; pg and network failures become typed AppErrors naming
 * `service`. The app keeps the plain "PostgreSQL" (its errors may travel to people who need not
 * know the server); the admin scripts pass the server's address, which is what an admin needs.
 */
export async function queryRows<T extends object>(
  pool: Pool,
  sql: string,
  params: unknown[] = [],
  service = 'PostgreSQL',
): Promise<T[]> {
  try {
    return (await pool.query<T>(sql, params)).rows;
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) {
      throw new AppError('NotFound', `${service} has no users table; run npm run db:schema-load first`, {
        cause: error,
      });
    }
    throw toAppError(error, service);
  }
}
