import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
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

/** One Query for what sorts after `afterSk`, oldest first (what a poller appends). */
async function queryNewer(ctx: MessageContext, list: ItemList, afterSk: string, limit = MAX_PAGE_SIZE) {
  if (typeof afterSk !== 'string' || !afterSk.startsWith(list.skPrefix) || afterSk.length > 512) {
    throw new AppError('Invalid', `the position to read after must be an sk starting with ${list.skPrefix}`);
  }
  parseInput(pageOptionsSchema, { limit });
  const input: QueryCommandInput = {
    TableName: ctx.tableName,
    KeyConditionExpression: 'pk = :pk AND sk > :after',
    ExpressionAttributeValues: { ':pk': list.pk, ':after': afterSk },
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

/** The messages after `afterSk` (a MessageView's sk), oldest first: what the conversation poller needs. */
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

/** The conversations whose last reply sorts after `afterSk` (a ConversationView's sk), oldest first. */
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
