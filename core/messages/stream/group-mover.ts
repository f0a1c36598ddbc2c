import { setTimeout as sleep } from 'node:timers/promises';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { groupPk, groupSk } from '../../../shared/model';
import { backoffDelay } from '../../backoff';
import { getConversationItem, queryGroupItems, type TableAccess } from '../conversation-reads';
import type { MessageGroupItem, MessageItem } from '../items';
import type { GroupItemsByMember, KnownGroupItems } from './known-group-items';

export interface GroupMoverDeps extends TableAccess {
  /** Reads and tries again this often when another writer got there first or the GSI lags. */
  maxAttempts?: number;
}

/** A lost race or a lagging GSI is read again after this (full jitter, at most 0.8 s). */
const RETRY = { baseMs: 50, maxMs: 800 };

/**
 * Pattern E's write: every member's group item of the message's conversation ends up pointing
 * at `message`, unless it already points at a newer one. Each move is a compare-and-swap on the
 * item's last_message_sk (delete the old key and put the new one in one transaction), so a late
 * or repeated record never moves an item back and a member never has two group items. A lost
 * race (another writer moved it first) or a GSI that has not caught up is read again.
 */
export async function moveGroupItemsTo(
  deps: GroupMoverDeps,
  groupUuid: string,
  message: MessageItem,
  known?: KnownGroupItems,
): Promise<void> {
  const maxAttempts = deps.maxAttempts ?? 6;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const guess = attempt === 1 ? usableGuess(known?.get(groupUuid), message) : undefined;
    const current = guess ?? (await currentGroupItems(deps, groupUuid));
    // A remembered state lists every member already; only a fresh GSI read may lag behind.
    const incomplete = !guess && (await someMemberMissing(deps, groupUuid, current));
    const after = new Map(current);
    const moves = [...current.values()]
      .filter((item) => item.last_message_sk < message.sk)
      .map(async (item) => {
        const moved = await moveGroupItem(deps, item, message);
        if (moved) after.set(moved.pk, moved);
        return moved;
      });
    const outcomes = await Promise.all(moves);
    if (!incomplete && outcomes.every(Boolean)) {
      known?.set(groupUuid, after);
      return;
    }
    known?.forget(groupUuid);
    if (attempt < maxAttempts) await sleep(backoffDelay(attempt, RETRY));
  }
  throw new Error(`the group items of ${groupUuid} could not be moved to ${message.sk}`);
}

/**
 * A remembered state is only good for writing (every write checks it): when it says some item
 * is already newer than the message, "nothing to do" is decided on what the table says instead.
 */
function usableGuess(guess: GroupItemsByMember | undefined, message: MessageItem) {
  return guess && [...guess.values()].every((item) => item.last_message_sk < message.sk) ? guess : undefined;
}

/** Each member's group item, found through the GSI (the newest, if the GSI briefly shows two). */
async function currentGroupItems(
  deps: GroupMoverDeps,
  groupUuid: string,
): Promise<Map<string, MessageGroupItem>> {
  const byMember = new Map<string, MessageGroupItem>();
  for (const item of await queryGroupItems(deps, groupUuid)) {
    const known = byMember.get(item.pk);
    if (!known || known.last_message_sk < item.last_message_sk) byMember.set(item.pk, item);
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
  current: GroupItemsByMember,
): Promise<boolean> {
  if (current.size >= 2) return false;
  const conversation = await getConversationItem(deps, groupUuid);
  return conversation?.member_uuids.some((uuid) => !current.has(groupPk(uuid))) ?? false;
}

/** The moved item, or undefined when the item was not as seen (another writer got there first). */
async function moveGroupItem(
  deps: GroupMoverDeps,
  item: MessageGroupItem,
  message: MessageItem,
): Promise<MessageGroupItem | undefined> {
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
    return moved;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException') {
      return undefined;
    }
    throw error;
  }
}
