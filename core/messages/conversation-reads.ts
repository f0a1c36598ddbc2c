import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONVERSATION_SK, MESSAGE_GROUP_INDEX, messagePk } from '../../shared/model';
import {
  conversationItemSchema,
  messageGroupItemSchema,
  readItem,
  type ConversationItem,
  type MessageGroupItem,
} from './items';

/** What reading one conversation's own items takes: Patterns A-D and Pattern E alike. */
export interface TableAccess {
  db: DynamoDBDocumentClient;
  tableName: string;
}

/** The conversation item (one consistent read): who the two members are. */
export async function getConversationItem(
  table: TableAccess,
  groupUuid: string,
): Promise<ConversationItem | undefined> {
  const found = await table.db.send(
    new GetCommand({
      TableName: table.tableName,
      Key: { pk: messagePk(groupUuid), sk: CONVERSATION_SK },
      ConsistentRead: true,
    }),
  );
  return readItem(conversationItemSchema, found.Item);
}

/** Every member's group item of the conversation, through the sparse GSI (eventually consistent). */
export async function queryGroupItems(table: TableAccess, groupUuid: string): Promise<MessageGroupItem[]> {
  const found = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: MESSAGE_GROUP_INDEX,
      KeyConditionExpression: 'message_group_uuid = :group',
      ExpressionAttributeValues: { ':group': groupUuid },
    }),
  );
  return (found.Items ?? []).flatMap((record) => readItem(messageGroupItemSchema, record) ?? []);
}
