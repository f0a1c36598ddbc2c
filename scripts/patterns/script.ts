import { join } from 'node:path';
import type { z } from 'zod';
import { loadConfig, type Config } from '../../core/config';
import { createDynamoClient } from '../../core/clients';
import { loadOrCreateCursorSecret, MessageService } from '../../core/messages';
import { UserDirectory, type DirectoryUser } from '../../core/users/directory';
import { parseInput } from '../../core/input';
import {
  DEFAULT_PAGE_SIZE,
  MAX_MESSAGE_LENGTH,
  MAX_PAGE_SIZE,
  messageGroupUuidSchema,
  messageTextSchema,
  type PageOptions,
} from '../../shared/messages';
import { AppError } from '../../shared/result';
import { intFlag, UsageError, type CliOption, type CliOptions } from '../cli/cli';
import { openDatabase } from '../admin/postgres';
import { dynamoError } from '../admin/dynamodb';
import { shorten } from '../output/columns';

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
  asHandle: string,
  body: (session: PatternSession, caller: DirectoryUser) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  if (!asHandle.trim()) throw new UsageError('--as <handle> must name a person, not be blank');
  const session = openPatternSession(env);
  try {
    return await body(session, await session.person(asHandle, '--as'));
  } catch (error) {
    throw withEndpoint(error, session.config);
  } finally {
    await session.close();
  }
}

/**
 * Parses a flag with one of the service's own schemas, through the one input parser the app's
 * boundaries use, so the script accepts and refuses exactly what the app does; the error names
 * the flag, and `problem` replaces the schema's wording where an admin needs a hint instead.
 */
export function parseFlag<S extends z.ZodType>(
  schema: S,
  value: string,
  flag: string,
  problem?: string,
): z.output<S> {
  try {
    return parseInput(schema, value);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new AppError(error.code, `${flag}: ${problem ?? error.message}`, { cause: error });
  }
}

/** A conversation's uuid, lower-cased as the table keys it. */
export const groupUuidFlag = (value: string, flag: string): string =>
  parseFlag(
    messageGroupUuidSchema,
    value,
    flag,
    `'${shorten(value, 40)}' is not a conversation uuid (ddb:list-conversations shows them)`,
  );

/** --as as every pattern script takes it: whose view to read, or who sends. */
export const AS_OPTION = {
  type: 'string',
  value: '<handle>',
  required: true,
  help: 'the person to act as (looked up in the PostgreSQL users table)',
} as const satisfies CliOption;

/** --text as both create scripts take it; `messageText` checks it as the service will. */
export const TEXT_OPTION = {
  type: 'string',
  value: '<text>',
  required: true,
  help: `the message: 1 to ${MAX_MESSAGE_LENGTH.toLocaleString('en-US')} characters, not only white space`,
} as const satisfies CliOption;

export const messageText = (text: string): string => parseFlag(messageTextSchema, text, '--text');

export const PAGE_OPTIONS = {
  as: AS_OPTION,
  limit: {
    type: 'string',
    value: 'N',
    help: `page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`,
  },
  cursor: {
    type: 'string',
    value: 'C',
    help: 'read the next (older) page: the cursor the previous page printed',
  },
  json: { type: 'boolean', help: 'print one JSON object: { items, cursor, consumed_capacity }' },
} as const satisfies CliOptions;

export function pageOptions(values: { limit?: string; cursor?: string }): PageOptions {
  return {
    limit: intFlag(values.limit, '--limit', { min: 1, max: MAX_PAGE_SIZE }),
    cursor: values.cursor,
  };
}
