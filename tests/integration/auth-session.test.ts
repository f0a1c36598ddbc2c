import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/auth';
import { createAuthService } from '../../core/auth/create-auth-service';
import { captureLog } from '../support/log-capture';
import { TestCipher } from '../support/test-cipher';
import { confirmedAccount, harnessPerTest, type AuthHarness } from '../support/auth';

const harness = harnessPerTest();

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** What the test (holding the key) can read back from the session file. */
async function storedRefreshToken(h: AuthHarness): Promise<string> {
  return (JSON.parse(h.cipher.decryptString(await readFile(h.sessionFile))) as { refreshToken: string })
    .refreshToken;
}

describe('the remembered session', () => {
  it('restores the session at relaunch without the password, from a private encrypted file', async () => {
    const h = await harness();
    const account = await confirmedAccount(h.service);
    const signedIn = await h.service.signIn(account);

    const file = await readFile(h.sessionFile);
    expect((await stat(h.sessionFile)).mode & 0o777).toBe(0o600);
    expect(file.toString('latin1')).not.toMatch(/eyJ|refreshToken/);

    const relaunched = h.relaunch();
    const changes: (Profile | undefined)[] = [];
    relaunched.onChange((profile) => changes.push(profile));
    await expect(relaunched.restore()).resolves.toEqual(signedIn);
    expect(changes).toEqual([signedIn]);
    await expect(relaunched.requireUser()).resolves.toEqual({
      uuid: signedIn.uuid,
      handle: signedIn.handle,
      display_name: signedIn.display_name,
    });
  });

  it('signs out: revokes the refresh token, deletes the file, and a relaunch is signed out', async () => {
    const h = await harness();
    await h.service.signIn(await confirmedAccount(h.service));
    const refreshToken = await storedRefreshToken(h);
    const changes: (Profile | undefined)[] = [];
    h.service.onChange((profile) => changes.push(profile));

    await h.service.signOut();

    expect(changes).toEqual([undefined]);
    expect(await exists(h.sessionFile)).toBe(false);
    await expect(h.service.requireUser()).rejects.toMatchObject({ code: 'Unauthenticated' });
    await expect(h.relaunch().restore()).resolves.toBeUndefined();
    const refresh = new InitiateAuthCommand({
      ClientId: h.config.userPoolClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    await expect(h.cognito.send(refresh)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('treats a corrupt session file, or one from another key, as signed out and deletes it', async () => {
    const h = await harness();
    await h.service.signIn(await confirmedAccount(h.service));
    const genuine = await readFile(h.sessionFile);

    await writeFile(h.sessionFile, 'not a session at all');
    await expect(h.relaunch().restore()).resolves.toBeUndefined();
    expect(await exists(h.sessionFile)).toBe(false);

    await writeFile(h.sessionFile, genuine);
    const otherMachine = createAuthService({
      config: h.config,
      pool: h.pool,
      secretStore: new TestCipher(),
      sessionFile: h.sessionFile,
    });
    await expect(otherMachine.restore()).resolves.toBeUndefined();
    expect(await exists(h.sessionFile)).toBe(false);
  });

  it('does not remember the session when the OS cannot encrypt it', async () => {
    const h = await harness();
    h.cipher.available = false;
    const log = captureLog();
    await expect(h.service.signIn(await confirmedAccount(h.service))).resolves.toBeDefined();
    expect(await exists(h.sessionFile)).toBe(false);
    expect(log.text()).toMatch(/encryption is unavailable/);
  });

  it("does not store the refresh token under safeStorage's hard-coded key (Linux basic_text), and says so once", async () => {
    const h = await harness();
    h.cipher.backend = 'basic_text';
    const log = captureLog();
    const account = await confirmedAccount(h.service);

    await h.service.signIn(account);
    await h.service.signOut();
    await h.service.signIn(account);

    expect(await exists(h.sessionFile)).toBe(false);
    const said = log.entries.filter((entry) => /not remembered/.test(entry.message));
    expect(said.map((entry) => entry.message)).toEqual([
      'no OS keyring was found (safeStorage would encrypt with its hard-coded key): the session is not remembered after a restart',
    ]);
    await expect(h.relaunch().restore()).resolves.toBeUndefined();
  });

  it('keeps the file when the sign-in service is unreachable at relaunch (offline is not signed out)', async () => {
    const h = await harness();
    await h.service.signIn(await confirmedAccount(h.service));
    const offline = createAuthService({
      config: { ...h.config, cognitoEndpoint: 'http://127.0.0.1:9' },
      pool: h.pool,
      secretStore: h.cipher,
      sessionFile: h.sessionFile,
    });
    await expect(offline.restore()).rejects.toMatchObject({ code: 'Unavailable' });
    expect(await exists(h.sessionFile)).toBe(true);
  });
});

describe('signed out', () => {
  it('answers Unauthenticated to requireUser and searchUsers', async () => {
    const h = await harness();
    expect(h.service.currentUser()).toBeUndefined();
    await expect(h.service.requireUser()).rejects.toMatchObject({ code: 'Unauthenticated' });
    await expect(h.service.searchUsers('a')).rejects.toMatchObject({ code: 'Unauthenticated' });
    await expect(h.service.restore()).resolves.toBeUndefined();
  });
});
