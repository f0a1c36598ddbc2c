import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { poolKeys, type PoolKeys } from '../auth/token-verifier';
import { withLocalCloudIds, type Config } from '../config';
import { bearerToken } from './event';

/** API Gateway gives up on a JSON Web Key Set endpoint after this long (its quota). */
const JWKS_TIMEOUT_MS = 1_500;

export type Authorization =
  { ok: true; claims: Record<string, string>; scopes: string[] | null } | { ok: false; status: 401 | 503 };

/**
 * The local stand-in for API Gateway's JWT authorizer on the user pool and its app client: the
 * bearer token's RS256 signature against the pool's JWKS, its issuer, its expiry (and nbf), and
 * `client_id` or `aud` being the app client, as API Gateway checks them. Like API Gateway it
 * does not look at token_use, so an ID token gets through to the handler, which refuses it: what
 * runs here is what AWS runs. The pool's ids are read on first use, not at start, since the
 * local cloud writes them after its gateway may have started.
 */
export class LocalJwtAuthorizer {
  private keys: (PoolKeys & { keySet: ReturnType<typeof createRemoteJWKSet> }) | undefined;

  constructor(private readonly config: Config) {}

  private poolKeys(): LocalJwtAuthorizer['keys'] {
    if (!this.keys) {
      let keys: PoolKeys;
      try {
        keys = poolKeys(withLocalCloudIds(this.config));
      } catch {
        return undefined;
      }
      this.keys = { ...keys, keySet: createRemoteJWKSet(keys.jwksUrl, { timeoutDuration: JWKS_TIMEOUT_MS }) };
    }
    return this.keys;
  }

  async authorize(header: string | undefined): Promise<Authorization> {
    const token = bearerToken(header);
    if (!token) return { ok: false, status: 401 };
    const keys = this.poolKeys();
    if (!keys) return { ok: false, status: 503 };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.keySet, {
        issuer: keys.issuers,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      const unreachable =
        error instanceof joseErrors.JWKSTimeout ||
        (error instanceof TypeError && error.message === 'fetch failed');
      return { ok: false, status: unreachable ? 503 : 401 };
    }
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    if (payload['client_id'] !== keys.clientId && !audiences.includes(keys.clientId)) {
      return { ok: false, status: 401 };
    }
    const scope = payload['scope'];
    return {
      ok: true,
      claims: asGatewayClaims(payload),
      scopes: typeof scope === 'string' && scope ? scope.split(' ') : null,
    };
  }
}

/** API Gateway hands the Lambda every claim as a string: numbers spelled out, arrays as "[a b]". */
function asGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? `[${value.map(String).join(' ')}]`
          : typeof value === 'object' && value !== null
            ? JSON.stringify(value)
            : String(value),
    ]),
  );
}
