import { afterEach } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { Config } from '../../core/config';
import { createCognitoClient } from '../../core/clients';
import type { AuthService } from '../../core/auth/auth-service';
import type { Clock } from '../../core/auth/clock';
import type { Tokens } from '../../core/auth/cognito-auth';
import { createAuthService, SESSION_FILE_NAME } from '../../core/auth/create-auth-service';
import { LOCAL_CONFIRMATION_CODE } from '../../scripts/local/cognito';
import { pgPool, testConfig } from './cloud';
import { TestCipher } from './test-cipher';

export const GOOD_PASSWORD = 'Cruddur-test-2026!';
export { LOCAL_CONFIRMATION_CODE };

/** A handle no other test (or test file) uses: the pool and the users table are shared. */
export const uniqueHandle = (prefix = 't'): string => `${prefix}${randomBytes(5).toString('hex')}`;

/** Real time, but timers wait until the test fires them. */
export class ManualClock implements Clock {
  offsetMs = 0;
  readonly pending: { callback: () => void; delayMs: number }[] = [];

  now(): number {
    return Date.now() + this.offsetMs;
  }

  schedule(callback: () => void, delayMs: number): () => void {
    const timer = { callback, delayMs };
    this.pending.push(timer);
    return () => {
      const index = this.pending.indexOf(timer);
      if (index >= 0) this.pending.splice(index, 1);
    };
  }

  /** Runs the timers due so far (their callbacks start async work; await it separately). */
  fireAll(): void {
    for (const timer of this.pending.splice(0)) timer.callback();
  }
}

export interface AuthHarness {
  service: AuthService;
  config: Config;
  pool: pg.Pool;
  cognito: CognitoIdentityProviderClient;
  cipher: TestCipher;
  clock: ManualClock;
  sessionFile: string;
  /** Another app's launch: a new service on the same session file, cipher and database. */
  relaunch(): AuthService;
  close(): Promise<void>;
}

export async function authHarness(
  options: {
    env?: Record<string, string>;
    clock?: ManualClock;
    refreshMarginMs?: number;
    systemClock?: boolean;
  } = {},
): Promise<AuthHarness> {
  const config = testConfig(options.env);
  const pool = pgPool(config);
  const cognito = createCognitoClient(config);
  const cipher = new TestCipher();
  const clock = options.clock ?? new ManualClock();
  const dir = await mkdtemp(join(tmpdir(), 'cruddur-auth-'));
  const sessionFile = join(dir, 'user-data', SESSION_FILE_NAME);
  const services: AuthService[] = [];
  const build = () => {
    const service = createAuthService({
      config,
      pool,
      secretStore: cipher,
      sessionFile,
      cognitoClient: cognito,
      ...(options.systemClock ? {} : { clock }),
      refreshMarginMs: options.refreshMarginMs,
    });
    services.push(service);
    return service;
  };
  return {
    service: build(),
    config,
    pool,
    cognito,
    cipher,
    clock,
    sessionFile,
    relaunch: build,
    async close() {
      for (const service of services) service.dispose();
      await pool.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestAccount {
  handle: string;
  email: string;
  display_name: string;
  password: string;
}

export function newAccount(prefix = 't'): TestAccount {
  const handle = uniqueHandle(prefix);
  return { handle, email: `${handle}@cruddur.test`, display_name: `Test ${handle}`, password: GOOD_PASSWORD };
}

/** Signs an account up and confirms it with the local cloud's fixed code. */
export async function confirmedAccount(service: AuthService, account = newAccount()): Promise<TestAccount> {
  await service.signUp(account);
  await service.confirmSignUp({ handle: account.handle, code: LOCAL_CONFIRMATION_CODE });
  return account;
}

/**
 * An account made by an administrator (as seeding does), which never went through sign-up; its
 * email is verified unless told otherwise, as the seed marks it.
 */
export async function adminCreatedAccount(
  cognito: CognitoIdentityProviderClient,
  config: Config,
  account: TestAccount,
  { emailVerified = true }: { emailVerified?: boolean } = {},
) {
  const UserPoolId = config.userPoolId;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId,
      Username: account.handle.toLowerCase(),
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: account.email },
        { Name: 'name', Value: account.display_name },
        ...(emailVerified ? [{ Name: 'email_verified', Value: 'true' }] : []),
      ],
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId,
      Username: account.handle.toLowerCase(),
      Password: account.password,
      Permanent: true,
    }),
  );
}

/** A second app client of the same pool, e.g. another app or one with short-lived tokens. */
export async function createAppClient(
  cognito: CognitoIdentityProviderClient,
  config: Config,
  validitySeconds?: number,
): Promise<string> {
  const output = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: config.userPoolId,
      ClientName: `test-${randomBytes(3).toString('hex')}`,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...(validitySeconds
        ? {
            AccessTokenValidity: validitySeconds,
            IdTokenValidity: validitySeconds,
            TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' },
          }
        : {}),
    }),
  );
  return output.UserPoolClient!.ClientId!;
}

/** Signs in through any app client, straight at Cognito (bypassing the service). */
export async function passwordTokens(
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  account: TestAccount,
): Promise<Tokens> {
  const output = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: account.handle.toLowerCase(), PASSWORD: account.password },
    }),
  );
  const result = output.AuthenticationResult!;
  return { accessToken: result.AccessToken!, idToken: result.IdToken!, refreshToken: result.RefreshToken! };
}

/**
 * authHarness for a file whose tests each build their own: every harness a test made is closed
 * after it.
 */
export function harnessPerTest(): (...args: Parameters<typeof authHarness>) => Promise<AuthHarness> {
  const open: AuthHarness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });
  return async (...args) => {
    const h = await authHarness(...args);
    open.push(h);
    return h;
  };
}
