import {
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import type { Profile } from '../../shared/auth';
import { systemClock } from '../../core/auth/clock';
import { CognitoAuth } from '../../core/auth/cognito-auth';
import { createLogger } from '../../core/log';
import { TokenSession } from '../../core/auth/token-session';
import { poolKeys, TokenVerifier } from '../../core/auth/token-verifier';
import {
  confirmedAccount,
  createAppClient,
  harnessPerTest,
  ManualClock,
  passwordTokens,
  type AuthHarness,
} from '../support/auth';

const harness = harnessPerTest();

const SHORT_LIVED_SECONDS = 2;

async function storedRefreshToken(h: AuthHarness): Promise<string> {
  return (JSON.parse(h.cipher.decryptString(await readFile(h.sessionFile))) as { refreshToken: string })
    .refreshToken;
}

/**
 * cognito-local never rotates refresh tokens. With rotation on, Cognito answers a refresh with a
 * new one: this middleware puts `next` (a real refresh token of the same account) into the real
 * answer of every REFRESH_TOKEN_AUTH, as rotation would.
 */
function rotateRefreshTokens(cognito: CognitoIdentityProviderClient, next: string): void {
  cognito.middlewareStack.add(
    (handler, context) => async (args) => {
      const result = await handler(args);
      const input = args.input as { AuthFlow?: string };
      const output = result.output as InitiateAuthCommandOutput;
      if (context.commandName === 'InitiateAuthCommand' && input.AuthFlow === 'REFRESH_TOKEN_AUTH') {
        output.AuthenticationResult = { ...output.AuthenticationResult, RefreshToken: next };
      }
      return result;
    },
    { step: 'initialize', name: 'rotateRefreshTokens' },
  );
}
const TOKEN_LIFETIME_MS = 24 * 3600 * 1000;

describe('token refresh', () => {
  it('schedules the refresh 60 s before expiry, and the refresh keeps the session going', async () => {
    const clock = new ManualClock();
    const h = await harness({ clock });
    const account = await confirmedAccount(h.service);
    await h.service.signIn(account);

    // cognito-local's tokens live 24 h by default; the timer is set for 60 s before that.
    expect(clock.pending).toHaveLength(1);
    expect(Math.abs(clock.pending[0]!.delayMs - (TOKEN_LIFETIME_MS - 60_000))).toBeLessThan(3_000);

    clock.fireAll();
    // A successful refresh verifies the new tokens and schedules the next one.
    await vi.waitFor(() => expect(clock.pending).toHaveLength(1));
    await expect(h.service.requireUser()).resolves.toMatchObject({ handle: account.handle });
  });

  it('replaces the tokens with new, valid ones before they expire, by itself', async () => {
    const h = await harness();
    const clientId = await createAppClient(h.cognito, h.config, SHORT_LIVED_SECONDS);
    const config = { ...h.config, userPoolClientId: clientId };
    const tokens = await passwordTokens(h.cognito, clientId, await confirmedAccount(h.service));
    const verifier = new TokenVerifier(poolKeys(config));
    const session = await TokenSession.start(tokens, {
      cognito: new CognitoAuth(h.cognito, clientId),
      verifier,
      clock: systemClock,
      log: createLogger('test'),
      refreshMarginMs: 60_000,
      retryDelayMs: 1_000,
      onEnded: () => undefined,
    });
    const firstExpiry = session.expiresAt;

    await vi.waitFor(() => expect(session.accessToken).not.toBe(tokens.accessToken), { timeout: 5_000 });

    expect(session.expiresAt).toBeGreaterThan(firstExpiry);
    await expect(verifier.verifyPair(session.accessToken, tokens.idToken)).resolves.toBeDefined();
    expect(session.refreshToken).toBe(tokens.refreshToken);
    session.stop();
  });

  it('refreshes on demand when the tokens expired while the timer had not run (after a sleep)', async () => {
    const clock = new ManualClock();
    const base = await harness();
    const clientId = await createAppClient(base.cognito, base.config, SHORT_LIVED_SECONDS);
    const h = await harness({ clock, env: { CRUDDUR_USER_POOL_CLIENT_ID: clientId } });
    const account = await confirmedAccount(h.service);
    await h.service.signIn(account);
    await new Promise((resolve) => setTimeout(resolve, SHORT_LIVED_SECONDS * 1000 + 200));

    await expect(h.service.requireUser()).resolves.toMatchObject({ handle: account.handle });
    expect(clock.pending).toHaveLength(1);
  });

  it('saves a rotated refresh token, so the next launch signs in with the new one', async () => {
    const clock = new ManualClock();
    const h = await harness({ clock });
    const account = await confirmedAccount(h.service);
    await h.service.signIn(account);
    const first = await storedRefreshToken(h);
    const rotated = (await passwordTokens(h.cognito, h.config.userPoolClientId!, account)).refreshToken;
    rotateRefreshTokens(h.cognito, rotated);

    clock.fireAll();

    await vi.waitFor(async () => expect(await storedRefreshToken(h)).toBe(rotated));
    // The old token is gone: only a launch that uses the new one is signed in.
    await h.cognito.send(new RevokeTokenCommand({ ClientId: h.config.userPoolClientId, Token: first }));
    await expect(h.relaunch().restore()).resolves.toMatchObject({ handle: account.handle });
  });

  it('signs out when Cognito has ended the session (refresh token revoked elsewhere)', async () => {
    const clock = new ManualClock();
    const h = await harness({ clock });
    await h.service.signIn(await confirmedAccount(h.service));
    await h.cognito.send(
      new RevokeTokenCommand({ ClientId: h.config.userPoolClientId, Token: await storedRefreshToken(h) }),
    );
    const changes: (Profile | undefined)[] = [];
    h.service.onChange((profile) => changes.push(profile));

    clock.fireAll();

    await vi.waitFor(() => expect(changes).toEqual([undefined]));
    await expect(h.service.requireUser()).rejects.toMatchObject({ code: 'Unauthenticated' });
    await expect(stat(h.sessionFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
