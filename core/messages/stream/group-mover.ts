import { setTimeout as sleep } from 'node:timers/promises';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { groupSk } from '../../../shared/model';
import { backoffDelay } from '../../backoff';
import { createLogger, type Logger } from '../../log';
import type { TableAccess } from '../conversation-reads';
import { readStateAttributes, type MessageGroupItem, type MessageItem } from '../items';
import {
  deleteGroupItem,
  findGroupItems,
  isLostRace,
  keepNewestOnly,
  ownerOf,
  type FoundGroupItems,
  type RepairDeps,
} from './group-item-repair';
import type { GroupItemsByMember, KnownGroupItems } from './known-group-items';
import { readStateAfter } from './unread-counter';

export interface GroupMoverDeps extends TableAccess {
  /** Reads and tries again this often when another writer got there first. */
  maxAttempts?: number;
  log?: Logger;
}

/** A lost race is read again after this (full jitter, at most 0.8 s). */
const RETRY = { baseMs: 50, maxMs: 800 };

/**
 * Pattern E's write: every member's group item of the message's conversation ends up pointing
 * at `message`, unless it already points at a newer one. Each move is a compare-and-swap on the
 * item's last_message_sk (delete the old key and put the new one in one transaction), so a late
 * or repeated record never moves an item back and a move never leaves a member two group items.
 * A member without a group item gets one again (see findGroupItems), and a member found with two
 * keeps the newer. A lost race (another writer moved or made it first) is read again.
 * The same write counts what the member has not read: the messages of `batch` (this batch's
 * messages of the conversation) between the item's last message and `message` that the other
 * member sent (see readStateAfter).
 */
export async function moveGroupItemsTo(
  deps: GroupMoverDeps,
  groupUuid: string,
  message: MessageItem,
  known?: KnownGroupItems,
  batch: readonly MessageItem[] = [message],
): Promise<void> {
  const maxAttempts = deps.maxAttempts ?? 6;
  const repair: RepairDeps = { ...deps, log: deps.log ?? createLogger('pattern-e') };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const guess = attempt === 1 ? usableGuess(known?.get(groupUuid), message) : undefined;
    const found: FoundGroupItems = guess
      ? { current: new Map(guess), extra: [], missing: [] }
      : await findGroupItems(repair, groupUuid, message);
    const after = new Map(found.current);
    const [moved, made] = await Promise.all([
      Promise.all(
        [...found.current.values()]
          .filter((item) => item.last_message_sk < message.sk)
          .map((item) => moveGroupItem(deps, item, message, batch)),
      ),
      Promise.all(found.missing.map((item) => putMissingGroupItem(repair, item))),
      Promise.all(found.extra.map((item) => deleteGroupItem(deps, item))),
    ]);
    // Two repairs of one member at the same moment, from different messages, put two items: each
    // then reads the member's items, and the later read sees both and keeps the newer.
    await Promise.all(found.missing.map((item) => keepNewestOnly(deps, item)));
    const written = [...moved, ...made];
    for (const item of written) if (item) after.set(item.pk, item);
    if (written.every(Boolean)) {
      if (found.missing.length === 0) known?.set(groupUuid, after);
      else known?.forget(groupUuid);
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

/** The moved item, or undefined when the item was not as seen (another writer got there first). */
async function moveGroupItem(
  deps: GroupMoverDeps,
  item: MessageGroupItem,
  message: MessageItem,
  batch: readonly MessageItem[],
): Promise<MessageGroupItem | undefined> {
  // The member the item shows wrote this message: their names as they are now (and after a
  // repair that could not find them, for the first time).
  const shownWrote = message.user_uuid === item.user_uuid;
  const { last_read_sk: _read, unread_count: _unread, ...rest } = item;
  const moved: MessageGroupItem = {
    ...rest,
    ...(shownWrote ? { user_handle: message.user_handle, user_display_name: message.user_display_name } : {}),
    sk: groupSk(message.created_at, item.message_group_uuid),
    message: message.message,
    last_reply_at: message.created_at,
    last_message_sk: message.sk,
    ...readStateAttributes(readStateAfter(item, message, batch)),
  };
  const unchangedSince = unchangedSinceRead(item);
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
    if (isLostRace(error)) return undefined;
    throw error;
  }
}

/**
 * The condition of a move: the item is as read, its last message and its read mark alike. Every
 * write of the read state changes one of the two (Pattern E the last message, a read mark the
 * mark, which only moves forwards), so a mark made since the read is never overwritten.
 */
function unchangedSinceRead(item: MessageGroupItem) {
  return item.last_read_sk === undefined
    ? {
        ConditionExpression: 'last_message_sk = :seen AND attribute_not_exists(last_read_sk)',
        ExpressionAttributeValues: { ':seen': item.last_message_sk },
      }
    : {
        ConditionExpression: 'last_message_sk = :seen AND last_read_sk = :seenRead',
        ExpressionAttributeValues: { ':seen': item.last_message_sk, ':seenRead': item.last_read_sk },
      };
}

/**
 * Puts a group item the table lacks. Conditional, so writers repairing it from the same message
 * at the same moment (a retried batch, a second worker) make one item, not two.
 */
async function putMissingGroupItem(
  deps: RepairDeps,
  item: MessageGroupItem,
): Promise<MessageGroupItem | undefined> {
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isLostRace(error)) return undefined;
    throw error;
  }
  deps.log.warn('a missing group item was made again', {
    conversation: item.message_group_uuid,
    member: ownerOf(item),
  });
  return item;
}
