import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  messageCreatedAt,
  sendMessageInputSchema,
  type MessageView,
  type SendMessageInput,
} from '../../shared/messages';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { parseInput, required } from '../input';
import { personOf, type MessageContext } from './context';
import { messageItem, messageItemSchema, readImage, toMessageView, type MessageItem } from './items';
import { requireMember } from './membership';

/** Pattern C: sends into a conversation the caller belongs to. One conditional PutItem. */
export async function sendMessage(
  ctx: MessageContext,
  caller: Person,
  input: SendMessageInput,
): Promise<MessageView> {
  const { groupUuid, messageUuid, text } = parseInput(sendMessageInputSchema, input);
  const createdAt = required(messageCreatedAt(messageUuid, ctx.now()));
  await requireMember(ctx, caller, groupUuid);
  return putMessage(ctx, messageItem(groupUuid, personOf(caller), messageUuid, text, createdAt));
}

interface ConditionFailure {
  name?: string;
  /** The stored item, as attribute values: the document client does not convert error payloads. */
  Item?: Record<string, AttributeValue>;
}

/**
 * Stores a message unless its key exists. The key comes from the message uuid (its time and
 * itself), so a resend after a lost reply meets the first copy: the put fails, DynamoDB hands
 * back the stored item in the same request, and the resend succeeds with what is stored.
 */
export async function putMessage(ctx: MessageContext, item: MessageItem): Promise<MessageView> {
  try {
    await ctx.db.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return toMessageView(item);
  } catch (error) {
    const failure = error as ConditionFailure;
    if (failure.name !== 'ConditionalCheckFailedException') throw error;
    return toMessageView(storedCopy(item, failure));
  }
}

function storedCopy(sent: MessageItem, failure: ConditionFailure): MessageItem {
  const stored = readImage(messageItemSchema, failure.Item);
  if (stored && stored.user_uuid === sent.user_uuid && stored.message === sent.message) return stored;
  throw new AppError(
    'Conflict',
    `message uuid ${sent.message_uuid} was already used for a different message; make a new uuid`,
    { cause: failure },
  );
}
