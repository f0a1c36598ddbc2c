import {
  searchUsersInput,
  signInInput,
  type CodeDelivery,
  type ConfirmForgotPasswordInput,
  type ConfirmSignUpInput,
  type ForgotPasswordInput,
  type Profile,
  type ResendCodeInput,
  type SignInInput,
  type SignUpInput,
} from '../../shared/auth';
import type { Person } from '../../shared/model';
import { AppError, isAppError } from '../../shared/result';
import { createLogger, type Logger } from '../log';
import { parseInput } from '../input';
import type { AccountFlows } from './account-flows';
import type { Clock } from './clock';
import { cognitoUsername, type CognitoAuth, type Tokens } from './cognito-auth';
import { toPerson, toProfile, type PeopleDirectory } from './people';
import type { SessionStore } from './session-store';
import { TokenSession } from './token-session';
import type { TokenVerifier } from './token-verifier';

export interface AuthServiceDeps {
  cognito: CognitoAuth;
  accounts: AccountFlows;
  verifier: TokenVerifier;
  people: PeopleDirectory;
  store: SessionStore;
  clock: Clock;
  refreshMarginMs: number;
  retryDelayMs: number;
  log?: Logger;
}

export type AuthListener = (profile: Profile | undefined) => void;

interface SignedIn {
  session: TokenSession;
  user: Profile;
}

/**
 * Who is signed in, for the whole main process. It alone holds the tokens; what it returns
 * (profiles, people) never contains a token, a password or a credential. The directory row is
 * looked up once per sign-in and cached, so message actions cost no directory query.
 */
export class AuthService {
  private signedIn: SignedIn | undefined;
  /** Bumped by every sign-out, so a sign-in still in flight cannot land after it. */
  private signOuts = 0;
  private readonly listeners = new Set<AuthListener>();
  private readonly log: Logger;

  constructor(private readonly deps: AuthServiceDeps) {
    this.log = deps.log ?? createLogger('auth');
  }

  signUp = (input: SignUpInput): Promise<CodeDelivery> => this.deps.accounts.signUp(input);
  confirmSignUp = (input: ConfirmSignUpInput): Promise<void> => this.deps.accounts.confirmSignUp(input);
  resendCode = (input: ResendCodeInput): Promise<CodeDelivery> => this.deps.accounts.resendCode(input);
  forgotPassword = (input: ForgotPasswordInput): Promise<CodeDelivery> =>
    this.deps.accounts.forgotPassword(input);
  confirmForgotPassword = (input: ConfirmForgotPasswordInput): Promise<void> =>
    this.deps.accounts.confirmForgotPassword(input);

  /** Signs in with handle and password, remembers the session, and returns the profile. */
  async signIn(input: SignInInput): Promise<Profile> {
    const { handle, password } = parseInput(signInInput, input);
    const tokens = await this.deps.cognito.signIn(cognitoUsername(handle), password);
    return this.begin(tokens, true);
  }

  /**
   * Signs the remembered person in again at launch, without their password; undefined when
   * nobody is remembered or Cognito has ended that session (the stored file is then deleted).
   */
  async restore(): Promise<Profile | undefined> {
    const stored = await this.deps.store.load();
    if (!stored) return undefined;
    try {
      const tokens = await this.deps.cognito.refresh(stored.username, stored.refreshToken);
      return await this.begin(tokens, tokens.refreshToken !== stored.refreshToken);
    } catch (error) {
      // Unreachable keeps the file for the next try; an ended session forgets it.
      if (isAppError(error) && error.code === 'Unauthenticated') {
        this.log.info('the remembered session has ended; signed out');
        await this.deps.store.clear();
        return undefined;
      }
      throw error;
    }
  }

  /** Revokes the refresh token (best effort: offline still signs out here) and forgets the session. */
  async signOut(): Promise<void> {
    const current = this.signedIn;
    this.signedIn = undefined;
    this.signOuts += 1;
    current?.session.stop();
    const refreshToken = current?.session.refreshToken ?? (await this.deps.store.load())?.refreshToken;
    await this.deps.store.clear();
    // Tell the screens first: offline, the revocation below can take its full timeout.
    if (current) this.emit(undefined);
    if (refreshToken) {
      await this.deps.cognito.revoke(refreshToken).catch((error: unknown) => {
        this.log.warn('could not revoke the refresh token; it lapses at its expiry', { error });
      });
    }
  }

