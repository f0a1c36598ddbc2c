import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import type { UserDirectory } from '../users/directory';
import type { CursorCodec } from './cursor';
import type { MembershipCache } from './membership';

/** Everything one access pattern needs; the MessageService builds it once. */
export interface MessageContext {
  db: DynamoDBDocumentClient;
  tableName: string;
  directory: Pick<UserDirectory, 'findByHandle'>;
  members: MembershipCache;
  cursors: CursorCodec;
  /** Milliseconds since the epoch; tests move it. */
  now: () => number;
}

/** Parses a caller's input, or throws Invalid with the first problem in words. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new AppError('Invalid', `${where}${issue?.message ?? 'invalid input'}`);
}

/** Unwraps a pure check from shared/, or throws Invalid with its problem. */
export function required<T>(checked: { ok: true; value: T } | { ok: false; problem: string }): T {
  if (checked.ok) return checked.value;
  throw new AppError('Invalid', checked.problem);
}

/** Only the directory fields that belong in items and views (no email). */
export const personOf = ({ uuid, handle, display_name }: Person): Person => ({ uuid, handle, display_name });

/** Sum of what DynamoDB reported, for the scripts' "consumed capacity" column. */
export function capacityUnits(consumed: { CapacityUnits?: number } | undefined): number {
  return consumed?.CapacityUnits ?? 0;
}
