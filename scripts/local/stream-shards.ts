import {
  DescribeStreamCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { Logger } from '../../core/log';
import type { StreamPosition } from './stream-state';

/** Every shard of a stream, open and closed (DescribeStream pages through them). */
export async function describeShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const page = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
    );
    shards.push(...(page.StreamDescription?.Shards ?? []));
    start = page.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}

/**
 * An iterator just after the last record handled in this shard, or at its oldest record when
 * none was (a new shard) or when the records after the saved position were trimmed away.
 */
export async function shardIterator(
  streams: DynamoDBStreamsClient,
  position: StreamPosition,
  shardId: string,
  log: Logger,
): Promise<string | undefined> {
  const after = position.shards[shardId]?.sequenceNumber;
  const request = (type: 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON') =>
    streams.send(
      new GetShardIteratorCommand({
        StreamArn: position.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        SequenceNumber: type === 'AFTER_SEQUENCE_NUMBER' ? after : undefined,
      }),
    );
  if (!after) return (await request('TRIM_HORIZON')).ShardIterator;
  try {
    return (await request('AFTER_SEQUENCE_NUMBER')).ShardIterator;
  } catch (error) {
    if ((error as { name?: string }).name !== 'TrimmedDataAccessException') throw error;
    log.warn(`${shardId}: records after the saved position were trimmed; reading what is left`);
    return (await request('TRIM_HORIZON')).ShardIterator;
  }
}
