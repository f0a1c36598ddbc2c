import { DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import type { ServiceCheck, ServiceName } from '../shared/connection';
import { apiPaths } from './api/wire';
import { poolKeys } from './auth/token-verifier';
import { createCognitoClient, createDynamoClient, PG_POOL_TIMEOUTS, REQUEST_TIMEOUT_MS } from './clients';
import type { Config } from './config';
import type { ErrorLike } from './errors';

/**
 * The longest one service's check may take: one request's bound. A check is a question ("does it
 * answer now?"), not work that must get through, so it is not retried.
 */
export const SERVICE_CHECK_BOUND_MS = REQUEST_TIMEOUT_MS;

const MAX_MESSAGE_LENGTH = 200;

class NoAnswer extends Error {}

/**
 * The error's one line: its message, or (for "fetch failed" and Node's empty AggregateError of a
 * refused connection) its cause's. Never a stack; any secret given is blanked out of it.
 */
export function oneLine(error: unknown, secrets: readonly string[] = []): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const e = current as ErrorLike;
    const own =
      e.message || (Array.isArray(e.errors) && (e.errors[0] as ErrorLike | undefined)?.message) || e.code;
    if (own && !parts.includes(own)) parts.push(own);
    current = e.cause;
  }
  let line = (parts.join(': ') || String(error)).split('\n')[0]!.trim();
  for (const secret of secrets) if (secret) line = line.split(secret).join('***');
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : line;
}

async function bounded(work: (signal: AbortSignal) => Promise<void>, boundMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new NoAnswer(`no answer within ${Math.round(boundMs / 1000)} s`));
    }, boundMs);
  });
  try {
    await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkDynamo(config: Config, signal: AbortSignal): Promise<void> {
  const db = createDynamoClient(config);
  try {
    await db.send(new DescribeTableCommand({ TableName: config.tableName }), { abortSignal: signal });
  } catch (error) {
    if ((error as ErrorLike).name === 'ResourceNotFoundException')
      throw new Error(`the table ${config.tableName} does not exist in ${config.region}`, { cause: error });
    throw error;
  } finally {
    db.destroy();
  }
}

/**
 * On AWS, and in API mode anywhere, the pool's public key set (no credentials, nothing
 * admin-only: DescribeUserPoolClient is an admin call a team member's credentials need not allow,
 * and API mode holds no credentials at all), which real Cognito serves only for a pool that
 * exists. The local cloud serves one key set for any pool id, so in direct mode there the check
 * asks its endpoint for the pool's client, which it answers with any credentials.
 */
async function checkCognito(config: Config, signal: AbortSignal): Promise<void> {
  if (!config.userPoolId || !config.userPoolClientId) throw new Error('no user pool is configured');
  if (config.target === 'local' && !config.apiUrl) {
    const cognito = createCognitoClient(config);
    try {
      await cognito.send(
        new DescribeUserPoolClientCommand({
          UserPoolId: config.userPoolId,
          ClientId: config.userPoolClientId,
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if ((error as ErrorLike).name === 'ResourceNotFoundException')
        throw new Error(`the user pool ${config.userPoolId} or its app client does not exist`, {
          cause: error,
        });
      throw error;
    } finally {
      cognito.destroy();
    }
    return;
  }
  const response = await fetch(poolKeys(config).jwksUrl, { signal, redirect: 'error' });
  if (!response.ok)
    throw new Error(`the user pool ${config.userPoolId} did not answer (HTTP ${response.status})`);
  const body = (await response.json().catch(() => undefined)) as { keys?: unknown } | undefined;
  if (!Array.isArray(body?.keys)) throw new Error(`the user pool ${config.userPoolId} has no key set`);
}

/**
 * The message API, asked without a token: its gateway's JWT authorizer must refuse that with 401
 * before any Lambda runs. Anything else is not the API (a wrong URL, a proxy) or an API that lets
 * strangers in.
 */
async function checkApi(config: Config, signal: AbortSignal): Promise<void> {
  if (!config.apiUrl) throw new Error('no API URL is configured');
  const url = `${config.apiUrl.replace(/\/+$/, '')}${apiPaths.me()}`;
  const response = await fetch(url, { signal, redirect: 'error', headers: { accept: 'application/json' } });
  await response.body?.cancel();
  if (response.status !== 401)
    throw new Error(
      `the message API answered HTTP ${response.status} to a request without a sign-in, not 401: is the URL right?`,
    );
}

async function checkPostgres(config: Config, signal: AbortSignal): Promise<void> {
  const client = new pg.Client({ connectionString: config.databaseUrl, ...PG_POOL_TIMEOUTS });
  // A connection lost after the check is of no interest; unhandled, it would crash the process.
  client.on('error', () => {});
  const end = () => void client.end().catch(() => {});
  signal.addEventListener('abort', end, { once: true });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    signal.removeEventListener('abort', end);
    end();
  }
}

type Check = (config: Config, signal: AbortSignal) => Promise<void>;

/** What each mode reaches from this computer: API mode neither DynamoDB nor PostgreSQL. */
const direct: Partial<Record<ServiceName, Check>> = {
  dynamodb: checkDynamo,
  cognito: checkCognito,
  postgres: checkPostgres,
};
const api: Partial<Record<ServiceName, Check>> = { api: checkApi, cognito: checkCognito };

/**
 * Whether each service the config's mode uses answers now, side by side, each bounded: DynamoDB,
 * Cognito and PostgreSQL in direct mode, the message API and Cognito in API mode.
 */
export async function checkServices(
  config: Config,
  boundMs: number = SERVICE_CHECK_BOUND_MS,
): Promise<ServiceCheck[]> {
  const secrets = databaseSecrets(config.databaseUrl);
  const checks = Object.entries(config.apiUrl ? api : direct) as [ServiceName, Check][];
  return Promise.all(
    checks.map(async ([service, check]): Promise<ServiceCheck> => {
      try {
        await bounded((signal) => check(config, signal), boundMs);
        return { service, ok: true };
      } catch (error) {
        return { service, ok: false, message: oneLine(error, secrets) };
      }
    }),
  );
}

/** The database URL and its password, as given and as URL-encoded, to blank out of messages. */
function databaseSecrets(databaseUrl: string): string[] {
  try {
    const { password } = new URL(databaseUrl);
    return password ? [databaseUrl, password, decodeURIComponent(password)] : [databaseUrl];
  } catch {
    return [databaseUrl];
  }
}
