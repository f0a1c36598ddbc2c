import type { AttributeValue } from '@aws-sdk/client-dynamodb';
/**
 * The part of AWS Lambda's DynamoDB Streams event that Pattern E reads, declared here rather than
 * pulled in with the aws-lambda types package. Structurally compatible with its
 * DynamoDBStreamEvent and DynamoDBBatchResponse, so the same handler runs as the Lambda.
 */
export interface StreamAttributeValue {
  S?: string;
  N?: string;
  /** Base64, as Lambda delivers binary values. */
  B?: string;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: Record<string, StreamAttributeValue>;
  L?: StreamAttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

export interface DynamoDBStreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion?: string;
  eventSource?: string;
  awsRegion?: string;
  eventSourceARN?: string;
  dynamodb?: {
    /** Seconds since the epoch. */
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, StreamAttributeValue>;
    NewImage?: Record<string, StreamAttributeValue>;
    OldImage?: Record<string, StreamAttributeValue>;
    SequenceNumber?: string;
    SizeBytes?: number;
    StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  };
}

export interface DynamoDBStreamEvent {
  Records: DynamoDBStreamRecord[];
}

/**
 * With ReportBatchItemFailures, Lambda retries from the lowest sequence number named here; an
 * empty or unknown identifier makes it retry the whole batch.
 */
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** What Lambda expects in batchItemFailures for a stream record: its sequence number. */
export const recordIdentifier = (record: DynamoDBStreamRecord): string | undefined =>
  record.dynamodb?.SequenceNumber || undefined;

/**
 * The failures to report for records that could not be applied. A failed record without a
 * sequence number cannot be named, so the batch is retried from its first record (what Lambda
 * would do with an empty identifier, said outright); Pattern E is idempotent, so that is safe.
 */
export function batchFailures(
  records: readonly DynamoDBStreamRecord[],
  failed: readonly (string | undefined)[],
): StreamBatchResponse {
  if (failed.length === 0) return { batchItemFailures: [] };
  const named = failed.every((id) => id !== undefined);
  const first = records.map(recordIdentifier).find((id) => id !== undefined);
  const ids = named ? failed : [first];
  if (ids.some((id) => id === undefined)) {
    throw new Error('records failed and none of the batch has a sequence number to retry from');
  }
  return { batchItemFailures: [...new Set(ids as string[])].map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * A stream image as the SDK's attribute values. They differ only in binary values (base64 text
 * from Lambda, bytes from the SDK); Pattern E reads strings, so the image is taken as it is.
 */
export const asAttributeValues = (
  image: Record<string, StreamAttributeValue>,
): Record<string, AttributeValue> => image as Record<string, AttributeValue>;
