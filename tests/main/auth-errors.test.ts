import { describe, expect, it } from 'vitest';
import { AuthError, authErrorMessages, invalidPasswordError, passwordProblems } from '../../shared/auth';
import { fail } from '../../shared/result';
import { loadConfig } from '../../core/config';
import { toAuthError, type CognitoFlow } from '../../core/auth/cognito-errors';
import { poolKeys } from '../../core/auth/token-verifier';

/** An exception shaped like the AWS SDK's (a name and a message from the service). */
const cognitoException = (name: string) => Object.assign(new Error(`${name} from the service`), { name });

describe('Cognito exceptions in plain words', () => {
  // Some of these only real AWS produces (cognito-local never rate-limits, for one).
  it.each<[string, CognitoFlow, string, string]>([
    ['NotAuthorizedException', 'signIn', 'WrongCredentials', 'Unauthenticated'],
    ['UserNotFoundException', 'signIn', 'WrongCredentials', 'Unauthenticated'],
    ['InvalidPasswordException', 'signIn', 'WrongCredentials', 'Unauthenticated'],
    ['InvalidPasswordException', 'signUp', 'InvalidPassword', 'Invalid'],
    ['UserNotConfirmedException', 'signIn', 'UserNotConfirmed', 'Forbidden'],
    ['PasswordResetRequiredException', 'signIn', 'PasswordResetRequired', 'Forbidden'],
    ['UsernameExistsException', 'signUp', 'HandleTaken', 'Conflict'],
    ['CodeMismatchException', 'confirmSignUp', 'CodeMismatch', 'Invalid'],
    ['NotAuthorizedException', 'confirmSignUp', 'CodeMismatch', 'Invalid'],
    ['ExpiredCodeException', 'confirmForgotPassword', 'ExpiredCode', 'Invalid'],
    ['LimitExceededException', 'forgotPassword', 'TooManyAttempts', 'Unavailable'],
    ['TooManyRequestsException', 'signIn', 'TooManyAttempts', 'Unavailable'],
    ['TooManyFailedAttemptsException', 'signIn', 'TooManyAttempts', 'Unavailable'],
    ['NotAuthorizedException', 'refresh', 'SessionExpired', 'Unauthenticated'],
  ])('%s during %s is %s (%s)', (name, flow, reason, code) => {
    const error = toAuthError(cognitoException(name), flow);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ reason, code, message: authErrorMessages[reason as AuthError['reason']] });
  });

  it('keeps the generic mapping for anything else, without a reason', () => {
    const error = toAuthError(cognitoException('InternalErrorException'), 'signIn');
    expect(error).not.toBeInstanceOf(AuthError);
    expect(error.code).toBe('Internal');
    expect(error.reason).toBeUndefined();
  });

  it('carries the reason across IPC in the failure shape', () => {
    const error = new AuthError('UserNotConfirmed');
    expect(fail(error.code, error.message, error.reason)).toEqual({
      ok: false,
      error: { code: 'Forbidden', message: authErrorMessages.UserNotConfirmed, reason: 'UserNotConfirmed' },
    });
    expect(fail('NotFound', 'gone')).toEqual({ ok: false, error: { code: 'NotFound', message: 'gone' } });
  });
});

describe('password rules', () => {
  it('lists exactly the rules a password misses', () => {
    expect(passwordProblems('Cruddur-test-2026!')).toEqual([]);
    expect(passwordProblems('abcdefgh')).toEqual([
      'an uppercase letter',
      'a number',
      'a symbol such as ! ? # or -',
    ]);
    expect(invalidPasswordError('ABCDEFG1!').message).toBe('The password needs a lowercase letter.');
  });

  it("counts as symbols exactly Cognito's special characters, so no password passes here that Cognito refuses", () => {
    for (const symbol of '^$*.[]{}()?-"!@#%&/\\,><\':;|_~`+=')
      expect(passwordProblems(`Abcdefg1${symbol}`), symbol).toEqual([]);
    for (const notOne of ['€', '§', '£', 'é', '\u00a0'])
      expect(passwordProblems(`Abcdefg1${notOne}`), notOne).toEqual(['a symbol such as ! ? # or -']);
  });
});

describe('where the pool keys are', () => {
  const ids = { CRUDDUR_USER_POOL_ID: 'us-east-1_AbC123', CRUDDUR_USER_POOL_CLIENT_ID: 'client1' };

  it('is the regional cognito-idp host on AWS, whatever endpoint the API goes through', () => {
    const keys = poolKeys(
      loadConfig({
        ...ids,
        CRUDDUR_TARGET: 'aws',
        CRUDDUR_REGION: 'eu-west-2',
        CRUDDUR_DATABASE_URL: 'postgres://u@db.example/cruddur',
        CRUDDUR_COGNITO_ENDPOINT: 'https://proxy.example',
      }),
    );
    expect(keys.issuers).toEqual([
      'https://cognito-idp.eu-west-2.amazonaws.com/us-east-1_AbC123',
      'https://issuer-cognito-idp.eu-west-2.amazonaws.com/us-east-1_AbC123',
    ]);
    expect(keys.jwksUrl.href).toBe(
      'https://cognito-idp.eu-west-2.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json',
    );
    expect(keys.clientId).toBe('client1');
  });

  it('is under the cognito-local endpoint locally', () => {
    const keys = poolKeys(loadConfig({ ...ids, CRUDDUR_COGNITO_ENDPOINT: 'http://127.0.0.1:9229/' }, '/tmp'));
    expect(keys.issuers).toEqual(['http://127.0.0.1:9229/us-east-1_AbC123']);
    expect(keys.jwksUrl.pathname).toBe('/us-east-1_AbC123/.well-known/jwks.json');
  });

  it('is Unavailable when no pool is configured (the local cloud never ran)', () => {
    expect(() => poolKeys(loadConfig({}, '/nonexistent'))).toThrow(/No user pool is configured/);
  });
});
