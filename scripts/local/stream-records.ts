import type { AttributeValue, _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamRecord, StreamAttributeValue } from '../../core/messages/stream/stream-event';

/**
 * DynamoDB Streams records as the SDK returns them, reshaped into what Lambda hands a function:
 * creation time in epoch seconds, binary values in base64, the stream ARN on every record.
 */
export function toLambdaRecord(record: _Record, streamArn: string, region: string): DynamoDBStreamRecord {
  const stream = record.dynamodb;
  const created = stream?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: created ? Math.floor(created.getTime() / 1000) : undefined,
      Keys: imageOf(stream?.Keys),
      NewImage: imageOf(stream?.NewImage),
      OldImage: imageOf(stream?.OldImage),
      SequenceNumber: stream?.SequenceNumber,
      SizeBytes: stream?.SizeBytes,
      StreamViewType: stream?.StreamViewType,
    },
  };
}

function imageOf(image: Record<string, AttributeValue> | undefined) {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaValue(value)]));
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function lambdaValue(value: AttributeValue): StreamAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: imageOf(value.M) ?? {} };
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  return {};
}
