import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from '../../shared/auth';
import { AppError } from '../../shared/result';
import { REQUEST_TIMEOUT_MS } from '../clients';
import type { Config } from '../config';
import { createLogger } from '../log';
import { isUnreachable } from '../errors';
import { systemClock, type Clock } from './clock';

const log = createLogger('auth.tokens');

/** What the session trusts from a verified token pair. */
export interface VerifiedIdentity {
  /** Cognito's user id, the link to users.cognito_user_id. */
  sub: string;
  /** Cognito's Username (on our pools, the lower-cased handle). */
  username: string;
  /** When the first of the two tokens expires, in ms since the epoch. */
  expiresAt: number;
}

export interface PoolKeys {
  /** Every `iss` the pool's tokens may carry; any other is refused. */
  issuers: string[];
  jwksUrl: URL;
  clientId: string;
}

/**
 * The pool's issuers and key set: cognito-local serves them under its endpoint, real Cognito
 * under the regional cognito-idp host (never a custom endpoint, which only proxies the API).
 * Real Cognito signs tokens as either `cognito-idp.{region}` or the newer
 * `issuer-cognito-idp.{region}`, with the one key set of the first.
 */
export function poolKeys(config: Config): PoolKeys {
  const { userPoolId, userPoolClientId } = config;
  if (!userPoolId || !userPoolClientId) {
    throw new AppError(
      'Unavailable',
      'No user pool is configured: start the local cloud (npm run local) or set CRUDDUR_USER_POOL_ID',
    );
  }
  const hosts =
    config.target === 'local'
      ? [(config.cognitoEndpoint ?? '').replace(/\/+$/, '')]
      : ['cognito-idp', 'issuer-cognito-idp'].map((name) => `https://${name}.${config.region}.amazonaws.com`);
  const issuers = hosts.map((host) => `${host}/${userPoolId}`);
  return { issuers, jwksUrl: new URL(`${issuers[0]}/.well-known/jwks.json`), clientId: userPoolClientId };
}

const stringClaim = (payload: JWTPayload, name: string): string => {
  const value = payload[name];
  if (typeof value !== 'string' || !value)
    throw new joseErrors.JWTClaimValidationFailed(`missing ${name}`, payload, name);
  return value;
};

/**
 * Checks Cognito tokens before anything trusts them: RS256 signature against the pool's JWKS,
 * issuer, token_use, the app client (access: client_id, id: aud) and expiry. Anything else is
 * refused as SessionExpired (Unauthenticated); the reason goes to the log, never the token.
 */
export class TokenVerifier {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly keys: PoolKeys,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {
    this.keySet = createRemoteJWKSet(keys.jwksUrl, { timeoutDuration: REQUEST_TIMEOUT_MS });
  }

  async verifyAccessToken(token: string): Promise<{ sub: string; username: string; exp: number }> {
    const payload = await this.verify(token, 'access');
    if (payload['client_id'] !== this.keys.clientId) {
      throw refused(new joseErrors.JWTClaimValidationFailed('client_id mismatch', payload, 'client_id'));
    }
    return {
      sub: stringClaim(payload, 'sub'),
      username: stringClaim(payload, 'username'),
      exp: payload.exp!,
    };
  }

  async verifyIdToken(token: string): Promise<{ sub: string; username: string; exp: number }> {
    const payload = await this.verify(token, 'id', this.keys.clientId);
    return {
      sub: stringClaim(payload, 'sub'),
      username: stringClaim(payload, 'cognito:username'),
      exp: payload.exp!,
    };
  }

  /** Both tokens of one sign-in: valid, and about the same person. */
  async verifyPair(accessToken: string, idToken: string): Promise<VerifiedIdentity> {
    const [access, id] = await Promise.all([
      this.verifyAccessToken(accessToken),
      this.verifyIdToken(idToken),
    ]);
    if (access.sub !== id.sub) {
      throw refused(new Error('the access and ID tokens name different users'));
    }
    return { sub: access.sub, username: access.username, expiresAt: Math.min(access.exp, id.exp) * 1000 };
  }

  private async verify(token: string, use: 'access' | 'id', audience?: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: this.keys.issuers,
        algorithms: ['RS256'],
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['exp', 'sub', 'token_use'],
        ...(audience === undefined ? {} : { audience }),
      });
      if (payload['token_use'] !== use) {
        throw new joseErrors.JWTClaimValidationFailed(`token_use is not ${use}`, payload, 'token_use');
      }
      return payload;
    } catch (error) {
      throw refused(error);
    }
  }
}

function refused(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // fetch() names every network failure "fetch failed" (its cause says which): none of them
  // says anything about the token, so the person stays signed in and can retry.
  const fetchFailed = error instanceof TypeError && error.message === 'fetch failed';
  if (error instanceof joseErrors.JWKSTimeout || fetchFailed || isUnreachable(error)) {
    return new AppError('Unavailable', 'The sign-in service cannot be reached to check the session.', {
      cause: error,
    });
  }
  // jose's code and message name the failed check (ERR_JWT_EXPIRED, "unexpected iss"...), not the token.
  const code = error instanceof joseErrors.JOSEError ? error.code : 'ERR_TOKEN';
  log.warn(`refused a token: ${code}: ${(error as Error).message}`);
  return new AuthError('SessionExpired');
}
