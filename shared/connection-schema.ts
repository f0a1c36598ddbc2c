import { z } from 'zod';
import {
  isLoopbackHost,
  MAX_API_URL_LENGTH,
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
  // zod runs this even when the URL check failed: a text that is no URL has its issue already.
  .refine((text) => !URL.canParse(text) || new URL(text).password === '', {
    error: 'the URL holds a password: put it in the password field, which is kept encrypted',
  });

/**
 * The message API's base URL: https (http only to this computer, the local cloud's gateway), no
 * user or password in it, no query or fragment (the client appends its paths).
 */
export const apiUrlSchema = cappedString(MAX_API_URL_LENGTH, 'the API URL is too long')
  .pipe(z.url({ protocol: /^https?$/, error: 'an https URL such as https://api.example.com' }))
  .superRefine((text, ctx) => {
    // zod runs this even when the URL check above failed: a text that is no URL has its issue.
    const url = URL.canParse(text) ? new URL(text) : undefined;
    const problem = !url
      ? undefined
      : url.protocol !== 'https:' && !isLoopbackHost(url.hostname)
        ? 'an https URL (http only to 127.0.0.1 or localhost): your sign-in goes over it'
        : url.username || url.password
          ? 'an API URL without a user or password'
          : url.search || url.hash
            ? 'an API URL without a query or #fragment'
            : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
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
    apiUrl: apiUrlSchema.nullable().optional(),
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
    /** Absent in files written before API mode existed: direct mode. */
    apiUrl: apiUrlSchema.optional(),
  })
  .strict();
export type ConnectionFile = z.infer<typeof connectionFileSchema>;
