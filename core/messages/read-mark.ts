import { setTimeout as sleep } from 'node:timers/promises';
import { QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  MESSAGE_CLOCK_WINDOW_MS,
  markConversationReadInputSchema,
  type MarkConversationReadInput,
  type ReadMark,
} from '../../shared/messages';
import { uuidV7Timestamp } from '../../shared/message-uuid';
import { groupPk, groupSk, messagePk, messageSk, type Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { backoffDelay } from '../backoff';
import { parseInput } from '../input';
import type { MessageContext } from './context';
import { queryGroupItems } from './conversation-reads';
import { itemOfConditionFailure, messageGroupItemSchema, type MessageGroupItem } from './items';
import { notAMember } from './membership';
import { createdAtOf } from './send';

/** A fallback that loses a race with Pattern E (it moved the item meanwhile) reads again. */
const MAX_ATTEMPTS = 4;
const RETRY = { baseMs: 40, maxMs: 400 };
/** Counting unread messages stops here: a badge says "1000" for more, and the read stays bounded. */
export const MAX_COUNTED_UNREAD = 1000;

/** The read mark as one message's sort key, for the comparisons below. */
interface Mark {
  groupUuid: string;
  upTo: string;
  sk: string;
}

/**
 * Moves the caller's read mark in a conversation up to the message `upTo` (never backwards) and
 * answers the unread count after it. The common case, reading up to the newest message, is one
 * conditional UpdateItem on the group item the message's time names (the item's key holds its
 * last message's time), so opening a conversation costs its Pattern A read plus at most this one
 * write. Otherwise (an older message, an item Pattern E has not moved yet, a non-member) the
 * caller's group item is found through the GSI and the messages after `upTo` are counted.
 */
export async function markConversationRead(
  ctx: MessageContext,
  caller: Person,
  input: MarkConversationReadInput,
): Promise<ReadMark> {
  const { groupUuid, upTo } = parseInput(markConversationReadInputSchema, input);
  if (uuidV7Timestamp(upTo)! - ctx.now() > MESSAGE_CLOCK_WINDOW_MS) {
    throw new AppError('Invalid', "the message read up to is from the future; check this computer's clock");
  }
  const mark: Mark = { groupUuid, upTo, sk: messageSk(createdAtOf(upTo), upTo) };
  const fast = await markNewest(ctx, caller, mark);
  if (fast) return fast;
  for (let attempt = 1; ; attempt++) {
    const done = await markFound(ctx, caller, mark);
    if (done) return done;
    if (attempt >= MAX_ATTEMPTS) {
      throw new AppError('Conflict', 'the conversation kept changing while it was marked read; try again');
    }
    await sleep(backoffDelay(attempt, RETRY));
  }
}

/**
 * The fast path: the group item whose last message is `upTo` sits at the key that message's time
 * names. Undefined when no such item is there (it moved on, has not moved yet, or is not the
 * caller's), so the caller's item has to be looked for.
 */
async function markNewest(ctx: MessageContext, caller: Person, mark: Mark): Promise<ReadMark | undefined> {
  const key = { pk: groupPk(caller.uuid), sk: groupSk(createdAtOf(mark.upTo), mark.groupUuid) };
  const stored = await updateMark(ctx, key, mark, mark.sk, 0);
  if (stored === 'written') return { unread_count: 0 };
  return stored && alreadyRead(stored, mark);
}

/** The slow path: the caller's group item from the GSI, the unread after `upTo` counted. */
async function markFound(ctx: MessageContext, caller: Person, mark: Mark): Promise<ReadMark | undefined> {
  const item = await callersGroupItem(ctx, caller, mark.groupUuid);
  if (!item) throw notAMember(mark.groupUuid);
  const done = alreadyRead(item, mark);
  if (done) return done;
  const unread =
    item.last_message_sk <= mark.sk ? 0 : await countUnread(ctx, caller, mark, item.last_message_sk);
  const stored = await updateMark(ctx, { pk: item.pk, sk: item.sk }, mark, item.last_message_sk, unread);
  if (stored === 'written') return { unread_count: unread };
  return stored && alreadyRead(stored, mark);
}

/** The item's own count when its mark is at or past `upTo`: then there is nothing to write. */
function alreadyRead(item: MessageGroupItem, mark: Mark): ReadMark | undefined {
  return item.last_read_sk !== undefined && item.last_read_sk >= mark.sk
    ? { unread_count: item.unread_count ?? 0 }
    : undefined;
}

/**
 * Sets the mark and the count on the item at `key`, only while its last message is `seenLast`
 * and its mark is before `upTo`. 'written', or the item as stored when the condition failed
 * (undefined when there is no item at the key).
 */
async function updateMark(
  ctx: MessageContext,
  key: { pk: string; sk: string },
  mark: Mark,
  seenLast: string,
  unread: number,
): Promise<'written' | MessageGroupItem | undefined> {
  try {
    await ctx.db.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: key,
        UpdateExpression: 'SET last_read_sk = :upTo, unread_count = :unread',
        ConditionExpression:
          'last_message_sk = :seenLast AND (attribute_not_exists(last_read_sk) OR last_read_sk < :upTo)',
        ExpressionAttributeValues: { ':upTo': mark.sk, ':unread': unread, ':seenLast': seenLast },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'written';
  } catch (error) {
    return itemOfConditionFailure(messageGroupItemSchema, error);
  }
}

/**
 * The caller's group item of the conversation (the newest, should they have two), through the
 * sparse GSI: one query returns the members' items, and the caller's is the one in their partition.
 */
async function callersGroupItem(
  ctx: MessageContext,
  caller: Person,
  groupUuid: string,
): Promise<MessageGroupItem | undefined> {
  return (await queryGroupItems(ctx, groupUuid))
    .filter((item) => item.pk === groupPk(caller.uuid))
    .reduce<MessageGroupItem | undefined>(
      (newest, item) => (!newest || newest.last_message_sk < item.last_message_sk ? item : newest),
      undefined,
    );
}

/** The other member's messages after `upTo`, up to the item's last one (at most MAX_COUNTED_UNREAD). */
async function countUnread(ctx: MessageContext, caller: Person, mark: Mark, lastSk: string): Promise<number> {
  let count = 0;
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :last',
        FilterExpression: 'user_uuid <> :me AND message_uuid <> :upTo',
        ExpressionAttributeValues: {
          ':pk': messagePk(mark.groupUuid),
          ':from': mark.sk,
          ':last': lastSk,
          ':me': caller.uuid,
          ':upTo': mark.upTo,
        },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start && count < MAX_COUNTED_UNREAD);
  return Math.min(count, MAX_COUNTED_UNREAD);
}
