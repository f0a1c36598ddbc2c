import { z } from 'zod';
import { AppError, type ErrorCode } from './result';
import { cappedString, looksEmpty, typedText } from './text';
import { passwordProblems, PASSWORD_RULES } from './password-rules';

/**
 * Sign-in, shared by the renderer's screens, the IPC contract and the main-process auth service:
 * the inputs of every flow, the profile the renderer may see, the password rules and the auth
 * error reasons. The renderer never receives a token; the profile is all it learns.
 */

/** Who is signed in, as the renderer sees it: no token, no Cognito id. */
export interface Profile {
  uuid: string;
  handle: string;
  display_name: string;
  email: string;
}

/** Same rule as the users table's CHECK, so a handle Cognito accepts always fits the directory. */
export const HANDLE_RULE = 'a handle is 1 to 32 letters, digits or underscores';
export const handleSchema = cappedString(64, HANDLE_RULE)
  .trim()
  .regex(/^[A-Za-z0-9_]{1,32}$/, { error: HANDLE_RULE });
/** 254: the longest address SMTP can carry (RFC 5321). */
export const emailSchema = cappedString(254, 'an email address is at most 254 characters').pipe(
  z.email({ error: 'an email address such as you@example.com' }),
);
const NAME_TOO_LONG = 'a display name is at most 100 characters';
/** Shown to everyone the person writes to, so held to the rules of typed text. */
export const displayNameSchema = typedText('the display name', 400, NAME_TOO_LONG)
  .trim()
  .refine((name) => !looksEmpty(name), { error: 'a display name is required' })
  .max(100, { error: NAME_TOO_LONG });
/** Non-empty only: the rules are checked by `passwordProblems`, which lists what is missing. */
export const passwordSchema = cappedString(256, 'a password is at most 256 characters').min(1, {
  error: 'a password is required',
});
export const confirmationCodeSchema = cappedString(32, 'the code is the 6 digits from the email')
  .trim()
  .regex(/^\d{6}$/, { error: 'the code is the 6 digits from the email' });

export const signUpInput = z.object({
  email: emailSchema,
  handle: handleSchema,
  display_name: displayNameSchema,
  password: passwordSchema,
});
export const confirmSignUpInput = z.object({ handle: handleSchema, code: confirmationCodeSchema });
export const resendCodeInput = z.object({ handle: handleSchema });
export const signInInput = z.object({ handle: handleSchema, password: passwordSchema });
export const forgotPasswordInput = z.object({ handle: handleSchema });
export const confirmForgotPasswordInput = z.object({
  handle: handleSchema,
  code: confirmationCodeSchema,
  password: passwordSchema,
});
export const searchUsersInput = z.object({
  query: typedText('the search', 100, 'a search is at most 100 characters'),
});

export type SignUpInput = z.input<typeof signUpInput>;
export type ConfirmSignUpInput = z.input<typeof confirmSignUpInput>;
export type ResendCodeInput = z.input<typeof resendCodeInput>;
export type SignInInput = z.input<typeof signInInput>;
export type ForgotPasswordInput = z.input<typeof forgotPasswordInput>;
export type ConfirmForgotPasswordInput = z.input<typeof confirmForgotPasswordInput>;

/** What a sign-up or a resend tells the person: where the code went (masked on AWS). */
export interface CodeDelivery {
  /** false when the pool confirmed the account at once (no code needed). */
  needsConfirmation: boolean;
  destination: string | undefined;
}

export { PASSWORD_RULES, passwordProblems } from './password-rules';

/**
 * Why an auth flow failed, finer than the error code, so a screen can route (UserNotConfirmed →
 * the confirm screen, PasswordResetRequired → the forgot-password screen, whose code sets a new one) and word the message.
 */
export const authErrorReasons = {
  WrongCredentials: 'Unauthenticated',
  UserNotConfirmed: 'Forbidden',
  PasswordResetRequired: 'Forbidden',
  HandleTaken: 'Conflict',
  EmailTaken: 'Conflict',
  InvalidPassword: 'Invalid',
  CodeMismatch: 'Invalid',
  ExpiredCode: 'Invalid',
  TooManyAttempts: 'Unavailable',
  SessionExpired: 'Unauthenticated',
} as const satisfies Record<string, ErrorCode>;

export type AuthErrorReason = keyof typeof authErrorReasons;

export const authErrorMessages: Record<AuthErrorReason, string> = {
  WrongCredentials: 'The handle or password is wrong.',
  UserNotConfirmed: 'This account is not confirmed yet. Enter the code we emailed you.',
  PasswordResetRequired: 'This account needs a new password. Ask for a code to set one.',
  HandleTaken: 'That handle is already taken. Try another one.',
  EmailTaken: 'That email address already has an account. Sign in or reset the password.',
  InvalidPassword: 'The password does not meet the rules.',
  CodeMismatch: 'That code is not right. Check the email and try again.',
  ExpiredCode: 'That code has expired. Ask for a new one.',
  TooManyAttempts: 'Too many attempts. Wait a few minutes and try again.',
  SessionExpired: 'Your session has ended. Please sign in again.',
};

/** An auth failure: its code follows from its reason; its message is safe to show a person. */
export class AuthError extends AppError {
  declare readonly reason: AuthErrorReason;

  constructor(reason: AuthErrorReason, message = authErrorMessages[reason], options?: { cause?: unknown }) {
    super(authErrorReasons[reason], message, { cause: options?.cause, reason });
    this.name = 'AuthError';
  }
}

/** The message for a password that breaks the rules, listing the ones it misses. */
export function invalidPasswordError(password: string): AuthError {
  const missing = passwordProblems(password);
  const rules = (missing.length ? missing : PASSWORD_RULES.map(({ rule }) => rule)).join(', ');
  return new AuthError('InvalidPassword', `The password needs ${rules}.`);
}
