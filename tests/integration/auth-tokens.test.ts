import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../shared/auth';
import type { Tokens } from '../../core/auth/cognito-auth';
import { poolKeys, TokenVerifier } from '../../core/auth/token-verifier';
import {
  authHarness,
  confirmedAccount,
  createAppClient,
  passwordTokens,
  type AuthHarness,
  type TestAccount,
} from '../support/auth';
import { freePort } from '../support/local-cloud-setup';

let h: AuthHarness;
let account: TestAccount;
let tokens: Tokens;
let verifier: TokenVerifier;

beforeAll(async () => {
  h = await authHarness();
  account = await confirmedAccount(h.service);
  tokens = await passwordTokens(h.cognito, h.config.userPoolClientId!, account);
  verifier = new TokenVerifier(poolKeys(h.config));
});
afterAll(() => h.close());

async function expectRefused(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect(error).toMatchObject({ code: 'Unauthenticated', reason: 'SessionExpired' });
  expect((error as Error).message).not.toContain('eyJ');
}

/** The same claims and header as a real token, signed with a key the pool never had. */
async function forge(token: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const header = decodeProtectedHeader(token);
  return new SignJWT(decodeJwt(token))
    .setProtectedHeader({ alg: 'RS256', kid: header.kid, typ: 'JWT' })
    .sign(privateKey);
}

describe('token verification', () => {
  it('accepts the pool tokens of this app client and says whose they are', async () => {
    const identity = await verifier.verifyPair(tokens.accessToken, tokens.idToken);
    const claims = decodeJwt(tokens.accessToken);
    expect(identity).toEqual({
      sub: claims.sub,
      username: account.handle.toLowerCase(),
      expiresAt: claims.exp! * 1000,
    });
    expect(poolKeys(h.config).issuers).toEqual([claims.iss]);
  });

  it('refuses tokens with the same claims signed by another key', async () => {
    await expectRefused(verifier.verifyAccessToken(await forge(tokens.accessToken)));
    await expectRefused(verifier.verifyIdToken(await forge(tokens.idToken)));
  });

  it('refuses tokens issued to another app client of the same pool', async () => {
    const otherClient = await createAppClient(h.cognito, h.config);
    const other = await passwordTokens(h.cognito, otherClient, account);
    await expectRefused(verifier.verifyAccessToken(other.accessToken));
    await expectRefused(verifier.verifyIdToken(other.idToken));
    await expectRefused(verifier.verifyPair(other.accessToken, other.idToken));
  });

  it('refuses expired tokens', async () => {
    const exp = decodeJwt(tokens.accessToken).exp! * 1000;
    const later = new TokenVerifier(poolKeys(h.config), { now: () => exp + 1_000 });
    await expectRefused(later.verifyAccessToken(tokens.accessToken));
    await expectRefused(later.verifyIdToken(tokens.idToken));
  });

  it('refuses an ID token offered as an access token and the reverse', async () => {
    await expectRefused(verifier.verifyAccessToken(tokens.idToken));
    await expectRefused(verifier.verifyIdToken(tokens.accessToken));
  });

  it('refuses a pair whose tokens belong to two different people', async () => {
    const someoneElse = await passwordTokens(
      h.cognito,
      h.config.userPoolClientId!,
      await confirmedAccount(h.service),
    );
    await expectRefused(verifier.verifyPair(tokens.accessToken, someoneElse.idToken));
  });

  it('refuses a token from another pool (another issuer)', async () => {
    const otherPool = new TokenVerifier({
      ...poolKeys(h.config),
      issuers: [`${h.config.cognitoEndpoint}/local_other`],
    });
    await expectRefused(otherPool.verifyAccessToken(tokens.accessToken));
  });

  it('answers Unavailable, not signed out, when the key set cannot be fetched', async () => {
    const offline = new TokenVerifier({
      ...poolKeys(h.config),
      jwksUrl: new URL(`http://127.0.0.1:${await freePort()}/jwks.json`),
    });
    await expect(offline.verifyAccessToken(tokens.accessToken)).rejects.toMatchObject({
      code: 'Unavailable',
    });
  });
});

/** A key set of our own, served over HTTP on a loopback port as Cognito serves its JWKS. */
async function servedKeySet() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: new URL(`http://127.0.0.1:${port}/jwks.json`),
    sign: (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

describe('token verification on AWS', () => {
  it('accepts both Cognito issuer forms of the pool, and refuses any other issuer', async () => {
    const keySet = await servedKeySet();
    const pool = 'eu-west-2_AbC123';
    const aws = {
      ...h.config,
      target: 'aws' as const,
      region: 'eu-west-2',
      userPoolId: pool,
      userPoolClientId: 'c1',
    };
    const awsVerifier = new TokenVerifier({ ...poolKeys(aws), jwksUrl: keySet.jwksUrl });
    const pair = async (iss: string) => ({
      access: await keySet.sign({ iss, sub: 's1', username: 'kosh', token_use: 'access', client_id: 'c1' }),
      id: await keySet.sign({ iss, sub: 's1', 'cognito:username': 'kosh', token_use: 'id', aud: 'c1' }),
    });
    try {
      for (const host of ['cognito-idp', 'issuer-cognito-idp']) {
        const tokens = await pair(`https://${host}.eu-west-2.amazonaws.com/${pool}`);
        await expect(awsVerifier.verifyPair(tokens.access, tokens.id)).resolves.toMatchObject({
          sub: 's1',
          username: 'kosh',
        });
      }
      for (const iss of [
        `https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other`,
        `https://cognito-idp.eu-west-2.amazonaws.com.example/${pool}`,
        `https://issuer-cognito-idp.us-east-1.amazonaws.com/${pool}`,
      ]) {
        const tokens = await pair(iss);
        await expectRefused(awsVerifier.verifyAccessToken(tokens.access));
        await expectRefused(awsVerifier.verifyIdToken(tokens.id));
      }
    } finally {
      await keySet.close();
    }
  });
});