  /** The signed-in person's directory row, cached for the session (no query). */
  currentUser(): Profile | undefined {
    return this.signedIn?.user;
  }

  profile(): Profile | undefined {
    return this.signedIn && toProfile(this.signedIn.user);
  }

  /** The signed-in person for a message action; Unauthenticated when nobody is signed in. */
  async requireUser(): Promise<Person> {
    const current = this.signedIn;
    if (!current) throw new AppError('Unauthenticated', 'Please sign in first.');
    // After a sleep the refresh timer may not have run yet: refresh now rather than trust stale tokens.
    await current.session.ensureFresh();
    return toPerson(current.user);
  }

  /**
   * The access token of `personUuid`'s sign-in, fresh, for the message API's client in this
   * process (it never goes to the renderer). Unauthenticated unless that person is signed in now,
   * so work begun for one person (an outbox delivery) can never go out under the next one's token.
   * `renew` refreshes it first: the API refused it although this computer's clock thinks it valid.
   */
  async accessToken(personUuid: string, renew = false): Promise<string> {
    const current = this.signedIn;
    if (current?.user.uuid !== personUuid) throw new AppError('Unauthenticated', 'Please sign in first.');
    await (renew ? current.session.refresh() : current.session.ensureFresh());
    if (this.signedIn !== current)
      throw new AppError('Unauthenticated', 'You were signed out before this finished.');
    return current.session.accessToken;
  }

  /** People to start a conversation with: handle or display-name prefix, never the searcher. */
  async searchUsers(query: string): Promise<Person[]> {
    const me = await this.requireUser();
    const session = this.signedIn?.session;
    if (!session) throw new AppError('Unauthenticated', 'Please sign in first.');
    return this.deps.people.search(parseInput(searchUsersInput, { query }).query, me, session);
  }

  onChange(listener: AuthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the refresh timer (app quit); the remembered session stays for the next launch. */
  dispose(): void {
    this.signedIn?.session.stop();
    this.signedIn = undefined;
    this.listeners.clear();
  }

  private async begin(tokens: Tokens, persist: boolean): Promise<Profile> {
    const signOuts = this.signOuts;
    const session = await TokenSession.start(tokens, {
      ...this.deps,
      log: this.log,
      onEnded: () => void this.end(session),
      onRotated: () => void this.remember(session),
    });
    try {
      const user = await this.directoryUser(session);
      if (signOuts !== this.signOuts) throw new AppError('Unauthenticated', 'Signed out while signing in.');
      if (persist)
        await this.deps.store.save({ username: session.username, refreshToken: session.refreshToken });
      this.signedIn?.session.stop();
      this.signedIn = { session, user };
    } catch (error) {
      session.stop();
      throw error;
    }
    const profile = toProfile(this.signedIn.user);
    this.emit(profile);
    return profile;
  }

  /** The directory row of the verified account (see PeopleDirectory.userOf). */
  private directoryUser(session: TokenSession): Promise<Profile> {
    return this.deps.people.userOf(session);
  }

  /** Saves the session's new refresh token, for the next launch; the old one no longer works. */
  private async remember(session: TokenSession): Promise<void> {
    if (this.signedIn?.session !== session) return;
    try {
      await this.deps.store.save({ username: session.username, refreshToken: session.refreshToken });
      // A sign-out during the save deleted the file before this write landed: delete it again.
      if (this.signedIn?.session !== session) await this.deps.store.clear();
    } catch (error) {
      this.log.error('could not save the renewed session; the next launch may ask to sign in', { error });
    }
  }

  /** Cognito ended the session (refresh token revoked or expired): forget it and tell listeners. */
  private async end(session: TokenSession): Promise<void> {
    if (this.signedIn?.session !== session) return;
    this.signedIn = undefined;
    this.log.info('the session has ended; signed out');
    await this.deps.store
      .clear()
      .catch((error: unknown) => this.log.error('could not delete the session file', { error }));
    this.emit(undefined);
  }

  private emit(profile: Profile | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(profile);
      } catch (error) {
        this.log.error('an auth listener failed', { error });
      }
    }
  }
}
