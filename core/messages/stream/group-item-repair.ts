import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { groupPk, type Person } from '../../../shared/model';
import type { Logger } from '../../log';
import {
  getConversationItem,
  memberGroupItems,
  queryGroupItems,
  senderNamesIn,
  type TableAccess,
} from '../conversation-reads';
import { messageGroupItem, type MessageGroupItem, type MessageItem } from '../items';

/** A conversation's group items as Pattern E found them, and what it takes to make them whole. */
export interface FoundGroupItems {
  /** Each member's group item, by partition key (the newest, when a member has more than one). */
  current: Map<string, MessageGroupItem>;
  /** A member's older extra group items: the conversation would be listed twice, so they go. */
  extra: MessageGroupItem[];
  /** The group items of members who have none (deleted, or a seed stopped halfway), to be put. */
  missing: MessageGroupItem[];
}

export interface RepairDeps extends TableAccess {
  log: Logger;
}

/**
 * Each member's group item of the conversation. The GSI normally shows both (one query); when it
 * shows fewer, the members are learnt from the conversation item (or, when that is gone too, from
 * the group items left, each naming its owner and the other member) and each one the GSI did not
 * show is read from the table itself: right after Pattern D the GSI may simply lag, and a member
 * the table really has no group item for gets one made again, pointing at `message`.
 */
export async function findGroupItems(
  deps: RepairDeps,
  groupUuid: string,
  message: MessageItem,
): Promise<FoundGroupItems> {
  const found = newestPerMember(await queryGroupItems(deps, groupUuid));
  if (found.current.size >= 2) return found;
  const members = await membersOf(deps, groupUuid, [...found.current.values()]);
  for (const member of members) {
    if (found.current.has(groupPk(member))) continue;
    const own = newestPerMember(await memberGroupItems(deps, member, groupUuid));
    const item = own.current.get(groupPk(member));
    found.extra.push(...own.extra);
    if (item) {
      found.current.set(item.pk, item);
      continue;
    }
    const other = members.find((uuid) => uuid !== member);
    if (other) found.missing.push(await rebuiltGroupItem(deps, groupUuid, member, other, message));
  }
  return found;
}

/** Splits group items into each member's newest and the older extras. */
export function newestPerMember(items: MessageGroupItem[]): FoundGroupItems {
  const current = new Map<string, MessageGroupItem>();
  const extra: MessageGroupItem[] = [];
  for (const item of items) {
    const known = current.get(item.pk);
    if (!known) current.set(item.pk, item);
    else if (known.last_message_sk < item.last_message_sk) {
      extra.push(known);
      current.set(item.pk, item);
    } else extra.push(item);
  }
  return { current, extra, missing: [] };
}

async function membersOf(deps: RepairDeps, groupUuid: string, items: MessageGroupItem[]): Promise<string[]> {
  const conversation = await getConversationItem(deps, groupUuid);
  if (conversation) return conversation.member_uuids;
  const members = new Set<string>();
  for (const item of items) {
    members.add(ownerOf(item));
    members.add(item.user_uuid);
  }
  return [...members];
}

/** The member a group item belongs to: its partition key names them. */
export const ownerOf = (item: MessageGroupItem): string => item.pk.slice(groupPk('').length);

/** Another writer changed the item first: a failed condition, alone or in a transaction. */
export function isLostRace(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}

/** Deletes a group item unless it changed since it was read (then it is gone or moved on anyway). */
export async function deleteGroupItem(table: TableAccess, item: MessageGroupItem): Promise<void> {
  try {
    await table.db.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: { pk: item.pk, sk: item.sk },
        ConditionExpression: 'last_message_sk = :seen',
        ExpressionAttributeValues: { ':seen': item.last_message_sk },
      }),
    );
  } catch (error) {
    if (!isLostRace(error)) throw error;
  }
}

/** After a repair: the member of `made` keeps only their newest group item of its conversation. */
export async function keepNewestOnly(table: TableAccess, made: MessageGroupItem): Promise<void> {
  const { extra } = newestPerMember(await memberGroupItems(table, ownerOf(made), made.message_group_uuid));
  await Promise.all(extra.map((item) => deleteGroupItem(table, item)));
}

/**
 * The group item `member` lost, naming `other`. A message item carries only its sender's names:
 * when `other` sent `message` they come from it, else from the newest message `other` wrote in
 * the conversation. When `other` never wrote in it, nothing in the table names them: the item
 * names them by their uuid (it identifies them, and the conversation still opens), and Pattern E
 * puts their names in when their next message arrives (see moveGroupItem).
 */
async function rebuiltGroupItem(
  deps: RepairDeps,
  groupUuid: string,
  member: string,
  other: string,
  message: MessageItem,
): Promise<MessageGroupItem> {
  const sender: Person = {
    uuid: message.user_uuid,
    handle: message.user_handle,
    display_name: message.user_display_name,
  };
  let named = sender.uuid === other ? sender : await senderNamesIn(deps, groupUuid, other);
  if (!named) {
    deps.log.warn('a group item is made again without the names of the member it shows', {
      conversation: groupUuid,
      member,
      other,
    });
    named = { uuid: other, handle: other, display_name: other };
  }
  // Its unread count starts at 0 (what was unread went with the lost item); a sender has read it all.
  const read = message.user_uuid === member ? { last_read_sk: message.sk, unread_count: 0 } : {};
  return messageGroupItem(groupUuid, { uuid: member }, named, message, read);
}
