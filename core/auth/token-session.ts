import { AuthError } from '../../shared/auth';
import { isAppError, type AppError } from '../../shared/result';
import type { Logger } from '../log';
import type { Clock } from './clock';
import type { CognitoAuth, Tokens } from './cognito-auth';
import type { TokenVerifier, VerifiedIdentity } from './token-verifier';

export interface TokenSessionDeps {
  cognito: CognitoAuth;
  verifier: TokenVerifier;
  clock: Clock;
  log: Logger;
  /** Refresh this long before the first token expires (halfway for tokens shorter than that). */
  refreshMarginMs: number;
  /** After a refresh that failed for a reason other than an ended session (e.g. offline). */
  retryDelayMs: number;
  /** Cognito ended the session (refresh token revoked or expired): sign out. */
  onEnded(error: AppError): void;
  /** A refresh brought a new refresh token (Cognito's rotation): remember it, not the old one. */
  onRotated?(): void;
}

/**
 * The verified tokens of one signed-in person, kept fresh: a timer refreshes them before they
 * expire, and a caller that finds them expired anyway (after sleep, say) waits for a refresh.
 * Tokens never leave the main process; only the auth service reads them, to store or revoke.
 */
export class TokenSession {
  private cancelTimer: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  private constructor(
    private tokens: Tokens,
    private identity: VerifiedIdentity,
    private readonly deps: TokenSessionDeps,
  ) {}

  /** Verifies the tokens, then keeps them fresh until `stop`. */
  static async start(tokens: Tokens, deps: TokenSessionDeps): Promise<TokenSession> {
    const identity = await deps.verifier.verifyPair(tokens.accessToken, tokens.idToken);
    const session = new TokenSession(tokens, identity, deps);
    session.scheduleRefresh();
    return session;
  }

  get sub(): string {
    return this.identity.sub;
  }
  get username(): string {
    return this.identity.username;
  }
  get expiresAt(): number {
    return this.identity.expiresAt;
  }
  get accessToken(): string {
    return this.tokens.accessToken;
  }
  get refreshToken(): string {
    return this.tokens.refreshToken;
  }

  isExpired(): boolean {
    return this.deps.clock.now() >= this.identity.expiresAt;
  }

  /** Resolves once the tokens are valid now; refreshes first if they have expired. */
  async ensureFresh(): Promise<void> {
    if (this.isExpired()) await this.refresh();
  }

  /** One refresh at a time: concurrent callers share it. */
  refresh(): Promise<void> {
    this.inFlight ??= this.refreshOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private async refreshOnce(): Promise<void> {
    try {
      const tokens = await this.deps.cognito.refresh(this.identity.username, this.tokens.refreshToken);
      const identity = await this.deps.verifier.verifyPair(tokens.accessToken, tokens.idToken);
      // Cognito would never swap the person; if it did, nothing of this session can be trusted.
      if (identity.sub !== this.identity.sub) throw new AuthError('SessionExpired');
      if (this.stopped) return;
      const rotated = tokens.refreshToken !== this.tokens.refreshToken;
      this.tokens = tokens;
      this.identity = identity;
      this.scheduleRefresh();
      if (rotated) this.deps.onRotated?.();
    } catch (error) {
      if (!this.stopped && isAppError(error) && error.code === 'Unauthenticated') {
        this.stop();
        this.deps.onEnded(error);
      }
      throw error;
    }
  }

  private scheduleRefresh(delayMs = this.refreshDelay()): void {
    this.cancelTimer?.();
    if (this.stopped) return;
    this.cancelTimer = this.deps.clock.schedule(() => {
      this.refresh().catch((error: unknown) => {
        if (this.stopped) return;
        this.deps.log.warn(
          `token refresh failed; retrying in ${this.deps.retryDelayMs / 1000} s`,
          String(error),
        );
        this.scheduleRefresh(this.deps.retryDelayMs);
      });
    }, delayMs);
  }

  private refreshDelay(): number {
    const remaining = this.identity.expiresAt - this.deps.clock.now();
    return Math.max(remaining - this.deps.refreshMarginMs, remaining / 2, 0);
  }
}
