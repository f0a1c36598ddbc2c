import type { BackendTarget } from './targets';

/**
 * Where the app's services are: the connection settings the Settings view edits and the main
 * process keeps in connection.json of the user-data folder. No zod here, so the renderer's view can
 * use these without carrying it; the schemas are in connection-schema.ts, and core/config.ts checks
 * the environment's CRUDDUR_* variables against the same patterns.
 */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** DynamoDB's table names: 3 to 255 of letters, digits, underscore, dot and hyphen. */
export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
/** `<region>_<id>` on AWS (the local cloud's pools are `local_<id>`). */
export const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9A-Za-z]+$/;
export const USER_POOL_CLIENT_ID_PATTERN = /^[\w+]+$/;

export const MAX_DATABASE_URL_LENGTH = 2048;
export const MAX_DATABASE_PASSWORD_LENGTH = 1024;
export const MAX_API_URL_LENGTH = 2048;

/**
 * A host where plain http is acceptable for the message API (the local cloud's gateway): the
 * bearer token never crosses a network in the clear. Any other host needs https.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * How the app reaches its data. Direct: DynamoDB and PostgreSQL from this computer, with its AWS
 * credentials (a team that trusts its members). API: the message API, with the person's sign-in
 * only, and the server decides who may read what (the public deployment).
 */
export type ConnectionMode = 'direct' | 'api';

/** The fields of a connection, each of which the environment, the file or a default may set. */
export const CONNECTION_FIELDS = [
  'target',
  'region',
  'tableName',
  'userPoolId',
  'userPoolClientId',
  'databaseUrl',
  'apiUrl',
] as const;
export type ConnectionField = (typeof CONNECTION_FIELDS)[number];

/** Who set a value: a CRUDDUR_* variable (developers), connection.json, or the app's default. */
export type ConnectionSource = 'environment' | 'file' | 'default';

/** The connection as the Settings view shows it: never a secret, never the database's user. */
export interface ConnectionView {
  target: BackendTarget;
  region: string;
  tableName: string;
  /** null: none yet (on the local cloud, until it has bootstrapped its pool). */
  userPoolId: string | null;
  userPoolClientId: string | null;
  /** The directory's `host:port/database`, without user or password. */
  databaseHost: string;
  /** Whether connection.json names a database URL of its own (else the environment's or the local cloud's). */
  databaseUrlSaved: boolean;
  /** A database password is kept (encrypted); it is never shown back. */
  passwordSaved: boolean;
  /** The message API's base URL; null: direct mode. */
  apiUrl: string | null;
  /** API when an API URL is set (by the file or CRUDDUR_API_URL), else direct. */
  mode: ConnectionMode;
  sources: Record<ConnectionField, ConnectionSource>;
  /**
   * False only in the installed app with neither a connection.json nor CRUDDUR_TARGET: it has
   * nowhere to connect to yet, and opens Settings instead of failing to reach the local cloud.
   */
  configured: boolean;
}

/**
 * What updateConnection takes. `databaseUrl`, `password` and `apiUrl`: absent keeps what is
 * saved, null forgets it (on the local cloud the directory is then its own PostgreSQL; without an
 * API URL the app is in direct mode). The URL carries no password: that goes in `password`, which
 * is kept encrypted and apart. With an API URL, AWS needs no directory URL: the server has it.
 */
export interface ConnectionInput {
  target: BackendTarget;
  region: string;
  tableName: string;
  userPoolId: string | null;
  userPoolClientId: string | null;
  databaseUrl?: string | null;
  password?: string | null;
  apiUrl?: string | null;
}

/** What checkServices asks: direct mode DynamoDB, Cognito and PostgreSQL; API mode the API and Cognito. */
export const SERVICES = ['dynamodb', 'cognito', 'postgres', 'api'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Whether a service answered checkServices: its error's one line when not (no stack, no secret). */
export type ServiceCheck =
  { service: ServiceName; ok: true } | { service: ServiceName; ok: false; message: string };

/** "host:port/database" of a PostgreSQL URL, nothing of its user or password. */
export function databaseHostOf(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
