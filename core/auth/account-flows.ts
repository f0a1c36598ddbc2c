import {
  AuthError,
  confirmForgotPasswordInput,
  confirmSignUpInput,
  forgotPasswordInput,
  invalidPasswordError,
  passwordProblems,
  resendCodeInput,
  signUpInput,
  type CodeDelivery,
  type ConfirmForgotPasswordInput,
  type ConfirmSignUpInput,
  type ForgotPasswordInput,
  type ResendCodeInput,
  type SignUpInput,
} from '../../shared/auth';
import type { AppError } from '../../shared/result';
import { isAppError } from '../../shared/result';
import { parseInput } from '../input';
import type { Config } from '../config';
import type { Logger } from '../log';
import { cognitoUsername, type CognitoAuth } from './cognito-auth';
import type { PeopleDirectory } from './people';

const causeName = (error: AppError): unknown => (error.cause as { name?: unknown } | undefined)?.name;

/**
 * The account flows that need no session: sign up, confirm, resend the code, forgot password
 * and its confirmation. Each checks what Cognito would not (locally) before asking it.
 */
export class AccountFlows {
  constructor(
    private readonly cognito: CognitoAuth,
    private readonly people: Pick<PeopleDirectory, 'taken'>,
    private readonly target: Config['target'],
    private readonly log: Logger,
  ) {}

  async signUp(input: SignUpInput): Promise<CodeDelivery> {
    const { email, handle, display_name, password } = parseInput(signUpInput, input);
    if (passwordProblems(password).length) throw invalidPasswordError(password);
    // Cognito does not enforce a unique email (and locally not even a case-insensitive
    // username): the directory is the authority for both. In API mode the app cannot ask it, and
    // the first sign-in's link refuses a taken handle or email instead.
    const taken = await this.people.taken?.(handle, email);
    if (taken?.handle) throw new AuthError('HandleTaken');
    if (taken?.email) throw new AuthError('EmailTaken');
    // The username is the handle of record; the app client may write only email and name.
    return this.cognito.signUp(cognitoUsername(handle), password, [
      { Name: 'email', Value: email },
      { Name: 'name', Value: display_name },
    ]);
  }

  async confirmSignUp(input: ConfirmSignUpInput): Promise<void> {
    const { handle, code } = parseInput(confirmSignUpInput, input);
    await this.cognito.confirmSignUp(cognitoUsername(handle), code);
  }

  async resendCode(input: ResendCodeInput): Promise<CodeDelivery> {
    const { handle } = parseInput(resendCodeInput, input);
    try {
      return await this.cognito.resendCode(cognitoUsername(handle));
    } catch (error) {
      // cognito-local has no ResendConfirmationCode; its code is fixed and never expires, so the
      // one already "sent" still works.
      if (this.target === 'local' && isAppError(error) && causeName(error) === 'Unsupported') {
        this.log.info('cognito-local cannot resend codes; the fixed local code still applies');
        return { needsConfirmation: true, destination: undefined };
      }
      throw error;
    }
  }

  /**
   * Sends a reset code. An unknown handle looks the same as a known one (as on AWS with
   * PreventUserExistenceErrors), so this form cannot be used to find out who has an account.
   */
  async forgotPassword(input: ForgotPasswordInput): Promise<CodeDelivery> {
    const { handle } = parseInput(forgotPasswordInput, input);
    try {
      return await this.cognito.forgotPassword(cognitoUsername(handle));
    } catch (error) {
      if (isAppError(error) && causeName(error) === 'UserNotFoundException') {
        this.log.info('password reset asked for an unknown handle');
        return { needsConfirmation: true, destination: undefined };
      }
      throw error;
    }
  }

  async confirmForgotPassword(input: ConfirmForgotPasswordInput): Promise<void> {
    const { handle, code, password } = parseInput(confirmForgotPasswordInput, input);
    if (passwordProblems(password).length) throw invalidPasswordError(password);
    await this.cognito.confirmForgotPassword(cognitoUsername(handle), code, password);
  }
}
