import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { localCloudFilePath } from '../../core/config';

export interface PoolIds {
  userPoolId: string;
  userPoolClientId: string;
}

/**
 * The local cloud's user pool and app client: reused when cloud.json names a pool that still
 * exists, else created (username = handle, email required, password and refresh auth allowed,
 * the client writing only email and name) and written to cloud.json for the app and every script
 * to find. A pool made before keeps its older attribute rules, which is safe: nothing in the
 * project reads preferred_username.
 */
export async function ensureLocalUserPool(
  cognito: CognitoIdentityProviderClient,
  localDir: string,
): Promise<PoolIds & { created: boolean }> {
  const file = localCloudFilePath(localDir);
  const existing = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as PoolIds)
    .catch(() => undefined);
  if (existing?.userPoolId && existing.userPoolClientId) {
    const found = await cognito
      .send(new DescribeUserPoolCommand({ UserPoolId: existing.userPoolId }))
      .then(() => true)
      .catch((error: { name?: string }) => {
        if (error.name === 'ResourceNotFoundException') return false;
        throw error;
      });
    if (found) return { ...existing, created: false };
  }
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'cruddur',
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'name', AttributeDataType: 'String', Required: false, Mutable: true },
        // Identity is the username alone; no account may change this attribute after creation
        // (cognito-local honours Mutable, though not the client's WriteAttributes below).
        { Name: 'preferred_username', AttributeDataType: 'String', Required: false, Mutable: false },
      ],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    }),
  );
  const userPoolId = pool.UserPool!.Id!;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'cruddur-desktop',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      // What the public client may write at sign-up and after: not preferred_username, and not
      // email_verified (on AWS only the emailed code sets it).
      WriteAttributes: ['email', 'name'],
    }),
  );
  const ids = { userPoolId, userPoolClientId: client.UserPoolClient!.ClientId! };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(ids, null, 2)}\n`);
  return { ...ids, created: true };
}
