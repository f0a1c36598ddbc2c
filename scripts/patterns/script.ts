import { join } from 'node:path';
import type { z } from 'zod';
import { loadConfig, type Config } from '../../core/config';
import { createDynamoClient } from '../../core/clients';
import { loadOrCreateCursorSecret, MessageService } from '../../core/messages';
import { UserDirectory, type DirectoryUser } from '../../core/users/directory';
import { MAX_PAGE_SIZE, messageGroupUuidSchema, type PageOptions } from '../../shared/messages';
import { AppError } from '../../shared/result';
import { intFlag, UsageError } from '../cli/cli';
import { openDatabase } from '../admin/postgres';
import { dynamoError } from '../admin/dynamodb';
import { shorten } from '../output/table';

/**
 * What the pattern scripts (ddb:get-conversation, ddb:list-conversations, ddb:create-message,
 * ddb:create-message-group) share: the ONE MessageService the app uses, built from the config
 * and the PostgreSQL directory, and the caller named by --as. The scripts never touch the table
 * themselves, so they show exactly what the app would.
 */
export interface PatternSession {
  config: Config;
  service: MessageService;
  /** The person a handle names (a leading @ is fine), or NotFound naming the handle. */
  person(handle: string, flag: string): Promise<DirectoryUser>;
  close(): Promise<void>;
}

/** Kept beside the local cloud's data, so a cursor printed by one run is accepted by the next. */
export const cursorSecretFile = (config: Config): string => join(config.localDir, 'scripts-cursor.key');

export function openPatternSession(env: NodeJS.ProcessEnv = process.env): PatternSession {
  const config = loadConfig(env);
  const pool = openDatabase(config);
  const db = createDynamoClient(config);
  const directory = new UserDirectory(pool);
  const service = new MessageService({
    db,
    tableName: config.tableName,
    directory,
    cursorSecret: loadOrCreateCursorSecret(cursorSecretFile(config)),
  });
  return {
    config,
    service,
    async person(handle, flag) {
      const user = await directory.findByHandle(handle.trim().replace(/^@/, ''));
      if (!user) throw new AppError('NotFound', `${flag}: no user with handle '${handle}'`);
      return user;
    },
    async close() {
      db.destroy();
      await pool.end();
    },
  };
}

/**
 * The service labels its DynamoDB failures "DynamoDB"; an admin also needs to know WHICH endpoint
 * could not be reached or which table is missing, so those are described again from the SDK error.
 */
function withEndpoint(error: unknown, config: Config): unknown {
  if (!(error instanceof AppError) || !['Unavailable', 'NotFound', 'Internal'].includes(error.code))
    return error;
  const cause: unknown = error.cause;
  const fromSdk = typeof cause === 'object' && cause !== null && '$metadata' in cause;
  return fromSdk ? dynamoError(cause, config) : error;
}

/**
 * Runs a script body with a session and the caller named by --as; closes the clients and the
 * pool afterwards so the process exits as soon as it is done.
 */
export async function withPatternScript<T>(
  asHandle: string | undefined,
  body: (session: PatternSession, caller: DirectoryUser) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  if (!asHandle?.trim()) throw new UsageError('--as <handle> is required: the person to act as');
  const session = openPatternSession(env);
  try {
    return await body(session, await session.person(asHandle, '--as'));
  } catch (error) {
    throw withEndpoint(error, session.config);
  } finally {
    await session.close();
  }
}

/** Parses a flag with one of the service's own schemas, so the error names the flag. */
export function parseFlag<S extends z.ZodType>(schema: S, value: string, flag: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('Invalid', `${flag}: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
}

/** A conversation's uuid, lower-cased as the table keys it. */
export function groupUuidFlag(value: string, flag: string): string {
  const parsed = messageGroupUuidSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'Invalid',
    `${flag}: '${shorten(value)}' is not a conversation uuid (ddb:list-conversations shows them)`,
  );
}

/** A flag the script cannot run without. */
export function requiredFlag(value: string | undefined, flag: string, what: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required: ${what}`);
  return value;
}

export const PAGE_OPTIONS = {
  as: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const PAGE_HELP = [
  '--as <handle>     act as this person (looked up in the PostgreSQL users table)',
  `--limit N         page size, 1 to ${MAX_PAGE_SIZE} (default 50)`,
  '--cursor C        read the next (older) page: the cursor the previous page printed',
  '--json            print one JSON object: { items, cursor, consumed_capacity }',
];

export function pageOptions(values: { limit?: string; cursor?: string }): PageOptions {
  return {
    limit: intFlag(values.limit, '--limit', { min: 1, max: MAX_PAGE_SIZE }),
    cursor: values.cursor,
  };
}

/** `… | head` closes stdout early: that is the reader being done, not an error. */
export function endQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
