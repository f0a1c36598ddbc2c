import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MESSAGE_GROUP_INDEX } from '../../shared/model';
import {
  conversationItem,
  messageGroupItem,
  type MessageGroupItem,
  type MessageItem,
} from '../../core/messages/items';
import { batchWriteAll, documentBatchWrite, type BatchWriteCall, type WriteRequest } from './batch-write';
import { conversationMessages, planSeed, type ConversationPlan, type SeedPlan, type SeedSizes } from './plan';

/**
 * The DynamoDB seed engine, shared by `npm run ddb:seed`, `npm run setup` and the local cloud's
 * first start. It writes in two passes: every conversation item and message, then one group item
 * per member pointing at its conversation's latest message, so a group never points at a message
 * that is not there yet.
 *
 * Running it again with the same sizes and seed value writes the same keys, which overwrite. A
 * member's group item is the one exception, because its sort key holds the last reply's time:
 * when the app (Pattern E) has since moved it to a newer message, the newer one is kept, and any
 * other group item of the same member and conversation is deleted, so a conversation is never
 * listed twice.
 */
export interface SeedOptions extends Partial<SeedSizes> {
  /** BatchWriteItem calls in flight (default 8). */
  concurrency?: number;
  /** Called as items are written: how many so far, of how many planned. */
  onProgress?: (written: number, total: number) => void;
  /** The BatchWriteItem call, replaceable so a test can simulate throttling. */
  batchWrite?: BatchWriteCall;
}

export interface SeedCounts {
  users: number;
  conversations: number;
  messages: number;
  groupItems: number;
  /** Group items of seeded conversations that pointed at an older message and were replaced. */
  staleGroupItemsDeleted: number;
  /** Every item put (conversations, messages and group items). */
  itemsWritten: number;
  /** BatchWriteItem calls that repeated unprocessed items. */
  retries: number;
  durationMs: number;
}

/** How many items a fresh seed of this plan puts: each conversation's item, its messages and two group items. */
export const plannedItemCount = (plan: SeedPlan): number =>
  plan.conversations.reduce((sum, conversation) => sum + conversation.messageCount + 3, 0);

const put = (item: object): WriteRequest => ({ PutRequest: { Item: item } });

function* messagesAndConversations(
  plan: SeedPlan,
  latest: Map<string, MessageItem>,
): Generator<WriteRequest> {
  for (const conversation of plan.conversations) {
    const [a, b] = conversation.members;
    yield put(
      conversationItem(
        conversation.groupUuid,
        [a.uuid, b.uuid],
        new Date(conversation.firstAtMs).toISOString(),
      ),
    );
    let last: MessageItem | undefined;
    for (const message of conversationMessages(plan, conversation)) {
      last = message;
      yield put(message);
    }
    latest.set(conversation.groupUuid, last!);
  }
}

async function existingGroupItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  groupUuid: string,
): Promise<MessageGroupItem[]> {
  const items: MessageGroupItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: MESSAGE_GROUP_INDEX,
        KeyConditionExpression: 'message_group_uuid = :group',
        ExpressionAttributeValues: { ':group': groupUuid },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as MessageGroupItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The writes that leave each member exactly one group item, pointing at the newest message known. */
function groupItemWrites(
  conversation: ConversationPlan,
  last: MessageItem,
  existing: MessageGroupItem[],
): { requests: WriteRequest[]; puts: number; deletes: number } {
  const requests: WriteRequest[] = [];
  let puts = 0;
  const [a, b] = conversation.members;
  for (const [member, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const ours = messageGroupItem(conversation.groupUuid, member, other, last);
    const theirs = existing.filter((item) => item.pk === ours.pk);
    const newest = theirs.reduce<MessageGroupItem>(
      (best, item) => ((item.last_message_sk ?? '') > best.last_message_sk ? item : best),
      ours,
    );
    if (newest === ours) {
      requests.push(put(ours));
      puts += 1;
    }
    for (const item of theirs) {
      if (item.sk !== newest.sk) requests.push({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } });
    }
  }
  return { requests, puts, deletes: requests.length - puts };
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Seeds the messages table; throws an AppError (Invalid for bad sizes) or the SDK's error. */
export async function seedMessages(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: SeedOptions = {},
): Promise<SeedCounts> {
  const started = performance.now();
  const plan = planSeed(options);
  const write = options.batchWrite ?? documentBatchWrite(db);
  const concurrency = options.concurrency ?? 8;
  const total = plannedItemCount(plan);
  let written = 0;
  const onWritten = (count: number) => {
    written += count;
    options.onProgress?.(Math.min(written, total), total);
  };

  const latest = new Map<string, MessageItem>();
  const first = await batchWriteAll(write, tableName, messagesAndConversations(plan, latest), {
    concurrency,
    onWritten,
  });

  const groupWrites = await mapLimit(plan.conversations, concurrency, async (conversation) =>
    groupItemWrites(
      conversation,
      latest.get(conversation.groupUuid)!,
      await existingGroupItems(db, tableName, conversation.groupUuid),
    ),
  );
  const second = await batchWriteAll(
    write,
    tableName,
    groupWrites.flatMap((writes) => writes.requests),
    { concurrency, onWritten },
  );
  const groupItems = groupWrites.reduce((sum, writes) => sum + writes.puts, 0);
  const messages = plan.sizes.messages;

  return {
    users: plan.users.length,
    conversations: plan.conversations.length,
    messages,
    groupItems,
    staleGroupItemsDeleted: groupWrites.reduce((sum, writes) => sum + writes.deletes, 0),
    itemsWritten: plan.conversations.length + messages + groupItems,
    retries: first.retries + second.retries,
    durationMs: Math.round(performance.now() - started),
  };
}
