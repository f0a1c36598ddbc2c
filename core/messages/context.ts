import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Person } from '../../shared/model';
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
  /** Milliseconds since the epoch by the service's clock (see serviceClock); tests move it. */
  now: () => number;
}

/** Only the directory fields that belong in items and views (no email). */
export const personOf = ({ uuid, handle, display_name }: Person): Person => ({ uuid, handle, display_name });

/** Sum of what DynamoDB reported, for the scripts' "consumed capacity" column. */
export function capacityUnits(consumed: { CapacityUnits?: number } | undefined): number {
  return consumed?.CapacityUnits ?? 0;
}
