import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ConversationView,
  MarkConversationReadInput,
  MessageView,
  NewerItems,
  Page,
  PageOptions,
  ReadMark,
  SendMessageInput,
  StartConversationInput,
  StartConversationResult,
} from '../../shared/messages';
import type { Person } from '../../shared/model';
import { serviceClock } from '../clients';
import { toAppError } from '../errors';
import type { UserDirectory } from '../users/directory';
import type { MessageContext } from './context';
import { CursorCodec } from './cursor';
import * as list from './list';
import { MembershipCache } from './membership';
import { markConversationRead } from './read-mark';
import { sendMessage, type SendOutcome } from './send';
import { startConversation } from './start';

export interface MessageServiceDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** Pattern D looks the other person up by handle. */
  directory: Pick<UserDirectory, 'findByHandle'>;
  /** Signs paging cursors; without it they are valid in this process only (see loadOrCreateCursorSecret). */
  cursorSecret?: Uint8Array;
  /** Milliseconds since the epoch, for the message uuid's time window; the service's clock by default. */
  now?: () => number;
}

/**
 * What a caller can do with messages: patterns A–D and the read mark. Two implementations: the
 * MessageService below (DynamoDB, in this process: the app in direct mode, the scripts, the API's
 * Lambda) and the message API's client (the app in API mode, electron/main/api-messages.ts). The
 * caller argument names who acts; over the API the server takes it from the token instead.
 */
export interface MessageOperations {
  listMessages(caller: Person, groupUuid: string, options?: PageOptions): Promise<Page<MessageView>>;
  listMessagesAfter(
    caller: Person,
    groupUuid: string,
    afterSk: string,
    options?: { limit?: number },
  ): Promise<NewerItems<MessageView>>;
  listConversations(caller: Person, options?: PageOptions): Promise<Page<ConversationView>>;
  listConversationsAfter(
    caller: Person,
    afterSk: string,
    options?: { limit?: number },
  ): Promise<NewerItems<ConversationView>>;
  sendMessage(caller: Person, input: SendMessageInput): Promise<MessageView>;
  startConversation(caller: Person, input: StartConversationInput): Promise<StartConversationResult>;
  markConversationRead(caller: Person, input: MarkConversationReadInput): Promise<ReadMark>;
}

/**
 * Access patterns A–D and the read mark, the one implementation behind the app's IPC handlers and the admin
 * scripts. The caller is an argument of every call (the signed-in user, or the script's --as);
 * every failure is an AppError: Invalid, NotFound, Forbidden, Conflict or Unavailable.
 * Pattern E lives in stream-handler.ts: it runs where the stream is, not where the caller is.
 */
export class MessageService implements MessageOperations {
  private readonly ctx: MessageContext;

  constructor(deps: MessageServiceDeps) {
    this.ctx = {
      db: deps.db,
      tableName: deps.tableName,
      directory: deps.directory,
      members: new MembershipCache(),
      cursors: new CursorCodec(deps.cursorSecret),
      now: deps.now ?? serviceClock(deps.db),
    };
  }

  /** A: the conversation's messages, newest first; `cursor` from the previous page reads older ones. */
  listMessages(caller: Person, groupUuid: string, options?: PageOptions): Promise<Page<MessageView>> {
    return typed(list.listMessages(this.ctx, caller, groupUuid, options));
  }

  /** A, polling: the messages after a MessageView's sk, oldest first. */
  listMessagesAfter(
    caller: Person,
    groupUuid: string,
    afterSk: string,
    options?: { limit?: number },
  ): Promise<NewerItems<MessageView>> {
    return typed(list.listMessagesAfter(this.ctx, caller, groupUuid, afterSk, options));
  }

  /** B: the caller's conversations, most recent reply first. */
  listConversations(caller: Person, options?: PageOptions): Promise<Page<ConversationView>> {
    return typed(list.listConversations(this.ctx, caller, options));
  }

  /** B, polling: the conversations whose last reply sorts after a ConversationView's sk, oldest first. */
  listConversationsAfter(
    caller: Person,
    afterSk: string,
    options?: { limit?: number },
  ): Promise<NewerItems<ConversationView>> {
    return typed(list.listConversationsAfter(this.ctx, caller, afterSk, options));
  }

  /** C: sends into a conversation the caller belongs to; the same messageUuid again stores nothing new. */
  sendMessage(caller: Person, input: SendMessageInput): Promise<MessageView> {
    return this.storeMessage(caller, input).then((outcome) => outcome.message);
  }

  /** C, saying whether this call stored the message or found it stored (the API's 201 and 200). */
  storeMessage(caller: Person, input: SendMessageInput): Promise<SendOutcome> {
    return typed(sendMessage(this.ctx, caller, input));
  }

  /** D: sends to a person by handle, in the conversation the two share, made if it does not exist. */
  startConversation(caller: Person, input: StartConversationInput): Promise<StartConversationResult> {
    return typed(startConversation(this.ctx, caller, input));
  }

  /**
   * Moves the caller's read mark up to a message (never back) and answers the unread count
   * after it; reading up to the newest message costs one conditional write and no read.
   */
  markConversationRead(caller: Person, input: MarkConversationReadInput): Promise<ReadMark> {
    return typed(markConversationRead(this.ctx, caller, input));
  }
}

async function typed<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toAppError(error, 'DynamoDB');
  }
}
