import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  CONVERSATION_SK,
  MESSAGE_GROUP_INDEX,
  groupPk,
  groupSk,
  messagePk,
  type MessageGroupItem,
  type MessageItem,
} from '../../../../shared/model';
import { readMessageGroupItem } from './items';

export interface GroupMoverDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** Reads and tries again this often when another writer got there first or the GSI lags. */
  maxAttempts?: number;
}

type MoveOutcome = 'moved' | 'lost race';

/**
 * Pattern E's write: every member's group item of the message's conversation ends up pointing
 * at `message`, unless it already points at a newer one. Each move is a compare-and-swap on the
 * item's last_message_sk (delete the old key and put the new one in one transaction), so a late
 * or repeated record never moves an item back and a member never has two group items. A lost
 * race (another writer moved it first) or a GSI that has not caught up is read again.
 */
export async function moveGroupItemsTo(deps: GroupMoverDeps, groupUuid: string, message: MessageItem) {
  const maxAttempts = deps.maxAttempts ?? 6;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await currentGroupItems(deps, groupUuid);
    const incomplete = await someMemberMissing(deps, groupUuid, current);
    const behind = [...current.values()].filter((item) => item.last_message_sk < message.sk);
    const outcomes = await Promise.all(behind.map((item) => moveGroupItem(deps, item, message)));
    if (!incomplete && outcomes.every((outcome) => outcome === 'moved')) return;
    if (attempt < maxAttempts) await sleep(Math.min(25 * 2 ** attempt, 800) * (0.5 + Math.random()));
  }
  throw new Error(`the group items of ${groupUuid} could not be moved to ${message.sk}`);
}

/** Each member's group item, found through the GSI (the newest, if the GSI briefly shows two). */
async function currentGroupItems(
  deps: GroupMoverDeps,
  groupUuid: string,
): Promise<Map<string, MessageGroupItem>> {
  const found = await deps.db.send(
    new QueryCommand({
      TableName: deps.tableName,
      IndexName: MESSAGE_GROUP_INDEX,
      KeyConditionExpression: 'message_group_uuid = :group',
      ExpressionAttributeValues: { ':group': groupUuid },
    }),
  );
  const byMember = new Map<string, MessageGroupItem>();
  for (const record of found.Items ?? []) {
    const item = readMessageGroupItem(record);
    const known = item && byMember.get(item.pk);
    if (item && (!known || known.last_message_sk < item.last_message_sk)) byMember.set(item.pk, item);
  }
  return byMember;
}

/**
 * The GSI is eventually consistent: right after Pattern D it may not show a member's group item
 * yet. The conversation item (read consistently) lists both members; only when one of them has
 * no visible group item is it read, so normally this costs nothing.
 */
async function someMemberMissing(
  deps: GroupMoverDeps,
  groupUuid: string,
  current: Map<string, MessageGroupItem>,
): Promise<boolean> {
  if (current.size >= 2) return false;
  const conversation = await deps.db.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: { pk: messagePk(groupUuid), sk: CONVERSATION_SK },
      ConsistentRead: true,
    }),
  );
  const members: unknown = conversation.Item?.['member_uuids'];
  if (!Array.isArray(members)) return false;
  return members.some((uuid) => typeof uuid === 'string' && !current.has(groupPk(uuid)));
}

async function moveGroupItem(
  deps: GroupMoverDeps,
  item: MessageGroupItem,
  message: MessageItem,
): Promise<MoveOutcome> {
  const moved: MessageGroupItem = {
    ...item,
    sk: groupSk(message.created_at, item.message_group_uuid),
    message: message.message,
    last_reply_at: message.created_at,
    last_message_sk: message.sk,
  };
  const unchangedSince = {
    ConditionExpression: 'last_message_sk = :seen',
    ExpressionAttributeValues: { ':seen': item.last_message_sk },
  };
  // Two messages in the same millisecond give the same group key, and one transaction may not
  // touch an item twice: then the item is replaced in place, under the same condition.
  try {
    if (moved.sk === item.sk) {
      await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: moved, ...unchangedSince }));
    } else {
      await deps.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: deps.tableName, Key: { pk: item.pk, sk: item.sk }, ...unchangedSince } },
            {
              Put: {
                TableName: deps.tableName,
                Item: moved,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    }
    return 'moved';
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException')
      return 'lost race';
    throw error;
  }
}
