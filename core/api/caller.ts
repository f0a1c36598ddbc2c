import { z } from 'zod';
import { AppError } from '../../shared/result';
import { cognitoUsername, type CognitoAuth } from '../auth/cognito-auth';
import { directoryUserOf, type DirectoryLinks } from '../auth/directory-link';
import type { DirectoryUser } from '../users/directory';
import { bearerToken, type ApiGatewayV2Event } from './event';

/**
 * What the JWT authorizer's claims must say. API Gateway checks the signature, issuer, expiry
 * and that `aud` or `client_id` is the app client, but not the token's use: an ID token (its
 * `aud` is the client) gets through, and is refused here.
 */
const accessClaims = z.object({
  token_use: z.literal('access'),
  sub: z.string().min(1).max(128),
  username: z.string().min(1).max(128),
});

export interface CallerDeps {
  links: Pick<DirectoryLinks, 'linked' | 'linkOrCreate'>;
  cognito: Pick<CognitoAuth, 'getUser'>;
  /** Milliseconds since the epoch; Date.now by default. */
  now?: () => number;
}

interface Cached {
  user: DirectoryUser;
  username: string;
  until: number;
}

/** A warm Lambda serves the same few people in bursts: one directory read a minute each. */
const CACHE_MS = 60_000;
const CACHE_SIZE = 1_000;

/**
 * Who calls: the verified access token's sub and username, mapped to their directory row, never
 * anything from the request's body or query. The row linked to the sub is read first (one
 * query); only the first use of an account asks Cognito (GetUser with the bearer token) and
 * links or creates its row, the one way the app does it too (directoryUserOf).
 */
export class Callers {
  private readonly cache = new Map<string, Cached>();
  private readonly now: () => number;

  constructor(private readonly deps: CallerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The claims a request carries, or Unauthenticated before anything is read. */
  claimsOf(event: ApiGatewayV2Event): z.infer<typeof accessClaims> {
    const parsed = accessClaims.safeParse(event.requestContext.authorizer?.jwt.claims);
    if (!parsed.success) {
      throw new AppError('Unauthenticated', 'The message API takes the access token of a sign-in.');
    }
    return parsed.data;
  }

  /** The caller's directory row; `claims` as claimsOf read them (read here when not given). */
  async userOf(event: ApiGatewayV2Event, claims = this.claimsOf(event)): Promise<DirectoryUser> {
    const { sub, username } = claims;
    const handle = cognitoUsername(username);
    const cached = this.cache.get(sub);
    if (cached && cached.until > this.now() && cached.username === handle) return cached.user;
    this.cache.delete(sub);
    // The row linked to the sub, whose handle must be the username (DirectoryLinks.linked checks).
    const user =
      (await this.deps.links.linked({ sub, username: handle })) ??
      (await this.firstUse(event, sub, username));
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(sub, { user, username: handle, until: this.now() + CACHE_MS });
    return user;
  }

  private firstUse(event: ApiGatewayV2Event, sub: string, username: string): Promise<DirectoryUser> {
    const accessToken = bearerToken(event.headers['authorization']);
    if (!accessToken) throw new AppError('Unauthenticated', 'The request carries no bearer token.');
    return directoryUserOf(this.deps.cognito, this.deps.links, { accessToken, sub, username });
  }
}
