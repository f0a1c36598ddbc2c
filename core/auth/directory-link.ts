import type { Pool } from 'pg';
import { AuthError } from '../../shared/auth';
import { DIRECTORY_COLUMNS as COLUMNS, UserDirectory, type DirectoryUser } from '../users/directory';
import { queryRows } from '../users/query';
import { AppError } from '../../shared/result';
import { cognitoUsername, type CognitoAuth } from './cognito-auth';

/**
 * Who Cognito says the signed-in person is, as the directory needs it. Only `sub` and `username`
 * are identity: both are immutable. Every other attribute is the account's own to set.
 */
export interface CognitoIdentity {
  sub: string;
  /** Cognito's username, the handle of record (lower case: see cognitoUsername). */
  username: string;
  display_name: string;
  email: string;
  /** Whether Cognito has verified `email` (the email_verified attribute). */
  emailVerified: boolean;
}

const UNIQUE_VIOLATION = '23505';

/**
 * Links Cognito accounts to the user directory (users.cognito_user_id). Every query is ONE
 * statement: the local PostgreSQL is PGlite behind a socket, one session shared by every
 * connection, so a BEGIN…COMMIT across round trips would interleave with other callers.
 */
export class DirectoryLinks {
  private readonly directory: UserDirectory;

  constructor(private readonly pool: Pool) {
    this.directory = new UserDirectory(pool);
  }

  private query<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    return queryRows<T>(this.pool, sql, params);
  }

  /** Which of a would-be account's handle and email the directory already holds (any case). */
  async taken(handle: string, email: string): Promise<{ handle: boolean; email: boolean }> {
    const [row] = await this.query<{ handle: boolean; email: boolean }>(
      `SELECT coalesce(bool_or(lower(handle) = lower($1)), false) AS handle,
              coalesce(bool_or(lower(email) = lower($2)), false) AS email
         FROM users WHERE lower(handle) = lower($1) OR lower(email) = lower($2)`,
      [handle, email],
    );
    return row ?? { handle: false, email: false };
  }

  /**
   * The directory row of a Cognito account: the one linked to its sub; else the unlinked row made
   * for this person before they had an account (its handle is the username and its email the
   * account's verified email: the rule db:update-cognito-user-ids follows too), now linked; else a
   * new row, so a brand-new sign-up can message at once.
   */
  async linkOrCreate(identity: CognitoIdentity): Promise<DirectoryUser> {
    const linked = await this.linked(identity);
    if (linked) return linked;
    let rows: DirectoryUser[] = [];
    try {
      // The UPDATE claims an unlinked row only (cognito_user_id IS NULL), and the INSERT runs only
      // when no row has the handle; ON CONFLICT turns a lost race (the same sub, handle or email
      // written meanwhile) into no row instead of an error, resolved just below.
      rows = await this.query<DirectoryUser>(
        `WITH linked AS (
           UPDATE users SET cognito_user_id = $1
            WHERE lower(handle) = lower($2) AND cognito_user_id IS NULL
              AND $5::boolean AND lower(email) = lower($4)
           RETURNING ${COLUMNS}
         ), created AS (
           INSERT INTO users (handle, display_name, email, cognito_user_id)
           SELECT $2, $3, $4, $1
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(handle) = lower($2))
           ON CONFLICT DO NOTHING
           RETURNING ${COLUMNS}
         )
         SELECT * FROM linked UNION ALL SELECT * FROM created`,
        [identity.sub, identity.username, identity.display_name, identity.email, identity.emailVerified],
      );
    } catch (error) {
      // The UPDATE has no ON CONFLICT: another sign-in of this account linked a row first.
      if ((error as { cause?: { code?: string } }).cause?.code !== UNIQUE_VIOLATION) throw error;
    }
    if (rows[0]) return rows[0];
    const raced = await this.linked(identity);
    if (raced) return raced;
    const clash = await this.taken(identity.username, identity.email);
    // The handle's row belongs to another Cognito account (or to a person whose verified email
    // this account does not have), or another row holds the email.
    const what = clash.handle ? `the handle ${identity.username}` : `the email address ${identity.email}`;
    throw new AuthError(
      clash.handle ? 'HandleTaken' : 'EmailTaken',
      `In the user directory, ${what} belongs to another account. Ask an administrator to fix it.`,
    );
  }

  /**
   * The row linked to the account's sub. Its handle must be the username: a row of another
   * handle was linked by an older, forgeable rule (preferred_username), and is not this person's.
   */
  async linked(identity: Pick<CognitoIdentity, 'sub' | 'username'>): Promise<DirectoryUser | undefined> {
    const row = await this.directory.findByCognitoUserId(identity.sub);
    if (row && row.handle.toLowerCase() !== identity.username.toLowerCase()) {
      throw new AuthError(
        'HandleTaken',
        'In the user directory, this account is linked to another handle. Ask an administrator to fix it.',
      );
    }
    return row;
  }
}

/**
 * The directory row of a verified account, for the app (direct mode) and the message API's server
 * alike. Identity is the token's sub and username, both immutable; GetUser adds email, its
 * verification and name (the local ID token lacks name), and nothing it returns is trusted as
 * identity: preferred_username, which any account may set for itself, is never read.
 */
export async function directoryUserOf(
  cognito: Pick<CognitoAuth, 'getUser'>,
  links: Pick<DirectoryLinks, 'linkOrCreate'>,
  account: { accessToken: string; sub: string; username: string },
): Promise<DirectoryUser> {
  const { username, attributes } = await cognito.getUser(account.accessToken);
  // cognito-local answers GetUser for the first account with the token's sub, and its SignUp
  // lets an account choose its sub: an answer about another account is refused.
  if (cognitoUsername(username) !== cognitoUsername(account.username)) {
    throw new AppError(
      'Forbidden',
      'This account shares its Cognito id with another account. Ask an administrator.',
    );
  }
  const handle = cognitoUsername(account.username);
  const email = attributes['email'];
  if (!email) throw new AppError('Internal', 'This Cognito account has no email address.');
  const name = attributes['name']?.trim();
  return links.linkOrCreate({
    sub: account.sub,
    username: handle,
    display_name: name || handle,
    email,
    emailVerified: attributes['email_verified'] === 'true',
  });
}
