import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationUuidFor } from '../core/messages/conversation-id';
import { conversationItem, messageGroupItem, type MessageItem, type ReadState } from '../core/messages/items';
import { batchWriteAll, documentBatchWrite, type WriteRequest } from '../scripts/seed/batch-write';
import { conversationMessages, planSeed, SEED_END_AT, type ConversationPlan } from '../scripts/seed/plan';
import type { SeedUser } from '../scripts/seed/users';
import type { Person } from '../shared/model';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One conversation a benchmark writes itself: who, how many messages, and what the first member has read. */
export interface ConversationSpec {
  seedValue: string;
  members: [SeedUser, SeedUser];
  messages: number;
  /** The newest messages the first member has not read (default none: nothing read, 0 unread, as the seed writes). */
  unreadTail?: number;
}

export interface WrittenConversation {
  groupUuid: string;
  messages: MessageItem[];
  /** The first member's unread count as written. */
  unread: number;
}

export const personOf = ({ uuid, handle, display_name }: Person): Person => ({ uuid, handle, display_name });

/**
 * Writes one conversation with the seed's own builders, in the seed's order: the conversation
 * item and the messages (conversationMessages: the seed's texts and times, over the last month),
 * then one group item per member, so a group item never points at a missing message. The size is
 * exact, which planSeed cannot promise for more than one conversation.
 */
export async function writeConversation(
  db: DynamoDBDocumentClient,
  tableName: string,
  spec: ConversationSpec,
): Promise<WrittenConversation> {
  const [member, other] = spec.members;
  const end = Date.parse(SEED_END_AT);
  const plan: ConversationPlan = {
    groupUuid: conversationUuidFor(member.uuid, other.uuid),
    members: spec.members,
    messageCount: spec.messages,
    firstAtMs: end - 30 * DAY,
    lastAtMs: end - 3 * HOUR,
  };
  // conversationMessages reads only the plan's seed value (and which conversation is the big one).
  const seedPlan = {
    ...planSeed({ users: 3, groups: 1, messages: 1, seedValue: spec.seedValue }),
    conversations: [],
  };
  const messages = [...conversationMessages(seedPlan, plan)];
  const last = messages.at(-1)!;
  const read = readStateOf(messages, other, spec.unreadTail ?? 0);
  const put = (item: object): WriteRequest => ({ PutRequest: { Item: item } });
  const write = documentBatchWrite(db);
  await batchWriteAll(write, tableName, [
    put(conversationItem(plan.groupUuid, [member.uuid, other.uuid], messages[0]!.created_at)),
    ...messages.map(put),
  ]);
  await batchWriteAll(write, tableName, [
    put(messageGroupItem(plan.groupUuid, member, personOf(other), last, read)),
    put(messageGroupItem(plan.groupUuid, other, personOf(member), last)),
  ]);
  return { groupUuid: plan.groupUuid, messages, unread: read.unread_count ?? 0 };
}

/**
 * What Pattern E would have left had the first member read all but the newest `tail` messages:
 * the mark on the message before them, the count of the other member's messages among them.
 */
function readStateOf(messages: MessageItem[], other: Person, tail: number): ReadState {
  if (tail === 0) return {};
  const read = messages[messages.length - tail - 1]!;
  const unread = messages.slice(-tail).filter((message) => message.user_uuid === other.uuid).length;
  if (unread === 0) throw new Error(`the newest ${tail} messages have none from the other member`);
  return { last_read_sk: read.sk, unread_count: unread };
}
