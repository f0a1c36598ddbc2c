import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { createLogger, type Logger } from '../log';
import { createCognitoClient } from '../clients';
import { UserDirectory } from '../users/directory';
import { AccountFlows } from './account-flows';
import { AuthService } from './auth-service';
import { systemClock, type Clock } from './clock';
import { CognitoAuth } from './cognito-auth';
import { DirectoryLinks } from './directory-link';
import { DatabasePeople, type PeopleDirectory } from './people';
import { SessionStore, type SecretStore } from './session-store';
import { poolKeys, TokenVerifier } from './token-verifier';

/** The remembered session's file name inside the app's user-data folder. */
export const SESSION_FILE_NAME = 'session.bin';

/**
 * Where the directory is: its PostgreSQL pool (direct mode; shared with the rest of the main
 * process), or a PeopleDirectory of its own (API mode: the message API's server asks PostgreSQL).
 */
export type DirectoryOption = { pool: Pool; directory?: UserDirectory } | { people: PeopleDirectory };

export type AuthServiceOptions = DirectoryOption & AuthServiceCommon;

interface AuthServiceCommon {
  config: Config;
  /** Electron's safeStorage in the app; a test cipher in tests. */
  secretStore: SecretStore;
  /** e.g. join(app.getPath('userData'), SESSION_FILE_NAME) */
  sessionFile: string;
  cognitoClient?: CognitoIdentityProviderClient;
  clock?: Clock;
  /** Refresh this long before the tokens expire; 60 s by default. */
  refreshMarginMs?: number;
  /** Wait this long after a refresh that failed for want of a network; 30 s by default. */
  retryDelayMs?: number;
  log?: Logger;
}

/** Builds the auth service from the app's config and shared clients. */
export function createAuthService(options: AuthServiceOptions): AuthService {
  const { config } = options;
  const keys = poolKeys(config);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger('auth');
  const cognito = new CognitoAuth(options.cognitoClient ?? createCognitoClient(config), keys.clientId);
  const people =
    'people' in options
      ? options.people
      : new DatabasePeople(
          cognito,
          new DirectoryLinks(options.pool),
          options.directory ?? new UserDirectory(options.pool),
        );
  return new AuthService({
    cognito,
    accounts: new AccountFlows(cognito, people, config.target, log),
    verifier: new TokenVerifier(keys, clock),
    people,
    store: new SessionStore(options.sessionFile, options.secretStore, log),
    clock,
    refreshMarginMs: options.refreshMarginMs ?? 60_000,
    retryDelayMs: options.retryDelayMs ?? 30_000,
    log,
  });
}
