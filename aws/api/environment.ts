import { z } from 'zod';
import { AppError } from '../../shared/result';

/** Set by the stack (aws/infra); a missing or malformed one is named in one line. */
const environment = z.object({
  TABLE_NAME: z.string().min(3),
  /** Secrets Manager: the one secret that signs paging cursors, for every instance of the stack. */
  CURSOR_SECRET_ARN: z.string().startsWith('arn:'),
  /** RDS Proxy, reached with IAM authentication (a token signed per connection) over TLS. */
  DB_PROXY_ENDPOINT: z.string().min(1),
  DB_NAME: z.string().min(1),
  DB_USER: z.string().min(1),
  USER_POOL_ID: z.string().min(1),
  USER_POOL_CLIENT_ID: z.string().min(1),
  AWS_REGION: z.string().min(1),
});
export type Environment = z.infer<typeof environment>;

export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const parsed = environment.safeParse(env);
  if (parsed.success) return parsed.data;
  const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
  throw new AppError('Internal', `the API Lambda's environment lacks a valid ${names.join(', ')}`);
}
