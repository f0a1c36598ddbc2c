import {
  DescribeUserPoolClientCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminCreatedAccount,
  authHarness,
  confirmedAccount,
  LOCAL_CONFIRMATION_CODE,
  newAccount,
  passwordTokens,
  type AuthHarness,
  type TestAccount,
} from '../support/auth';

/**
 * What an attacker can do with the app's public client id and their own account, straight at
 * Cognito: choose attributes at sign-up, change them afterwards. None of it may reach another
 * person's directory row.
 */
let h: AuthHarness;
beforeAll(async () => {
  h = await authHarness();
});
afterEach(() => h.service.signOut());
afterAll(() => h.close());

/** A directory row nobody has signed in to yet (made by a seed or an administrator). */
async function unlinkedRow(person = newAccount('zathras')): Promise<{ uuid: string; handle: string }> {
  const { rows } = await h.pool.query<{ uuid: string }>(
    'INSERT INTO users (handle, display_name, email) VALUES ($1, $2, $3) RETURNING uuid::text',
    [person.handle, person.display_name, person.email],
  );
  return { uuid: rows[0]!.uuid, handle: person.handle };
}

const linkOf = async (uuid: string): Promise<string | null> =>
  (
    await h.pool.query<{ id: string | null }>('SELECT cognito_user_id AS id FROM users WHERE uuid = $1', [
      uuid,
    ])
  ).rows[0]!.id;

/** A sign-up through the public client with whatever attributes the caller likes. */
async function attackerSignUp(account: TestAccount, extra: AttributeType[]): Promise<void> {
  await h.cognito.send(
    new SignUpCommand({
      ClientId: h.config.userPoolClientId,
      Username: account.handle,
      Password: account.password,
      UserAttributes: [
        { Name: 'email', Value: account.email },
        { Name: 'name', Value: account.display_name },
        ...extra,
      ],
    }),
  );
  await h.service.confirmSignUp({ handle: account.handle, code: LOCAL_CONFIRMATION_CODE });
}

describe('claiming another person through Cognito attributes', () => {
  it('an account signed up with preferred_username = an unlinked handle signs in as itself', async () => {
    const victim = await unlinkedRow();
    const eve = newAccount('eve');
    await attackerSignUp(eve, [{ Name: 'preferred_username', Value: victim.handle }]);

    const profile = await h.service.signIn(eve);

    expect(profile).toMatchObject({ handle: eve.handle, email: eve.email });
    expect(profile.uuid).not.toBe(victim.uuid);
    expect(await linkOf(victim.uuid)).toBeNull();
  });

  it('an account cannot set preferred_username after sign-up to claim an unlinked handle', async () => {
    const victim = await unlinkedRow();
    const eve = await confirmedAccount(h.service, newAccount('eve'));
    const { accessToken } = await passwordTokens(h.cognito, h.config.userPoolClientId!, eve);

    const write = await h.cognito
      .send(
        new UpdateUserAttributesCommand({
          AccessToken: accessToken,
          UserAttributes: [{ Name: 'preferred_username', Value: victim.handle }],
        }),
      )
      .then(
        () => 'written',
        (error: { name?: string }) => error.name,
      );
    const profile = await h.service.signIn(eve);

    expect(write).toBe('InvalidParameterException');
    expect(profile.uuid).not.toBe(victim.uuid);
    expect(await linkOf(victim.uuid)).toBeNull();
  });

  it('the app client may write only email and name (cognito-local stores this but does not enforce it)', async () => {
    const { UserPoolClient } = await h.cognito.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: h.config.userPoolId,
        ClientId: h.config.userPoolClientId,
      }),
    );
    expect(UserPoolClient?.WriteAttributes?.slice().sort()).toEqual(['email', 'name']);
  });

  it("refuses an account that took another account's sub (cognito-local lets SignUp set it)", async () => {
    const victim = await confirmedAccount(h.service);
    const victimUuid = (await h.service.signIn(victim)).uuid;
    await h.service.signOut();
    const mallory = newAccount('mallory');
    await attackerSignUp(mallory, [{ Name: 'sub', Value: (await linkOf(victimUuid))! }]);

    const error = await h.service.signIn(mallory).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'Forbidden' });
    expect(h.service.profile()).toBeUndefined();
  });

  it('does not honour a link from an account to a row of another handle (an old takeover)', async () => {
    const eve = await confirmedAccount(h.service, newAccount('eve'));
    const { accessToken } = await passwordTokens(h.cognito, h.config.userPoolClientId!, eve);
    const victim = await unlinkedRow();
    await h.pool.query('UPDATE users SET cognito_user_id = $2 WHERE uuid = $1', [
      victim.uuid,
      decodeJwt(accessToken).sub,
    ]);

    const error = await h.service.signIn(eve).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'Conflict', reason: 'HandleTaken' });
    expect(h.service.profile()).toBeUndefined();
  });
});

describe('a row made before its person had an account', () => {
  it('is linked when the username is its handle and the verified email is its email', async () => {
    const person = newAccount('pre');
    const row = await unlinkedRow(person);
    await adminCreatedAccount(h.cognito, h.config, person);

    await expect(h.service.signIn(person)).resolves.toMatchObject({ uuid: row.uuid });
    expect(await linkOf(row.uuid)).toEqual(expect.any(String));
  });

  it('is not linked to an account whose email is unverified or another address', async () => {
    const unverified = newAccount('pre');
    const otherEmail = newAccount('pre');
    const rows = [await unlinkedRow(unverified), await unlinkedRow(otherEmail)];
    await adminCreatedAccount(h.cognito, h.config, unverified, { emailVerified: false });
    await adminCreatedAccount(h.cognito, h.config, { ...otherEmail, email: `x${randomUUID()}@cruddur.test` });

    for (const account of [unverified, otherEmail]) {
      const error = await h.service.signIn(account).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'Conflict', reason: 'HandleTaken' });
    }
    for (const row of rows) expect(await linkOf(row.uuid)).toBeNull();
  });
});
