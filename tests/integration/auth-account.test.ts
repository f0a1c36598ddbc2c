import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, PASSWORD_RULES, type AuthErrorReason } from '../../shared/auth';
import { AppError } from '../../shared/result';
import {
  authHarness,
  confirmedAccount,
  GOOD_PASSWORD,
  LOCAL_CONFIRMATION_CODE,
  newAccount,
  type AuthHarness,
} from '../support/auth';

/** Asserts an auth failure by its reason and code, and that its message is for people. */
async function expectReason(promise: Promise<unknown>, reason: AuthErrorReason): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).reason).toBe(reason);
  expect((error as AuthError).message).not.toMatch(/Exception|eyJ/);
  return error as AuthError;
}

let h: AuthHarness;
beforeAll(async () => {
  h = await authHarness();
});
afterAll(() => h.close());

describe('sign-up, confirmation and sign-in', () => {
  it('signs up, confirms, signs in and gets a new row whose handle is the (lower-case) username', async () => {
    const account = newAccount('New_');
    const delivery = await h.service.signUp(account);
    expect(delivery).toEqual({ needsConfirmation: true, destination: account.email });
    await h.service.confirmSignUp({ handle: account.handle, code: LOCAL_CONFIRMATION_CODE });

    const profile = await h.service.signIn({ handle: account.handle, password: account.password });

    expect(profile).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      handle: account.handle.toLowerCase(),
      display_name: account.display_name,
      email: account.email,
    });
    const { rows } = await h.pool.query('SELECT handle, cognito_user_id FROM users WHERE uuid = $1', [
      profile.uuid,
    ]);
    expect(rows).toEqual([{ handle: account.handle.toLowerCase(), cognito_user_id: expect.any(String) }]);
    expect(JSON.stringify(profile)).not.toMatch(/eyJ|password/i);
    await h.service.signOut();
  });

  it('signs in whatever the case of the handle typed', async () => {
    const account = await confirmedAccount(h.service, newAccount('Case_'));
    const profile = await h.service.signIn({
      handle: account.handle.toUpperCase(),
      password: account.password,
    });
    expect(profile.handle).toBe(account.handle.toLowerCase());
    await h.service.signOut();
  });

  it('refuses a wrong password and an unknown handle with the same words', async () => {
    const account = await confirmedAccount(h.service);
    const wrong = await expectReason(
      h.service.signIn({ handle: account.handle, password: 'Wrong-pass-1!' }),
      'WrongCredentials',
    );
    const unknown = await expectReason(
      h.service.signIn({ handle: 'nobody_here_x', password: GOOD_PASSWORD }),
      'WrongCredentials',
    );
    expect(wrong.code).toBe('Unauthenticated');
    expect(unknown.message).toBe(wrong.message);
    expect(h.service.profile()).toBeUndefined();
  });

  it('sends an unconfirmed account to the confirm screen (reason UserNotConfirmed)', async () => {
    const account = newAccount();
    await h.service.signUp(account);
    const error = await expectReason(h.service.signIn(account), 'UserNotConfirmed');
    expect(error.code).toBe('Forbidden');
  });

  it('resends the code (locally the fixed code stays valid) and refuses a wrong one', async () => {
    const account = newAccount();
    await h.service.signUp(account);
    await expect(h.service.resendCode({ handle: account.handle })).resolves.toMatchObject({
      needsConfirmation: true,
    });
    await expectReason(h.service.confirmSignUp({ handle: account.handle, code: '000000' }), 'CodeMismatch');
    await h.service.confirmSignUp({ handle: account.handle, code: LOCAL_CONFIRMATION_CODE });
    await expect(h.service.signIn(account)).resolves.toMatchObject({ handle: account.handle });
    await h.service.signOut();
  });

  it('says a code no longer applies once the account is confirmed', async () => {
    const account = await confirmedAccount(h.service);
    await expectReason(
      h.service.confirmSignUp({ handle: account.handle, code: LOCAL_CONFIRMATION_CODE }),
      'ExpiredCode',
    );
  });
});

describe('sign-up refusals', () => {
  it('refuses a handle already taken, in any case, in Cognito or only in the directory', async () => {
    const first = await confirmedAccount(h.service);
    const again = { ...newAccount(), handle: first.handle.toUpperCase() };
    const error = await expectReason(h.service.signUp(again), 'HandleTaken');
    expect(error.code).toBe('Conflict');

    const directoryOnly = newAccount();
    await h.pool.query('INSERT INTO users (handle, display_name, email) VALUES ($1, $2, $3)', [
      directoryOnly.handle,
      'Seeded person',
      `seeded-${directoryOnly.email}`,
    ]);
    await expectReason(h.service.signUp(directoryOnly), 'HandleTaken');
  });

  it('refuses an email another account already has', async () => {
    const first = await confirmedAccount(h.service);
    await h.service.signIn(first);
    await h.service.signOut();
    await expectReason(h.service.signUp({ ...newAccount(), email: first.email.toUpperCase() }), 'EmailTaken');
  });

  it('lists the password rules a password misses', async () => {
    const error = await expectReason(
      h.service.signUp({ ...newAccount(), password: 'short' }),
      'InvalidPassword',
    );
    expect(error.code).toBe('Invalid');
    expect(error.message).toBe(
      'The password needs at least 8 characters, an uppercase letter, a number, a symbol such as ! ? # or -.',
    );
  });

  it('refuses malformed input as Invalid before asking Cognito', async () => {
    const error = await h.service.signUp({ ...newAccount(), handle: 'no spaces' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('Invalid');
    expect((error as AppError).message).toMatch(/handle/);
  });

  it('checks the same password rules the pool was created with', async () => {
    const pool = await h.cognito.send(new DescribeUserPoolCommand({ UserPoolId: h.config.userPoolId }));
    expect(pool.UserPool?.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 8,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(PASSWORD_RULES).toHaveLength(5);
  });
});

describe('forgot password', () => {
  it('resets the password with the emailed code; the new one signs in, the old one not', async () => {
    const account = await confirmedAccount(h.service);
    const delivery = await h.service.forgotPassword({ handle: account.handle });
    expect(delivery.destination).toBe(account.email);
    const newPassword = 'Another-pass-42?';
    await expectReason(
      h.service.confirmForgotPassword({ handle: account.handle, code: '000000', password: newPassword }),
      'CodeMismatch',
    );
    await expectReason(
      h.service.confirmForgotPassword({
        handle: account.handle,
        code: LOCAL_CONFIRMATION_CODE,
        password: 'weak',
      }),
      'InvalidPassword',
    );
    await h.service.confirmForgotPassword({
      handle: account.handle,
      code: LOCAL_CONFIRMATION_CODE,
      password: newPassword,
    });

    await expectReason(h.service.signIn(account), 'WrongCredentials');
    await expect(h.service.signIn({ handle: account.handle, password: newPassword })).resolves.toMatchObject({
      handle: account.handle,
    });
    await h.service.signOut();
  });

  it('answers an unknown handle like a known one, so it reveals no accounts', async () => {
    await expect(h.service.forgotPassword({ handle: 'nobody_here_y' })).resolves.toEqual({
      needsConfirmation: true,
      destination: undefined,
    });
  });
});
