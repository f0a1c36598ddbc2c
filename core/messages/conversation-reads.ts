import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  CONVERSATION_SK,
  MESSAGE_GROUP_INDEX,
  MESSAGE_SK_PREFIX,
  groupPk,
  messagePk,
  type Person,
} from '../../shared/model';
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

/**
 * One member's group items of one conversation, read consistently from the member's partition:
 * what the table holds, where the GSI may lag behind. It reads every group item of the member
 * (the key holds the last reply's time, not the conversation), so only Pattern E's repairs ask.
 */
export async function memberGroupItems(
  table: TableAccess,
  memberUuid: string,
  groupUuid: string,
): Promise<MessageGroupItem[]> {
  const items: MessageGroupItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'message_group_uuid = :group',
        ExpressionAttributeValues: { ':pk': groupPk(memberUuid), ':group': groupUuid },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []).flatMap((record) => readItem(messageGroupItemSchema, record) ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const senderSchema = z.object({
  user_uuid: z.string(),
  user_handle: z.string(),
  user_display_name: z.string(),
});

/**
 * The handle and display name `userUuid` wrote their newest message in this conversation under,
 * looking through at most `maxPages` pages of it (newest first); undefined when they wrote none there.
 */
export async function senderNamesIn(
  table: TableAccess,
  groupUuid: string,
  userUuid: string,
  maxPages = 3,
): Promise<Person | undefined> {
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages; page++) {
    const found = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :messages)',
        FilterExpression: 'user_uuid = :user',
        ProjectionExpression: 'user_uuid, user_handle, user_display_name',
        ExpressionAttributeValues: {
          ':pk': messagePk(groupUuid),
          ':messages': MESSAGE_SK_PREFIX,
          ':user': userUuid,
        },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    const sender = senderSchema.safeParse(found.Items?.[0]);
    if (sender.success) {
      const { user_uuid: uuid, user_handle: handle, user_display_name: display_name } = sender.data;
      return { uuid, handle, display_name };
    }
    start = found.LastEvaluatedKey;
    if (!start) return undefined;
  }
  return undefined;
}
