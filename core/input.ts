import type { z } from 'zod';
import { AppError } from '../shared/result';

/**
 * Parses a caller's input with the contract's own schema, or throws Invalid with the first
 * problem in one line ("text: too long"), for callers that reach core/ without IPC (scripts, the
 * API Lambda, tests) and get the same answer the IPC boundary would give.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new AppError('Invalid', `${where}${issue?.message ?? 'invalid input'}`);
}
