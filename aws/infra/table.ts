import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { tableDefinition } from '../../core/table';

type Definition = ReturnType<typeof tableDefinition>;
type KeySchema = NonNullable<Definition['KeySchema']>;

const ATTRIBUTE_TYPES: Record<string, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

const STREAM_VIEWS: Record<string, dynamodb.StreamViewType> = {
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  OLD_IMAGE: dynamodb.StreamViewType.OLD_IMAGE,
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  KEYS_ONLY: dynamodb.StreamViewType.KEYS_ONLY,
};

/** A definition the stack cannot express faithfully stops the synth rather than drift quietly. */
function unsupported(what: string): never {
  throw new Error(`core/table.ts: ${what} has no translation in aws/infra/table.ts`);
}

/** An attribute of a key schema with its type from the definition's AttributeDefinitions. */
function keyAttribute(definition: Definition, schema: KeySchema, keyType: 'HASH' | 'RANGE') {
  const name = schema.find((key) => key.KeyType === keyType)?.AttributeName;
  if (!name) return undefined;
  const declared = definition.AttributeDefinitions?.find((attribute) => attribute.AttributeName === name);
  const type = declared?.AttributeType && ATTRIBUTE_TYPES[declared.AttributeType];
  return type ? { name, type } : unsupported(`key attribute ${name} without a type`);
}

/**
 * The messages table, built from core/table.ts's tableDefinition (what ddb:schema-load creates
 * locally), so the two cannot drift: keys, GSIs, billing and stream view all come from it. What
 * only AWS has is added here: point-in-time recovery, deletion protection, and RETAIN, so
 * deleting the stack never deletes the conversations.
 *
 * `dynamodb.Table`, not `TableV2`: TableV2 synthesizes AWS::DynamoDB::GlobalTable, a different
 * resource type from the plain table ddb:schema-load (CreateTable) makes, so an existing table
 * could not be adopted with `cdk import`, and moving between the two means replacing the table.
 */
export function messagesTable(scope: Construct, id: string, tableName: string): dynamodb.Table {
  const definition = tableDefinition(tableName);
  const keys = definition.KeySchema ?? unsupported('a table without KeySchema');
  const partitionKey = keyAttribute(definition, keys, 'HASH') ?? unsupported('a table without a HASH key');
  if (definition.BillingMode !== 'PAY_PER_REQUEST') unsupported(`BillingMode ${definition.BillingMode}`);
  const view = definition.StreamSpecification?.StreamEnabled
    ? STREAM_VIEWS[definition.StreamSpecification.StreamViewType ?? '']
    : undefined;
  const table = new dynamodb.Table(scope, id, {
    tableName: definition.TableName,
    partitionKey,
    sortKey: keyAttribute(definition, keys, 'RANGE'),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    stream: view,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    const indexKeys = index.KeySchema ?? unsupported(`GSI ${index.IndexName} without KeySchema`);
    const projection = index.Projection?.ProjectionType;
    if (projection !== 'ALL') unsupported(`GSI ${index.IndexName} with projection ${projection}`);
    table.addGlobalSecondaryIndex({
      indexName: index.IndexName ?? unsupported('a GSI without a name'),
      partitionKey:
        keyAttribute(definition, indexKeys, 'HASH') ??
        unsupported(`GSI ${index.IndexName} without a HASH key`),
      sortKey: keyAttribute(definition, indexKeys, 'RANGE'),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  if (definition.LocalSecondaryIndexes?.length) unsupported('LocalSecondaryIndexes');
  return table;
}
