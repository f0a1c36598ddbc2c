import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TABLE_NAME } from '../../core/table';
import { createStreamHandler } from '../../core/messages/stream/stream-handler';
import { setLogSink } from '../../core/log';
import { createJsonSink } from '../../core/log-json';

/**
 * The Pattern E Lambda: the same handler the local stream worker calls. It needs only DynamoDB
 * (no PostgreSQL, no Cognito), so it reads its two settings from the Lambda environment instead
 * of the app's config; credentials and region come from the Lambda's role and AWS_REGION.
 * Configure the event source mapping with FunctionResponseTypes: ["ReportBatchItemFailures"].
 * It logs one JSON object per line, which CloudWatch Logs Insights reads field by field.
 */
setLogSink(createJsonSink('pattern-e'));

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: process.env['AWS_REGION'], maxAttempts: 3 }),
  { marshallOptions: { removeUndefinedValues: true } },
);

export const handler = createStreamHandler({
  db,
  tableName: process.env['CRUDDUR_TABLE'] ?? DEFAULT_TABLE_NAME,
});
