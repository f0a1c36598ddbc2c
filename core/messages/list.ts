import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  NEWS_OVERLAP_MS,
  messageGroupUuidSchema,
  pageOptionsSchema,
  type ConversationView,
  type MessageView,
  type NewerItems,
  type Page,
  type PageOptions,
} from '../../shared/messages';
import { GROUP_SK_PREFIX, MESSAGE_SK_PREFIX, groupPk, messagePk, type Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { parseInput } from '../input';
import { capacityUnits, type MessageContext } from './context';
import {
  messageGroupItemSchema,
  messageItemSchema,
  readAll,
  toConversationView,
  toMessageView,
  type MessageGroupItem,
} from './items';
import { requireMember } from './membership';

/** One list in the table: a partition, the sort-key prefix of its items, and its cursor scope. */
interface ItemList {
  pk: string;
  skPrefix: string;
  cursorScope: string;
}

const conversationList = (caller: Person, groupUuid: string): ItemList => ({
  pk: messagePk(groupUuid),
  skPrefix: MESSAGE_SK_PREFIX,
  cursorScope: `messages:${caller.uuid}:${groupUuid}`,
});

const groupList = (caller: Person): ItemList => ({
  pk: groupPk(caller.uuid),
  skPrefix: GROUP_SK_PREFIX,
  cursorScope: `groups:${caller.uuid}`,
});

/**
 * One Query, newest first. It asks for one item more than the page holds, so the cursor is null
 * exactly when nothing older is left (no empty last page), and the cursor is the key of the
 * page's last item. No date in the key condition: a conversation from years ago reads like today's.
 */
async function queryPage(ctx: MessageContext, list: ItemList, options: PageOptions | undefined) {
  const { limit = DEFAULT_PAGE_SIZE, cursor } = parseInput(pageOptionsSchema, options ?? {});
  const start = cursor ? ctx.cursors.decode(list.cursorScope, cursor, list) : undefined;
  const result = await ctx.db.send(
    new QueryCommand({
      TableName: ctx.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': list.pk, ':prefix': list.skPrefix },
      ScanIndexForward: false,
      Limit: limit + 1,
      ExclusiveStartKey: start,
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  const records = result.Items ?? [];
  const more = records.length > limit;
  const items = records.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    cursor:
      more && last ? ctx.cursors.encode(list.cursorScope, { pk: list.pk, sk: String(last['sk']) }) : null,
    consumed_capacity: capacityUnits(result.ConsumedCapacity),
  };
}

/**
 * What is new after `afterSk`, oldest first (what a poller appends). Sort keys carry the writer's
 * clock, so an item written after the position may sort a little below it (NEWS_OVERLAP_MS at
 * most, see shared/messages.ts): the read starts that far before the position's time, and the
 * caller drops what it has already seen. One Query; a second, from the position itself, only
 * when the overlap alone fills the page, or paging could never get past it.
 */
async function queryNewer(ctx: MessageContext, list: ItemList, afterSk: string, limit = MAX_PAGE_SIZE) {
  if (typeof afterSk !== 'string' || !afterSk.startsWith(list.skPrefix) || afterSk.length > 512) {
    throw new AppError('Invalid', `the position to read after must be an sk starting with ${list.skPrefix}`);
  }
  parseInput(pageOptionsSchema, { limit });
  const from = overlapStart(list.skPrefix, afterSk);
  const page = await queryAfter(ctx, list, from, limit);
  const last = page.items.at(-1);
  if (from === afterSk || !page.has_more || String(last?.['sk']) > afterSk) return page;
  const after = await queryAfter(ctx, list, afterSk, limit);
  return { ...after, consumed_capacity: page.consumed_capacity + after.consumed_capacity };
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * `prefix` + the time NEWS_OVERLAP_MS before the position's: every key at or after that time
 * sorts above it. A position without a time (the bare prefix) reads from the start, as before.
 */
function overlapStart(prefix: string, afterSk: string): string {
  const time = afterSk.slice(prefix.length).split('#', 1)[0] ?? '';
  const millis = ISO_MILLIS.test(time) ? Date.parse(time) - NEWS_OVERLAP_MS : Number.NaN;
  return Number.isFinite(millis) && millis >= 0 ? `${prefix}${new Date(millis).toISOString()}` : afterSk;
}

async function queryAfter(ctx: MessageContext, list: ItemList, from: string, limit: number) {
  const input: QueryCommandInput = {
    TableName: ctx.tableName,
    KeyConditionExpression: 'pk = :pk AND sk > :from',
    ExpressionAttributeValues: { ':pk': list.pk, ':from': from },
    ScanIndexForward: true,
    Limit: limit + 1,
    ReturnConsumedCapacity: 'TOTAL',
  };
  const result = await ctx.db.send(new QueryCommand(input));
  const records = result.Items ?? [];
  return {
    items: records.slice(0, limit),
    has_more: records.length > limit,
    consumed_capacity: capacityUnits(result.ConsumedCapacity),
  };
}

/** Pattern A: a conversation's messages, newest page first. */
export async function listMessages(
  ctx: MessageContext,
  caller: Person,
  groupUuid: string,
  options?: PageOptions,
): Promise<Page<MessageView>> {
  const group = parseInput(messageGroupUuidSchema, groupUuid);
  await requireMember(ctx, caller, group);
  const page = await queryPage(ctx, conversationList(caller, group), options);
  return { ...page, items: readAll(messageItemSchema, page.items).map(toMessageView) };
}

/**
 * The messages after `afterSk` (a MessageView's sk), oldest first: what the conversation poller
 * needs. It includes messages of up to NEWS_OVERLAP_MS before the position, seen or not.
 */
export async function listMessagesAfter(
  ctx: MessageContext,
  caller: Person,
  groupUuid: string,
  afterSk: string,
  options: { limit?: number } = {},
): Promise<NewerItems<MessageView>> {
  const group = parseInput(messageGroupUuidSchema, groupUuid);
  await requireMember(ctx, caller, group);
  const newer = await queryNewer(ctx, conversationList(caller, group), afterSk, options.limit);
  return { ...newer, items: readAll(messageItemSchema, newer.items).map(toMessageView) };
}

/** The caller's group items are the caller's memberships: remember them for Patterns A and C. */
function learnMemberships(ctx: MessageContext, caller: Person, groups: MessageGroupItem[]): void {
  for (const group of groups) ctx.members.remember(group.message_group_uuid, [caller.uuid, group.user_uuid]);
}

/** Pattern B: the caller's conversations, most recent reply first. */
export async function listConversations(
  ctx: MessageContext,
  caller: Person,
  options?: PageOptions,
): Promise<Page<ConversationView>> {
  const page = await queryPage(ctx, groupList(caller), options);
  const groups = readAll(messageGroupItemSchema, page.items);
  learnMemberships(ctx, caller, groups);
  return { ...page, items: groups.map(toConversationView) };
}

/**
 * The conversations whose last reply sorts after `afterSk` (a ConversationView's sk), oldest
 * first, with the same overlap as listMessagesAfter.
 */
export async function listConversationsAfter(
  ctx: MessageContext,
  caller: Person,
  afterSk: string,
  options: { limit?: number } = {},
): Promise<NewerItems<ConversationView>> {
  const newer = await queryNewer(ctx, groupList(caller), afterSk, options.limit);
  const groups = readAll(messageGroupItemSchema, newer.items);
  learnMemberships(ctx, caller, groups);
  return { ...newer, items: groups.map(toConversationView) };
}
