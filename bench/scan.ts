import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MESSAGE_SK_PREFIX } from '../shared/model';

export interface ScanOutcome {
  /** The partition's message items, newest first. */
  items: Record<string, unknown>[];
  requests: number;
  scanned: number;
  capacityUnits: number;
}

/**
 * The contrast to Pattern A: a conversation read the way a design without its partition key
 * would, a Scan of the whole table filtered to the conversation, every page (DynamoDB returns
 * at most 1 MB a page and applies the filter after reading). Scan order is not sort order, so
 * even the newest page needs every page read and the matches sorted.
 */
export async function scanConversation(
  db: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
): Promise<ScanOutcome> {
  const outcome: ScanOutcome = { items: [], requests: 0, scanned: 0, capacityUnits: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': MESSAGE_SK_PREFIX },
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    outcome.items.push(...(page.Items ?? []));
    outcome.requests += 1;
    outcome.scanned += page.ScannedCount ?? 0;
    outcome.capacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  outcome.items.sort((a, b) => (String(a['sk']) < String(b['sk']) ? 1 : -1));
  return outcome;
}
