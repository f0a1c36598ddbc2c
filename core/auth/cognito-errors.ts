import { AuthError } from '../../shared/auth';
import type { AppError } from '../../shared/result';
import { toAppError } from '../errors';

/** The flows whose Cognito failures mean different things to a person. */
export type CognitoFlow =
  | 'signUp'
  | 'confirmSignUp'
  | 'resendCode'
  | 'signIn'
  | 'refresh'
  | 'getUser'
  | 'forgotPassword'
  | 'confirmForgotPassword'
  | 'revoke';

const CONFIRMING: ReadonlySet<CognitoFlow> = new Set(['confirmSignUp', 'confirmForgotPassword']);
const SESSION: ReadonlySet<CognitoFlow> = new Set(['refresh', 'getUser', 'revoke']);

/**
 * Turns a Cognito exception into an AuthError a screen can act on. The same exception means
 * different things per flow: NotAuthorized at sign-in is a wrong handle or password, during a
 * confirmation a code that does not fit the account, on refresh a session that has ended.
 * cognito-local differs from AWS in places (a wrong password is InvalidPasswordException, an
 * unknown user confirming is NotAuthorizedException), and both spellings map alike.
 */
export function toAuthError(error: unknown, flow: CognitoFlow): AppError {
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      if (flow === 'signIn') return new AuthError('WrongCredentials', undefined, { cause: error });
      if (CONFIRMING.has(flow)) return new AuthError('CodeMismatch', undefined, { cause: error });
      if (SESSION.has(flow)) return new AuthError('SessionExpired', undefined, { cause: error });
      break;
    case 'InvalidPasswordException':
      // Locally a wrong password at sign-in; on AWS a password the policy refuses.
      if (flow === 'signIn') return new AuthError('WrongCredentials', undefined, { cause: error });
      return new AuthError('InvalidPassword', undefined, { cause: error });
    case 'UserNotConfirmedException':
      return new AuthError('UserNotConfirmed', undefined, { cause: error });
    case 'PasswordResetRequiredException':
      return new AuthError('PasswordResetRequired', undefined, { cause: error });
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return new AuthError('HandleTaken', undefined, { cause: error });
    case 'CodeMismatchException':
      return new AuthError('CodeMismatch', undefined, { cause: error });
    case 'ExpiredCodeException':
      return new AuthError('ExpiredCode', undefined, { cause: error });
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return new AuthError('TooManyAttempts', undefined, { cause: error });
  }
  return toAppError(error, 'The sign-in service (Cognito)');
}
