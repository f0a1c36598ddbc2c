import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config';

/** The local cloud accepts any credentials; real AWS uses the SDK's default provider chain. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * How long any call to DynamoDB, Cognito or PostgreSQL may wait before it fails as Unavailable,
 * so a service that accepts connections and never answers cannot hang the app or a script.
 */
export const CONNECT_TIMEOUT_MS = 5_000;
/**
 * One attempt: from the request until its response starts, and the longest silence after. The
 * on-disk DynamoDB Local answered the seed's batches in up to 4.5 s on a loaded 2-core machine.
 */
export const REQUEST_TIMEOUT_MS = 10_000;
/** The SDK tries a timed-out (or throttled) request this many times in all. */
export const MAX_ATTEMPTS = 3;
/**
 * The longest a DynamoDB or Cognito call waits on a silent service: every attempt times out,
 * plus the SDK's backoff between them (under a second for three attempts).
 */
export const SERVICE_CALL_BOUND_MS = MAX_ATTEMPTS * REQUEST_TIMEOUT_MS + 1_000;

/**
 * Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes and keeps
 * waiting; socketTimeout covers a response that starts and then stalls.
 */
const requestHandler = {
  connectionTimeout: CONNECT_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  throwOnRequestTimeout: true,
  socketTimeout: REQUEST_TIMEOUT_MS,
};

/**
 * The same bounds for a pg Pool: connecting (TCP and the startup exchange) and each query; pg
 * rejects a query that outlives query_timeout ("Query read timeout") and the pool drops its client.
 */
export const PG_POOL_TIMEOUTS = {
  connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  query_timeout: REQUEST_TIMEOUT_MS,
} as const;

export function createDynamoClient(config: Config): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    credentials: config.target === 'local' ? LOCAL_CREDENTIALS : undefined,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/**
 * What the Cognito client of API mode has for AWS credentials: a provider that refuses. Every
 * Cognito call the app makes (InitiateAuth, SignUp, ConfirmSignUp, ResendConfirmationCode,
 * GetUser, ForgotPassword, ConfirmForgotPassword, RevokeToken) is unsigned (the SDK's noAuth
 * scheme), so it is never asked; a call that would need signing fails instead of reaching for the
 * computer's AWS profile.
 */
export const NO_AWS_CREDENTIALS = (): Promise<never> =>
  Promise.reject(new Error('API mode holds no AWS credentials'));

export function createCognitoClient(config: Config): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.cognitoEndpoint,
    credentials: config.apiUrl
      ? NO_AWS_CREDENTIALS
      : config.target === 'local'
        ? LOCAL_CREDENTIALS
        : undefined,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler,
  });
}

/**
 * Milliseconds since the epoch by the service's clock: the SDK keeps `systemClockOffset` (server
 * time minus local time) from the Date header of every response it signs for, so after the first
 * response this is within about a second of DynamoDB's clock whatever this computer's says.
 */
export function serviceClock(client: DynamoDBDocumentClient): () => number {
  return () => Date.now() + (client.config.systemClockOffset ?? 0);
}
