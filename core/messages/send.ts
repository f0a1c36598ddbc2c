import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  MESSAGE_UUID_EXPIRED,
  messageCreatedAt,
  sendMessageInputSchema,
  type MessageView,
  type SendMessageInput,
} from '../../shared/messages';
import { uuidV7Timestamp } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { parseInput } from '../input';
import { personOf, type MessageContext } from './context';
import {
  itemOfConditionFailure,
  messageItem,
  messageItemSchema,
  readItem,
  toMessageView,
  type MessageItem,
} from './items';
import { requireMember } from './membership';

/** What a send did: `created` false when the message uuid was already stored (a resend). */
export interface SendOutcome {
  message: MessageView;
  created: boolean;
}

/**
 * Pattern C: sends into a conversation the caller belongs to. One conditional PutItem, or, for a
 * uuid outside the clock window, one consistent GetItem that finds the earlier send.
 */
export async function sendMessage(
  ctx: MessageContext,
  caller: Person,
  input: SendMessageInput,
): Promise<SendOutcome> {
  const { groupUuid, messageUuid, text } = parseInput(sendMessageInputSchema, input);
  await requireMember(ctx, caller, groupUuid);
  // After the membership read: its response has set the service's clock, in a fresh process too.
  const fresh = messageCreatedAt(messageUuid, ctx.now());
  const item = messageItem(groupUuid, personOf(caller), messageUuid, text, createdAtOf(messageUuid));
  return fresh.ok ? putMessage(ctx, item) : resentMessage(ctx, item, fresh.problem);
}

/**
 * The created_at a (schema-checked, so version 7) message uuid stands for: outside the window it
 * still names the key an earlier send was stored at.
 */
export function createdAtOf(messageUuid: string): string {
  return new Date(uuidV7Timestamp(messageUuid)!).toISOString();
}

/**
 * A uuid outside the clock window may not name a new message (its key would sort too far from
 * the time it is written for readers to see it), but it may be a resend of one stored while it
 * was inside: answer with the stored copy, or refuse with `problem` (nothing was stored, so the
 * sender may make a new uuid).
 */
export async function resentMessage(
  ctx: MessageContext,
  item: MessageItem,
  problem: string,
): Promise<SendOutcome> {
  const found = await ctx.db.send(
    new GetCommand({ TableName: ctx.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
  );
  if (!found.Item) throw new AppError('Invalid', problem, { reason: MESSAGE_UUID_EXPIRED });
  return {
    message: toMessageView(sameMessage(item, readItem(messageItemSchema, found.Item))),
    created: false,
  };
}

/**
 * Stores a message unless its key exists. The key comes from the message uuid (its time and
 * itself), so a resend after a lost reply meets the first copy: the put fails, DynamoDB hands
 * back the stored item in the same request, and the resend succeeds with what is stored.
 */
export async function putMessage(ctx: MessageContext, item: MessageItem): Promise<SendOutcome> {
  try {
    await ctx.db.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { message: toMessageView(item), created: true };
  } catch (error) {
    const stored = sameMessage(item, itemOfConditionFailure(messageItemSchema, error), error);
    return { message: toMessageView(stored), created: false };
  }
}

/** The stored copy when it is the message sent again (same sender, same text); else Conflict. */
function sameMessage(sent: MessageItem, stored: MessageItem | undefined, cause?: unknown): MessageItem {
  if (stored && stored.user_uuid === sent.user_uuid && stored.message === sent.message) return stored;
  throw new AppError(
    'Conflict',
    `message uuid ${sent.message_uuid} was already used for a different message; make a new uuid`,
    { cause },
  );
}
