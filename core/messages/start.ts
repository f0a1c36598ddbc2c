import { setTimeout as sleep } from 'node:timers/promises';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  messageCreatedAt,
  startConversationInputSchema,
  type ConversationView,
  type MessageView,
  type StartConversationInput,
  type StartConversationResult,
} from '../../shared/messages';
import { groupSk, type Person } from '../../shared/model';
import { conversationItem, messageGroupItem, messageItem, type MessageItem } from './items';
import { AppError } from '../../shared/result';
import { conversationUuidFor } from './conversation-id';
import { queryGroupItems } from './conversation-reads';
import { backoffDelay } from '../backoff';
import { parseInput } from '../input';
import { personOf, type MessageContext } from './context';
import { toMessageView } from './items';
import { createdAtOf, putMessage, resentMessage } from './send';

/** Concurrent transactions on the same items may be cancelled with TransactionConflict: try again. */
const MAX_ATTEMPTS = 4;
const RETRY = { baseMs: 40, maxMs: 400 };

interface CancelledTransaction {
  name?: string;
  CancellationReasons?: { Code?: string }[];
}

/**
 * Pattern D: sends to a person by handle. Two people share at most one conversation (its uuid is
 * derived from the pair), so this either creates it (conversation item, first message and both
 * members' group items in one transaction, all or nothing) or, when it exists, sends into it.
 * The conversation's group items are looked for first (one GSI query): the transaction's
 * conditions cannot see them, because their keys hold the last reply's time, so a conversation
 * that has group items but no conversation item (older data, or one an admin deleted) would get
 * a second pair. A new conversation costs two requests (the query, the transaction), an existing
 * one two as well (the query, the put) or one once its membership is cached. When both people
 * start it at the same moment, the conversation item's condition lets exactly one transaction
 * through and the other message joins it.
 */
export async function startConversation(
  ctx: MessageContext,
  caller: Person,
  input: StartConversationInput,
): Promise<StartConversationResult> {
  const { handle, messageUuid, text } = parseInput(startConversationInputSchema, input);
  const fresh = messageCreatedAt(messageUuid, ctx.now());
  const found = await ctx.directory.findByHandle(handle);
  if (!found) throw new AppError('NotFound', `no user with handle '${handle}'`);
  if (found.uuid === caller.uuid)
    throw new AppError('Invalid', 'you cannot start a conversation with yourself');
  const [sender, other] = [personOf(caller), personOf(found)];
  const groupUuid = conversationUuidFor(sender.uuid, other.uuid);
  const first = messageItem(groupUuid, sender, messageUuid, text, createdAtOf(messageUuid));
  const result = (created: boolean, message: MessageView): StartConversationResult => ({
    message_group_uuid: groupUuid,
    created,
    message,
    group: groupViewFor(groupUuid, other, message),
  });
  if (!fresh.ok) return result(false, (await resentMessage(ctx, first, fresh.problem)).message);
  if (ctx.members.knows(groupUuid, sender.uuid)) return result(false, (await putMessage(ctx, first)).message);
  if ((await queryGroupItems(ctx, groupUuid)).length > 0) {
    // It exists: the message joins it, and Pattern E moves the members' group items to it.
    ctx.members.remember(groupUuid, [sender.uuid, other.uuid]);
    return result(false, (await putMessage(ctx, first)).message);
  }

  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.db.send(createConversationTransaction(ctx, groupUuid, sender, other, first));
      ctx.members.remember(groupUuid, [sender.uuid, other.uuid]);
      return result(true, toMessageView(first));
    } catch (error) {
      const reasons = (error as CancelledTransaction).CancellationReasons;
      if ((error as CancelledTransaction).name !== 'TransactionCanceledException' || !reasons) throw error;
      if (reasons[0]?.Code === 'ConditionalCheckFailed') {
        // It exists (made earlier, or by the other person a moment ago): its members are the pair.
        ctx.members.remember(groupUuid, [sender.uuid, other.uuid]);
        return result(false, (await putMessage(ctx, first)).message);
      }
      const conflicted = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (!conflicted || attempt >= MAX_ATTEMPTS) {
        throw new AppError(
          'Conflict',
          `the conversation with '${other.handle}' could not be started; try again`,
          {
            cause: error,
          },
        );
      }
      await sleep(backoffDelay(attempt, RETRY));
    }
  }
}

function createConversationTransaction(
  ctx: MessageContext,
  groupUuid: string,
  sender: Person,
  other: Person,
  first: MessageItem,
): TransactWriteCommand {
  const created = (item: object) => ({
    Put: { TableName: ctx.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  return new TransactWriteCommand({
    // The conversation item comes first: a cancellation reason at index 0 means "it exists".
    TransactItems: [
      created(conversationItem(groupUuid, [sender.uuid, other.uuid], first.created_at)),
      created(first),
      // The sender has read what they wrote; the other member has it to read.
      created(messageGroupItem(groupUuid, sender, other, first, { last_read_sk: first.sk, unread_count: 0 })),
      created(messageGroupItem(groupUuid, other, sender, first, { unread_count: 1 })),
    ],
  });
}

/** The sender's view of the conversation after this message (Pattern E makes the stored one agree). */
function groupViewFor(groupUuid: string, other: Person, message: MessageView): ConversationView {
  return {
    message_group_uuid: groupUuid,
    message: message.message,
    last_reply_at: message.created_at,
    user_uuid: other.uuid,
    handle: other.handle,
    display_name: other.display_name,
    sk: groupSk(message.created_at, groupUuid),
    // The sender's own message is read (Pattern E says the same when it moves the item).
    unread_count: 0,
  };
}
