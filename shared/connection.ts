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

/** The fields of a connection, each of which the environment, the file or a default may set. */
export const CONNECTION_FIELDS = [
  'target',
  'region',
  'tableName',
  'userPoolId',
  'userPoolClientId',
  'databaseUrl',
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
  sources: Record<ConnectionField, ConnectionSource>;
  /**
   * False only in the installed app with neither a connection.json nor CRUDDUR_TARGET: it has
   * nowhere to connect to yet, and opens Settings instead of failing to reach the local cloud.
   */
  configured: boolean;
}

/**
 * What updateConnection takes. `databaseUrl` and `password`: absent keeps what is saved, null
 * forgets it (on the local cloud the directory is then its own PostgreSQL). The URL carries no
 * password: that goes in `password`, which is kept encrypted and apart.
 */
export interface ConnectionInput {
  target: BackendTarget;
  region: string;
  tableName: string;
  userPoolId: string | null;
  userPoolClientId: string | null;
  databaseUrl?: string | null;
  password?: string | null;
}

export const SERVICES = ['dynamodb', 'cognito', 'postgres'] as const;
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
