import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type AttributeType,
  type CodeDeliveryDetailsType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CodeDelivery } from '../../shared/auth';
import { AppError } from '../../shared/result';
import { toAuthError, type CognitoFlow } from './cognito-errors';

/** The tokens of one sign-in. They stay in the main process, inside the session. */
export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** The account's attributes as GetUser returns them (the ID token lacks name locally). */
export type UserAttributes = Record<string, string>;

/**
 * Cognito's username for a handle. Handles are case-insensitive like the directory; real pools
 * are created case-insensitive, but cognito-local compares usernames exactly (it lets `Alice`
 * and `alice` both sign up), so the service always speaks the lower-cased handle.
 */
export const cognitoUsername = (handle: string): string => handle.trim().toLowerCase();

const delivery = (details: CodeDeliveryDetailsType | undefined, needsConfirmation = true): CodeDelivery => ({
  needsConfirmation,
  destination: details?.Destination,
});

/** One method per Cognito call the app makes, each with its failures mapped for people. */
export class CognitoAuth {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly clientId: string,
  ) {}

  private async call<T>(flow: CognitoFlow, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toAuthError(error, flow);
    }
  }

  signUp(username: string, password: string, attributes: AttributeType[]): Promise<CodeDelivery> {
    return this.call('signUp', async () => {
      const output = await this.cognito.send(
        new SignUpCommand({
          ClientId: this.clientId,
          Username: username,
          Password: password,
          UserAttributes: attributes,
        }),
      );
      return delivery(output.CodeDeliveryDetails, !output.UserConfirmed);
    });
  }

  confirmSignUp(username: string, code: string): Promise<void> {
    return this.call('confirmSignUp', async () => {
      await this.cognito.send(
        new ConfirmSignUpCommand({ ClientId: this.clientId, Username: username, ConfirmationCode: code }),
      );
    });
  }

  resendCode(username: string): Promise<CodeDelivery> {
    return this.call('resendCode', async () => {
      const output = await this.cognito.send(
        new ResendConfirmationCodeCommand({ ClientId: this.clientId, Username: username }),
      );
      return delivery(output.CodeDeliveryDetails);
    });
  }

  signIn(username: string, password: string): Promise<Tokens> {
    return this.call('signIn', async () => {
      const output = await this.cognito.send(
        new InitiateAuthCommand({
          ClientId: this.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
      const result = output.AuthenticationResult;
      if (!result?.AccessToken || !result.IdToken || !result.RefreshToken) {
        // A challenge (new password, MFA) the desktop app does not offer yet.
        throw new AppError(
          'Forbidden',
          `This account needs a step the app does not support (${output.ChallengeName ?? 'unknown'}).`,
        );
      }
      return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
    });
  }

  /** New access and ID tokens; Cognito keeps the refresh token unless it rotates it. */
  refresh(username: string, refreshToken: string): Promise<Tokens> {
    return this.call('refresh', async () => {
      const output = await this.cognito.send(
        new InitiateAuthCommand({
          ClientId: this.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken, USERNAME: username },
        }),
      );
      const result = output.AuthenticationResult;
      if (!result?.AccessToken || !result.IdToken)
        throw new AppError('Internal', 'Cognito returned no tokens on refresh');
      return {
        accessToken: result.AccessToken,
        idToken: result.IdToken,
        refreshToken: result.RefreshToken ?? refreshToken,
      };
    });
  }

  getUser(accessToken: string): Promise<{ username: string; attributes: UserAttributes }> {
    return this.call('getUser', async () => {
      const output = await this.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
      const attributes = Object.fromEntries(
        (output.UserAttributes ?? []).flatMap((a) =>
          a.Name && a.Value !== undefined ? [[a.Name, a.Value]] : [],
        ),
      );
      return { username: output.Username ?? '', attributes };
    });
  }

  forgotPassword(username: string): Promise<CodeDelivery> {
    return this.call('forgotPassword', async () => {
      const output = await this.cognito.send(
        new ForgotPasswordCommand({ ClientId: this.clientId, Username: username }),
      );
      return delivery(output.CodeDeliveryDetails);
    });
  }

  confirmForgotPassword(username: string, code: string, password: string): Promise<void> {
    return this.call('confirmForgotPassword', async () => {
      await this.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: this.clientId,
          Username: username,
          ConfirmationCode: code,
          Password: password,
        }),
      );
    });
  }

  revoke(refreshToken: string): Promise<void> {
    return this.call('revoke', async () => {
      await this.cognito.send(new RevokeTokenCommand({ ClientId: this.clientId, Token: refreshToken }));
    });
  }
}
