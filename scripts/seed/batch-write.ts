import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { backoffDelay, type Backoff } from '../../core/backoff';
import { AppError } from '../../shared/result';

/**
 * Writes any number of items with BatchWriteItem: 25 requests a call (DynamoDB's maximum),
 * several calls in flight, and whatever DynamoDB leaves unprocessed (it may, whenever it
 * throttles) retried with exponential backoff and full jitter until written or out of attempts.
 */
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** One BatchWriteItem call; a seam so a test can make DynamoDB Local "throttle". */
export type BatchWriteCall = (input: BatchWriteCommandInput) => Promise<BatchWriteCommandOutput>;

export const documentBatchWrite =
  (db: DynamoDBDocumentClient): BatchWriteCall =>
  (input) =>
    db.send(new BatchWriteCommand(input));

export interface BatchWriteOptions {
  /** BatchWriteItem calls in flight at once. */
  concurrency?: number;
  /** Calls per chunk before giving up on its unprocessed items. */
  maxAttempts?: number;
  /** Called with how many requests were just written (not counting ones still to retry). */
  onWritten?: (count: number) => void;
}

export interface BatchWriteStats {
  calls: number;
  /** Calls that repeated unprocessed or throttled requests. */
  retries: number;
}

export const BATCH_SIZE = 25;
/** Up to 100 ms before the first retry, doubling to at most 5 s. */
const RETRY_BACKOFF: Backoff = { baseMs: 100, maxMs: 5_000 };

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function batchWriteAll(
  write: BatchWriteCall,
  tableName: string,
  requests: Iterable<WriteRequest>,
  options: BatchWriteOptions = {},
): Promise<BatchWriteStats> {
  const concurrency = options.concurrency ?? 8;
  const maxAttempts = options.maxAttempts ?? 10;
  const stats: BatchWriteStats = { calls: 0, retries: 0 };
  const source = requests[Symbol.iterator]();
  let failed = false;

  // JavaScript runs one worker at a time between awaits, so taking from the shared iterator is safe.
  const nextChunk = (): WriteRequest[] => {
    const chunk: WriteRequest[] = [];
    for (let next = source.next(); !next.done; next = source.next()) {
      chunk.push(next.value);
      if (chunk.length === BATCH_SIZE) break;
    }
    return chunk;
  };

  const writeChunk = async (chunk: WriteRequest[]): Promise<void> => {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      let unprocessed: WriteRequest[];
      stats.calls += 1;
      try {
        const output = await write({ RequestItems: { [tableName]: pending } });
        unprocessed = output.UnprocessedItems?.[tableName] ?? [];
      } catch (error) {
        if (!THROTTLED.has((error as { name?: string }).name ?? '')) throw error;
        unprocessed = pending;
      }
      options.onWritten?.(pending.length - unprocessed.length);
      if (unprocessed.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new AppError(
          'Unavailable',
          `DynamoDB left ${unprocessed.length} items unprocessed after ${maxAttempts} attempts (throttled); try again later or with fewer requests in flight`,
        );
      }
      stats.retries += 1;
      await sleep(backoffDelay(attempt, RETRY_BACKOFF));
      pending = unprocessed;
    }
  };

  const worker = async (): Promise<void> => {
    while (!failed) {
      const chunk = nextChunk();
      if (chunk.length === 0) return;
      try {
        await writeChunk(chunk);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };

  // allSettled: every call in flight finishes before we return or throw, so none outlives the client.
  const results = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  const rejected = results.find((result) => result.status === 'rejected');
  if (rejected) throw rejected.reason;
  return stats;
}
