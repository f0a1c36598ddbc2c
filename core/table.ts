import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MESSAGE_GROUP_INDEX } from '../shared/model';

/** The table's name unless CRUDDUR_TABLE (app, scripts) or the Lambda's environment says otherwise. */
export const DEFAULT_TABLE_NAME = 'cruddur-messages';

/** The table of the data model: pk/sk, the sparse GSI on message_group_uuid + sk, stream NEW_IMAGE. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'message_group_uuid', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: MESSAGE_GROUP_INDEX,
        KeySchema: [
          { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  };
}

/** Creates the table unless it exists; answers whether it created it. */
export async function ensureTable(db: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  try {
    await db.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  try {
    await db.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    // Another process created it between our describe and create.
    if ((error as { name?: string }).name === 'ResourceInUseException') return false;
    throw error;
  }
  await waitUntilTableExists({ client: db, maxWaitTime: 60 }, { TableName: tableName });
  return true;
}
