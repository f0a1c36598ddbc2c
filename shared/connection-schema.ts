import { z } from 'zod';
import {
  MAX_DATABASE_PASSWORD_LENGTH,
  MAX_DATABASE_URL_LENGTH,
  REGION_PATTERN,
  TABLE_NAME_PATTERN,
  USER_POOL_CLIENT_ID_PATTERN,
  USER_POOL_ID_PATTERN,
  type ConnectionInput,
} from './connection';
import { backendTargets } from './targets';
import { cappedString } from './text';

/** updateConnection and connection.json are parsed with these (the types live in connection.ts). */
export const regionSchema = cappedString(64, 'the region is too long').regex(REGION_PATTERN, {
  error: 'an AWS region such as us-east-1',
});
export const tableNameSchema = cappedString(255, 'a table name is at most 255 characters').regex(
  TABLE_NAME_PATTERN,
  { error: 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)' },
);
export const userPoolIdSchema = cappedString(128, 'the user pool id is too long').regex(
  USER_POOL_ID_PATTERN,
  {
    error: 'a user pool id such as us-east-1_AbC123',
  },
);
export const userPoolClientIdSchema = cappedString(128, 'the app client id is too long').regex(
  USER_POOL_CLIENT_ID_PATTERN,
  { error: 'an app client id (letters and digits)' },
);

/** A postgres:// URL without a password (the password is kept apart, encrypted). */
export const passwordlessDatabaseUrlSchema = cappedString(
  MAX_DATABASE_URL_LENGTH,
  'the directory URL is too long',
)
  .pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: 'a PostgreSQL URL such as postgres://user@host:5432/db' }),
  )
  .refine((text) => new URL(text).password === '', {
    error: 'the URL holds a password: put it in the password field, which is kept encrypted',
  });

export const connectionInputSchema = z
  .object({
    target: z.enum(backendTargets, { error: `one of: ${backendTargets.join(', ')}` }),
    region: regionSchema,
    tableName: tableNameSchema,
    userPoolId: userPoolIdSchema.nullable(),
    userPoolClientId: userPoolClientIdSchema.nullable(),
    databaseUrl: passwordlessDatabaseUrlSchema.nullable().optional(),
    password: cappedString(MAX_DATABASE_PASSWORD_LENGTH, 'the password is too long')
      .min(1, { error: 'an empty password: leave the field empty to keep the saved one' })
      .nullable()
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.target !== 'aws') return;
    if (!input.userPoolId)
      ctx.addIssue({ code: 'custom', path: ['userPoolId'], message: 'AWS needs the user pool id' });
    else if (!input.userPoolId.startsWith(`${input.region}_`))
      ctx.addIssue({
        code: 'custom',
        path: ['userPoolId'],
        message: `the user pool id of ${input.region} starts with ${input.region}_`,
      });
    if (!input.userPoolClientId)
      ctx.addIssue({ code: 'custom', path: ['userPoolClientId'], message: 'AWS needs the app client id' });
  }) satisfies z.ZodType<ConnectionInput>;

/** connection.json: what updateConnection saved, never a password (that is its own encrypted file). */
export const connectionFileSchema = z
  .object({
    version: z.literal(1),
    target: z.enum(backendTargets),
    region: regionSchema,
    tableName: tableNameSchema,
    userPoolId: userPoolIdSchema.nullable(),
    userPoolClientId: userPoolClientIdSchema.nullable(),
    databaseUrl: passwordlessDatabaseUrlSchema.nullable(),
  })
  .strict();
export type ConnectionFile = z.infer<typeof connectionFileSchema>;
