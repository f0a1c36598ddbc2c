import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type Config } from '../../core/config';
import { createDynamoClient } from '../../core/clients';
import { toAppError } from '../../core/errors';
import { AppError } from '../../shared/result';

/**
 * What every ddb:* script needs: the config, a client, and errors that name the endpoint and the
 * table, so "cannot be reached" or "not found" tells the admin which one.
 */
export interface DynamoScript {
  config: Config;
  db: DynamoDBDocumentClient;
}

/** e.g. `target local, region us-east-1, endpoint http://127.0.0.1:8000, table cruddur-messages` */
export function describeTarget(config: Config, options: { table?: boolean } = {}): string {
  const parts = [`target ${config.target}`, `region ${config.region}`];
  if (config.dynamodbEndpoint) parts.push(`endpoint ${config.dynamodbEndpoint}`);
  if (options.table ?? true) parts.push(`table ${config.tableName}`);
  return parts.join(', ');
}

function dynamoName(config: Config): string {
  return config.dynamodbEndpoint ? `DynamoDB at ${config.dynamodbEndpoint}` : `DynamoDB in ${config.region}`;
}

/**
 * Something answered HTTP, but not as DynamoDB does (an unknown error code, or a body that is not
 * JSON): typically the endpoint names another program's port.
 */
function answeredButNotDynamo(error: unknown): number | undefined {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (!e.$metadata || (e.name !== 'Unknown' && e.name !== 'SyntaxError')) return undefined;
  return e.$metadata.httpStatusCode ?? 0;
}

/** Maps an SDK error, naming the table when it is the table that is missing. */
export function dynamoError(error: unknown, config: Config): AppError {
  const status = answeredButNotDynamo(error);
  if (status !== undefined) {
    return new AppError(
      'Unavailable',
      `${dynamoName(config)} answered${status ? ` HTTP ${status}` : ''}, but not as DynamoDB does; check CRUDDUR_DYNAMODB_ENDPOINT`,
      { cause: error },
    );
  }
  const appError = toAppError(error, dynamoName(config));
  if (appError.code === 'NotFound' && (error as { name?: string }).name === 'ResourceNotFoundException') {
    return new AppError(
      'NotFound',
      `table '${config.tableName}' does not exist (${describeTarget(config, { table: false })}); npm run ddb:schema-load creates it`,
      { cause: error },
    );
  }
  return appError;
}

/** Runs `body` with a client for the configured DynamoDB, mapping every error and closing the client. */
export async function withDynamo<T>(body: (script: DynamoScript) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = createDynamoClient(config);
  try {
    return await body({ config, db });
  } catch (error) {
    throw dynamoError(error, config);
  } finally {
    db.destroy();
  }
}

/** Fails with NotFound (exit 3) unless the configured table exists. */
export async function requireTable({ config, db }: DynamoScript): Promise<void> {
  await db.send(new DescribeTableCommand({ TableName: config.tableName }));
}

/** 12345 → "12,345": counts an admin reads at a glance. */
export const formatCount = (value: number): string => value.toLocaleString('en-US');
