import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Signer } from '@aws-sdk/rds-signer';
import pg from 'pg';
import {
  createApiHandler,
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
  type ApiHandler,
} from '../../core/api/handler';
import { errorResult } from '../../core/api/reply';
import { CognitoAuth } from '../../core/auth/cognito-auth';
import { DirectoryLinks } from '../../core/auth/directory-link';
import { createCognitoClient, createDynamoClient, PG_POOL_TIMEOUTS } from '../../core/clients';
import { LOCAL_DEFAULTS, type Config } from '../../core/config';
import { toAppError } from '../../core/errors';
import { createLogger, setLogSink } from '../../core/log';
import { createJsonSink } from '../../core/log-json';
import { MessageService } from '../../core/messages/service';
import { UserDirectory } from '../../core/users/directory';
import { AppError } from '../../shared/result';
import { readEnvironment, type Environment } from './environment';

/**
 * The message API's Lambda, behind API Gateway's JWT authorizer: the same handler the local
 * gateway invokes. Importing this module makes no network call (the bench times the import as
 * the cold start); the first invocation reads the environment, fetches the cursor secret and
 * builds the clients, and later ones reuse them. It logs one JSON object per line.
 */
setLogSink(createJsonSink('api'));
const log = createLogger('api');

const DB_PORT = 5432;
/** The shortest cursor secret accepted: 32 bytes, as Secrets Manager generates by default. */
const MIN_SECRET_BYTES = 32;

async function cursorSecret(env: Environment): Promise<Uint8Array> {
  const secrets = new SecretsManagerClient({ region: env.AWS_REGION, maxAttempts: 3 });
  try {
    const output = await secrets.send(new GetSecretValueCommand({ SecretId: env.CURSOR_SECRET_ARN }));
    const secret = Buffer.from(output.SecretString ?? '', 'utf8');
    if (secret.length < MIN_SECRET_BYTES) {
      throw new AppError('Internal', `the cursor secret has fewer than ${MIN_SECRET_BYTES} bytes`);
    }
    return secret;
  } finally {
    secrets.destroy();
  }
}

async function build(env: Environment): Promise<ApiHandler> {
  // The config the core clients are made from: AWS's regional endpoints and the Lambda's role.
  const config: Config = {
    target: 'aws',
    region: env.AWS_REGION,
    tableName: env.TABLE_NAME,
    dynamodbEndpoint: undefined,
    cognitoEndpoint: undefined,
    userPoolId: env.USER_POOL_ID,
    userPoolClientId: env.USER_POOL_CLIENT_ID,
    databaseUrl: '',
    embeddedPostgres: false,
    localDir: '',
    apiUrl: undefined,
    localApiPort: LOCAL_DEFAULTS.apiPort,
  };
  const signer = new Signer({
    hostname: env.DB_PROXY_ENDPOINT,
    port: DB_PORT,
    username: env.DB_USER,
    region: env.AWS_REGION,
  });
  const pool = new pg.Pool({
    host: env.DB_PROXY_ENDPOINT,
    port: DB_PORT,
    database: env.DB_NAME,
    user: env.DB_USER,
    // A token lives 15 minutes: each new connection signs its own (locally, no request).
    password: () => signer.getAuthToken(),
    // RDS Proxy's certificates chain to Amazon's roots, which are in Node's own store.
    ssl: { rejectUnauthorized: true },
    // One request at a time per instance: two connections cover a first-use link beside a read.
    max: 2,
    ...PG_POOL_TIMEOUTS,
  });
  // A connection dropped while the instance was frozen emits on the pool; unheard, it would crash.
  pool.on('error', () => undefined);
  const directory = new UserDirectory(pool);
  const db = createDynamoClient(config);
  return createApiHandler({
    messages: new MessageService({
      db,
      tableName: env.TABLE_NAME,
      directory,
      cursorSecret: await cursorSecret(env),
    }),
    directory,
    links: new DirectoryLinks(pool),
    cognito: new CognitoAuth(createCognitoClient(config), env.USER_POOL_CLIENT_ID),
    log,
  });
}

let built: Promise<ApiHandler> | undefined;

export async function handler(event: ApiGatewayV2Event): Promise<ApiGatewayV2Result> {
  let api: ApiHandler;
  try {
    api = await (built ??= Promise.resolve()
      .then(() => build(readEnvironment(process.env)))
      .catch((error: unknown) => {
        // The next invocation tries again (a secret that was briefly unreachable).
        built = undefined;
        throw error;
      }));
  } catch (error) {
    log.error('could not start the message API', { error: error instanceof Error ? error : String(error) });
    return errorResult(toAppError(error, 'the message API'));
  }
  return api(event);
}
