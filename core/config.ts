import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { backendTargets, type BackendTarget } from '../shared/targets';
import {
  REGION_PATTERN,
  TABLE_NAME_PATTERN,
  USER_POOL_CLIENT_ID_PATTERN,
  USER_POOL_ID_PATTERN,
  type ConnectionField,
  type ConnectionSource,
} from '../shared/connection';
import { apiUrlSchema, type ConnectionFile } from '../shared/connection-schema';
import { AppError } from '../shared/result';
import { DEFAULT_TABLE_NAME } from './table';

/**
 * The one configuration module of the app and every script. Defaults point at the local cloud
 * (`npm run local`); the app's connection.json (the Settings view's, see connection-file.ts)
 * overrides them, and every value can be overridden again by a CRUDDUR_* variable (developers).
 * Every value is validated, so a typo names the variable instead of surfacing later as a strange
 * network error.
 */
export interface Config {
  target: BackendTarget;
  region: string;
  tableName: string;
  /** undefined on target aws: the SDK picks the regional endpoint. */
  dynamodbEndpoint: string | undefined;
  cognitoEndpoint: string | undefined;
  userPoolId: string | undefined;
  userPoolClientId: string | undefined;
  databaseUrl: string;
  /** True when the local cloud serves its own PostgreSQL (target local, no CRUDDUR_DATABASE_URL). */
  embeddedPostgres: boolean;
  /** Where the local cloud keeps its data, ids and pid file. */
  localDir: string;
  /**
   * The message API's base URL (API mode): set, the app talks to it with the person's tokens and
   * holds no AWS credentials and no database connection. undefined: direct mode.
   */
  apiUrl: string | undefined;
  /** The port the local cloud serves its message API on (as API Gateway would): 8787 by default. */
  localApiPort: number;
}

const url = z.url({ protocol: /^https?$/, error: 'an http(s) URL such as http://127.0.0.1:8000' });

const portNumber = z.coerce
  .number({ error: 'a port number from 1024 to 65535' })
  .int({ error: 'a port number from 1024 to 65535' })
  .min(1024, { error: 'a port number from 1024 to 65535' })
  .max(65535, { error: 'a port number from 1024 to 65535' });

const variables = {
  CRUDDUR_TARGET: z.enum(backendTargets, { error: `one of: ${backendTargets.join(', ')}` }),
  CRUDDUR_REGION: z.string().regex(REGION_PATTERN, { error: 'an AWS region such as us-east-1' }),
  CRUDDUR_TABLE: z
    .string()
    .regex(TABLE_NAME_PATTERN, { error: 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)' }),
  CRUDDUR_DYNAMODB_ENDPOINT: url,
  CRUDDUR_COGNITO_ENDPOINT: url,
  CRUDDUR_USER_POOL_ID: z
    .string()
    .regex(USER_POOL_ID_PATTERN, { error: 'a user pool id such as us-east-1_AbC123' }),
  CRUDDUR_USER_POOL_CLIENT_ID: z
    .string()
    .regex(USER_POOL_CLIENT_ID_PATTERN, { error: 'an app client id (letters and digits)' }),
  CRUDDUR_DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: 'a PostgreSQL URL such as postgres://user:password@host:5432/db',
  }),
  CRUDDUR_LOCAL_DIR: z.string().min(1, { error: 'a folder path' }),
  CRUDDUR_API_URL: apiUrlSchema,
  CRUDDUR_LOCAL_PG_PORT: portNumber,
  CRUDDUR_LOCAL_API_PORT: portNumber,
} as const;

type VariableName = keyof typeof variables;

/** A database URL carries its password, and an invalid one cannot be parsed to mask it: never echo it. */
const SECRET_BEARING: ReadonlySet<VariableName> = new Set(['CRUDDUR_DATABASE_URL']);

export const LOCAL_DEFAULTS = {
  region: 'us-east-1',
  dynamodbEndpoint: 'http://127.0.0.1:8000',
  cognitoEndpoint: 'http://127.0.0.1:9229',
  postgresPort: 5433,
  apiPort: 8787,
} as const;

export const embeddedDatabaseUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

/** What the local cloud writes once it has bootstrapped, so the app and scripts find its ids. */
const localCloudFile = z.object({
  userPoolId: z.string(),
  userPoolClientId: z.string(),
});

export function localCloudFilePath(localDir: string): string {
  return resolve(localDir, 'cloud.json');
}

