import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';
import type { Config } from '../../core/config';
import { toAppError } from '../../core/errors';
import { AppError } from '../../shared/result';

/**
 * The guard every writing admin script passes on target aws. On target local nothing happens:
 * the local cloud is disposable. On target aws a script about to write first names, in one line
 * on stderr, the AWS ACCOUNT the credentials belong to (STS GetCallerIdentity, so a wrong profile
 * shows before anything is written, not after), the region and what it writes to; the
 * destructive or bulk ones (ddb:drop, ddb:seed, cognito:seed-users) also refuse without --yes,
 * before calling anything, so a forgotten CRUDDUR_TARGET=aws in a shell costs nothing.
 */

/** Where STS is asked; tests point it at a stand-in. Unset: the SDK's regional endpoint. */
export const STS_ENDPOINT_VARIABLE = 'CRUDDUR_STS_ENDPOINT';

const stsEndpoint = z.url({ protocol: /^https?$/ });

/** What a script writes to, as the account line names it, e.g. `table cruddur-messages`. */
export type WriteTarget =
  | { table: string }
  | { userPool: string }
  | { databaseHost: string }
  | { userPool: string; databaseHost: string };

export interface AwsWriteGuard {
  /** e.g. `ddb:drop`, for the refusal line. */
  script: string;
  target: WriteTarget;
  /** Set for the scripts that must not run on target aws without --yes. */
  confirm?: { yes: boolean | undefined };
}

function describeWriteTarget(target: WriteTarget): string {
  const parts: string[] = [];
  if ('table' in target) parts.push(`table ${target.table}`);
  if ('userPool' in target) parts.push(`user pool ${target.userPool}`);
  if ('databaseHost' in target) parts.push(`database host ${target.databaseHost}`);
  return parts.join(', ');
}

/** `host:port/db` of a PostgreSQL URL: never its user or password. */
export function databaseHost(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'an unparsable CRUDDUR_DATABASE_URL';
  }
}

/** The account id of the credentials the SDK's default provider chain finds. */
export async function awsAccountId(
  config: Pick<Config, 'region'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const override = env[STS_ENDPOINT_VARIABLE] || undefined;
  if (override !== undefined && !stsEndpoint.safeParse(override).success) {
    throw new AppError(
      'Invalid',
      `${STS_ENDPOINT_VARIABLE}=${JSON.stringify(override)} is not valid: expected an http(s) URL`,
    );
  }
  const sts = new STSClient({ region: config.region, endpoint: override, maxAttempts: 2 });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Account) throw new AppError('Unavailable', 'STS answered GetCallerIdentity without an account');
    return Account;
  } catch (error) {
    const appError = error instanceof AppError ? error : toAppError(error, 'AWS STS');
    // toAppError's "is it running?" hint is about the local cloud; STS is never local.
    const reason =
      appError.code === 'Unavailable' && !(error instanceof AppError)
        ? `AWS STS ${override ? `at ${override}` : `in ${config.region}`} cannot be reached`
        : appError.message;
    throw new AppError(
      appError.code,
      `cannot tell which AWS account these credentials belong to, so nothing was written (${reason}); ` +
        'check the profile or credentials the AWS SDK finds',
      { cause: error },
    );
  }
}

/**
 * Call before the first write. On target aws: refuses without --yes where the guard asks for it
 * (exit 2, one line), then prints `target aws: account …, region …, table …` on stderr (stdout
 * stays the script's data, so --json output is unchanged).
 */
export async function guardAwsWrite(
  config: Pick<Config, 'target' | 'region'>,
  guard: AwsWriteGuard,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (config.target !== 'aws') return;
  const what = describeWriteTarget(guard.target);
  if (guard.confirm && !guard.confirm.yes) {
    throw new AppError(
      'Invalid',
      `refusing to run ${guard.script} on target aws (region ${config.region}, ${what}) without --yes: ` +
        'check the account (aws sts get-caller-identity) and add --yes',
    );
  }
  const account = await awsAccountId(config, env);
  process.stderr.write(`target aws: account ${account}, region ${config.region}, ${what}\n`);
}
