import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ListUsersCommand,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Config } from '../../core/config';
import { toAppError } from '../../core/errors';
import { AppError } from '../../shared/result';
import type { SeedUser } from '../seed/users';

/**
 * The Cognito side of the admin scripts and the local-cloud bootstrap: seeding the user pool and
 * listing it. Accounts use Username = handle, the handle of record: with the verified email, it
 * is what links an account to its directory row (preferred_username is the account's own to
 * set, so it says nothing about who someone is).
 */

export interface CognitoUserSummary {
  username: string;
  sub: string;
  preferredUsername: string | undefined;
  name: string | undefined;
  email: string | undefined;
  /** Cognito has verified `email` (on AWS by the emailed code; the seed marks its own). */
  emailVerified: boolean;
  status: string | undefined;
  enabled: boolean;
  createdAt: string | undefined;
}

/** The pool every Cognito script works on, or an Invalid error saying how to get one. */
export function requireUserPoolId(config: Config): string {
  if (config.userPoolId) return config.userPoolId;
  throw new AppError(
    'Invalid',
    config.target === 'local'
      ? 'no user pool yet: start the local cloud (npm run local) or set CRUDDUR_USER_POOL_ID'
      : 'CRUDDUR_USER_POOL_ID is required on target aws: expected a user pool id such as us-east-1_AbC123',
  );
}

/** `Cognito at http://host:port` when the client has a custom endpoint (the local cloud). */
async function cognitoLabel(cognito: CognitoIdentityProviderClient): Promise<string> {
  const endpoint = await cognito.config.endpoint?.().catch(() => undefined);
  return endpoint
    ? `Cognito at ${endpoint.protocol}//${endpoint.hostname}:${endpoint.port ?? ''}`
    : 'Cognito';
}

async function send<T>(cognito: CognitoIdentityProviderClient, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toAppError(error, await cognitoLabel(cognito));
  }
}

function summarise(user: UserType): CognitoUserSummary {
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  return {
    username: user.Username ?? '',
    sub: attribute('sub') ?? '',
    preferredUsername: attribute('preferred_username'),
    name: attribute('name'),
    email: attribute('email'),
    emailVerified: attribute('email_verified') === 'true',
    status: user.UserStatus,
    enabled: user.Enabled ?? true,
    createdAt: user.UserCreateDate?.toISOString(),
  };
}

/** AWS's maximum page; cognito-local ignores Limit and answers everything in one page. */
export const LIST_USERS_PAGE_SIZE = 60;

/** Every user of the pool, following PaginationToken to the last page. */
export async function listCognitoUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  options: { pageSize?: number } = {},
): Promise<CognitoUserSummary[]> {
  const users: CognitoUserSummary[] = [];
  const seenTokens = new Set<string>();
  let token: string | undefined;
  do {
    const page = await send(cognito, () =>
      cognito.send(
        new ListUsersCommand({
          UserPoolId: userPoolId,
          Limit: options.pageSize ?? LIST_USERS_PAGE_SIZE,
          PaginationToken: token,
        }),
      ),
    );
    users.push(...(page.Users ?? []).map(summarise));
    token = page.PaginationToken || undefined;
    // A service handing the same token back would otherwise loop forever.
    if (token !== undefined && seenTokens.has(token)) {
      throw new AppError('Internal', 'Cognito ListUsers returned the same PaginationToken twice');
    }
    if (token !== undefined) seenTokens.add(token);
  } while (token !== undefined);
  return users;
}

export interface CognitoSeedResult {
  created: number;
  /** Usernames that were already in the pool: left exactly as they were. */
  existing: number;
}

/**
 * One request at a time: cognito-local saves a pool's whole JSON file asynchronously on every
 * change, and two saves in flight can interleave into a corrupt file that it cannot load again.
 */
const SEED_CONCURRENCY = 1;

async function seedOne(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  user: SeedUser,
  password: string,
): Promise<'created' | 'existing'> {
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: user.handle,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'name', Value: user.display_name },
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'UsernameExistsException') return 'existing';
    throw toAppError(error, await cognitoLabel(cognito));
  }
  // A permanent password takes the account out of FORCE_CHANGE_PASSWORD, so it can sign in.
  await send(cognito, () =>
    cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: user.handle,
        Password: password,
        Permanent: true,
      }),
    ),
  );
  return 'created';
}

/** Creates the seeded people as confirmed accounts with `password`; existing ones are left alone. */
export async function seedCognitoUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  users: SeedUser[],
  password: string,
): Promise<CognitoSeedResult> {
  const result: CognitoSeedResult = { created: 0, existing: 0 };
  const queue = [...users];
  const worker = async () => {
    try {
      for (let user = queue.shift(); user; user = queue.shift()) {
        result[await seedOne(cognito, userPoolId, user, password)] += 1;
      }
    } catch (error) {
      queue.length = 0; // the other workers stop too instead of running on after the failure
      throw error;
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return result;
}