function readVariable<N extends VariableName>(
  env: NodeJS.ProcessEnv,
  name: N,
): z.output<(typeof variables)[N]> | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const parsed = variables[name].safeParse(raw);
  if (!parsed.success) {
    const given = SECRET_BEARING.has(name) ? name : `${name}=${JSON.stringify(raw)}`;
    throw new AppError('Invalid', `${given} is not valid: expected ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data as z.output<(typeof variables)[N]>;
}

function readLocalCloudIds(localDir: string): z.infer<typeof localCloudFile> | undefined {
  const file = localCloudFilePath(localDir);
  if (!existsSync(file)) return undefined;
  const parsed = localCloudFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** What connection.json gives loadConfig, with the database password decrypted (if one is kept). */
export type SavedConnection = Omit<ConnectionFile, 'version'> & { databasePassword?: string | undefined };

/** The variable that overrides each field of a connection. */
export const CONNECTION_VARIABLES = {
  target: 'CRUDDUR_TARGET',
  region: 'CRUDDUR_REGION',
  tableName: 'CRUDDUR_TABLE',
  userPoolId: 'CRUDDUR_USER_POOL_ID',
  userPoolClientId: 'CRUDDUR_USER_POOL_CLIENT_ID',
  databaseUrl: 'CRUDDUR_DATABASE_URL',
  apiUrl: 'CRUDDUR_API_URL',
} as const satisfies Record<ConnectionField, VariableName>;

/**
 * The saved connection that applies, if any. A developer who sets CRUDDUR_TARGET to another target
 * than the file's gets that target's defaults, not the file's region, table and pool of the other
 * one (a mix of a local table and an AWS pool answers nothing).
 */
function applicable(env: NodeJS.ProcessEnv, saved: SavedConnection | undefined): SavedConnection | undefined {
  const target = readVariable(env, 'CRUDDUR_TARGET');
  return saved && (target === undefined || target === saved.target) ? saved : undefined;
}

/** Who sets each field of the connection: the environment, the saved file, or a default. */
export function connectionSources(
  env: NodeJS.ProcessEnv,
  saved: SavedConnection | undefined,
): Record<ConnectionField, ConnectionSource> {
  const file = applicable(env, saved);
  const sourceOf = (field: ConnectionField): ConnectionSource => {
    const raw = env[CONNECTION_VARIABLES[field]];
    if (raw !== undefined && raw !== '') return 'environment';
    const value = file?.[field];
    return value !== undefined && value !== null ? 'file' : 'default';
  };
  return Object.fromEntries(
    Object.keys(CONNECTION_VARIABLES).map((field) => [field, sourceOf(field as ConnectionField)]),
  ) as Record<ConnectionField, ConnectionSource>;
}

/** The saved (passwordless) URL with the kept password in it. */
function withPassword(databaseUrl: string, password: string | undefined): string {
  if (!password) return databaseUrl;
  const url = new URL(databaseUrl);
  url.password = password;
  return url.toString();
}

/**
 * The config: each value from the environment, else from `saved` (the app's connection.json),
 * else the local cloud's default. The scripts and tests call it with the environment alone.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  saved?: SavedConnection,
): Config {
  const file = applicable(env, saved);
  const target = readVariable(env, 'CRUDDUR_TARGET') ?? file?.target ?? 'local';
  const localDir = resolve(cwd, readVariable(env, 'CRUDDUR_LOCAL_DIR') ?? '.local-cloud');
  const local = target === 'local';
  const externalDatabaseUrl =
    readVariable(env, 'CRUDDUR_DATABASE_URL') ??
    (file?.databaseUrl ? withPassword(file.databaseUrl, file.databasePassword) : undefined);
  const postgresPort = readVariable(env, 'CRUDDUR_LOCAL_PG_PORT') ?? LOCAL_DEFAULTS.postgresPort;
  const apiUrl = readVariable(env, 'CRUDDUR_API_URL') ?? file?.apiUrl;
  // In API mode the app never connects to the directory: its server does.
  const databaseUrl =
    externalDatabaseUrl ?? (local ? embeddedDatabaseUrl(postgresPort) : apiUrl ? '' : undefined);
  if (databaseUrl === undefined) {
    throw new AppError(
      'Invalid',
      'CRUDDUR_DATABASE_URL is required on target aws: expected a PostgreSQL URL (or the directory URL in Settings), or CRUDDUR_API_URL for API mode',
    );
  }
  return withLocalCloudIds({
    target,
    region: readVariable(env, 'CRUDDUR_REGION') ?? file?.region ?? LOCAL_DEFAULTS.region,
    tableName: readVariable(env, 'CRUDDUR_TABLE') ?? file?.tableName ?? DEFAULT_TABLE_NAME,
    // Selecting aws switches endpoints only: none saved, so the SDK's regional ones.
    dynamodbEndpoint:
      readVariable(env, 'CRUDDUR_DYNAMODB_ENDPOINT') ?? (local ? LOCAL_DEFAULTS.dynamodbEndpoint : undefined),
    cognitoEndpoint:
      readVariable(env, 'CRUDDUR_COGNITO_ENDPOINT') ?? (local ? LOCAL_DEFAULTS.cognitoEndpoint : undefined),
    userPoolId: readVariable(env, 'CRUDDUR_USER_POOL_ID') ?? file?.userPoolId ?? undefined,
    userPoolClientId: readVariable(env, 'CRUDDUR_USER_POOL_CLIENT_ID') ?? file?.userPoolClientId ?? undefined,
    databaseUrl,
    embeddedPostgres: local && !externalDatabaseUrl,
    localDir,
    apiUrl,
    localApiPort: readVariable(env, 'CRUDDUR_LOCAL_API_PORT') ?? LOCAL_DEFAULTS.apiPort,
  });
}

/**
 * Fills in the local cloud's user pool and client ids from its cloud.json where the environment
 * named none. The file appears when `npm run local` finishes its first start, so an app started
 * before that looks again when it next builds its backend, without reading its config again.
 */
export function withLocalCloudIds(config: Config): Config {
  if (config.target !== 'local' || (config.userPoolId && config.userPoolClientId)) return config;
  const ids = readLocalCloudIds(config.localDir);
  return {
    ...config,
    userPoolId: config.userPoolId ?? ids?.userPoolId,
    userPoolClientId: config.userPoolClientId ?? ids?.userPoolClientId,
  };
}
