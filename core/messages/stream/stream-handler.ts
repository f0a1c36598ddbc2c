import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isMessageSk, messageGroupUuidOfPk } from '../../../shared/model';
import { createLogger, type Logger } from '../../log';
import { toAppError } from '../../errors';
import type { ErrorCode } from '../../../shared/result';
import { moveGroupItemsTo } from './group-mover';
import { KnownGroupItems } from './known-group-items';
import { messageItemSchema, readImage, type MessageItem } from '../items';
import {
  asAttributeValues,
  batchFailures,
  recordIdentifier,
  type DynamoDBStreamEvent,
  type DynamoDBStreamRecord,
  type StreamBatchResponse,
} from './stream-event';

export interface StreamHandlerDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  log?: Logger;
  /** Attempts per conversation within one batch before its records are reported as failed. */
  maxAttempts?: number;
  /** Conversations of one batch handled at the same time. */
  concurrency?: number;
  /** Told why records fail, beside batchItemFailures (the local worker's dead letters say it). */
  onFailure?: (failure: StreamFailure) => void;
}

/** Records of one conversation that could not be applied, and why. */
export interface StreamFailure {
  conversation: string;
  /** Sequence numbers (undefined for a record that has none). */
  recordIds: (string | undefined)[];
  code: ErrorCode;
}

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<StreamBatchResponse>;

/** One conversation's messages in a batch, each with the record that inserted it. */
interface ConversationUpdate {
  groupUuid: string;
  /** Sequence numbers (undefined for a record that has none). */
  inserted: { message: MessageItem; recordId: string | undefined }[];
}

/**
 * Pattern E, the same code as the Lambda (aws/pattern-e) and behind the local stream worker.
 * Every record of the batch is looked at; only INSERTs of message items matter. Only the newest
 * message per conversation needs applying (an older one could not move a group item anyway), so
 * a burst of messages costs one move per conversation, not one per message (that move counts
 * the burst's messages as unread for every member but their sender). Records whose
 * conversation could not be updated are returned as batchItemFailures and come back again; one
 * that keeps failing is set aside after a bounded number of attempts, by the local stream worker
 * (its dead-letter file) or, on AWS, by the event source mapping (MaximumRetryAttempts and an
 * on-failure destination, which the infrastructure issue sets up).
 */
export function createStreamHandler(deps: StreamHandlerDeps): StreamHandler {
  const log = deps.log ?? createLogger('pattern-e');
  const concurrency = deps.concurrency ?? 16;
  const known = new KnownGroupItems();
  const mover = { db: deps.db, tableName: deps.tableName, maxAttempts: deps.maxAttempts, log };
  /**
   * Moves the conversation's group items to its newest message. When that message cannot be
   * applied (a poison record), the next older one is tried, so only the records that really
   * failed are reported and set aside, never an innocent message that shared the batch.
   */
  async function applyNewest(update: ConversationUpdate): Promise<(string | undefined)[]> {
    const newestFirst = [...update.inserted].sort((a, b) => (a.message.sk < b.message.sk ? 1 : -1));
    const batch = update.inserted.map((entry) => entry.message);
    const failed: (string | undefined)[] = [];
    for (const [index, { message, recordId }] of newestFirst.entries()) {
      try {
        // The whole batch goes along: the move counts the messages up to this one as unread.
        await moveGroupItemsTo(mover, update.groupUuid, message, known, batch);
        // Older messages of this conversation are superseded by the one just applied.
        return failed;
      } catch (error) {
        const reason = toAppError(error, 'DynamoDB');
        log.warn('conversation not updated', {
          conversation: update.groupUuid,
          code: reason.code,
          error: reason.message,
        });
        deps.onFailure?.({ conversation: update.groupUuid, recordIds: [recordId], code: reason.code });
        failed.push(recordId);
        // A service that cannot be reached fails every older message too: report them all now.
        if (reason.code === 'Unavailable') {
          const rest = newestFirst.slice(index + 1).map((entry) => entry.recordId);
          if (rest.length > 0)
            deps.onFailure?.({ conversation: update.groupUuid, recordIds: rest, code: reason.code });
          return [...failed, ...rest];
        }
      }
    }
    return failed;
  }

  return async function handler(event) {
    const started = performance.now();
    const updates = [...collectUpdates(event.Records ?? [], log).values()];
    const failed: (string | undefined)[] = [];
    let next = 0;
    const worker = async () => {
      for (let update = updates[next++]; update; update = updates[next++]) {
        failed.push(...(await applyNewest(update)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, updates.length) }, worker));
    log.info('batch done', {
      records: event.Records?.length ?? 0,
      conversations: updates.length,
      failures: failed.length,
      duration_ms: Math.round(performance.now() - started),
    });
    return batchFailures(event.Records ?? [], failed);
  };
}

function collectUpdates(records: DynamoDBStreamRecord[], log: Logger): Map<string, ConversationUpdate> {
  const updates = new Map<string, ConversationUpdate>();
  for (const record of records) {
    const message = insertedMessage(record, log);
    const groupUuid = message && messageGroupUuidOfPk(message.pk);
    if (!message || !groupUuid) continue;
    const update = updates.get(groupUuid) ?? { groupUuid, inserted: [] };
    update.inserted.push({ message, recordId: recordIdentifier(record) });
    updates.set(groupUuid, update);
  }
  return updates;
}

/** The message item a record inserted, or undefined for anything Pattern E ignores. */
function insertedMessage(record: DynamoDBStreamRecord, log: Logger): MessageItem | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  if (!record.dynamodb?.NewImage) {
    // Without new images Pattern E can do nothing at all: say so rather than stay silent.
    log.warn(
      `record ${recordIdentifier(record) ?? record.eventID} has no NewImage; the stream must be NEW_IMAGE`,
    );
    return undefined;
  }
  const { pk, sk } = record.dynamodb.NewImage;
  // Conversation items share the MSG# partition and are not messages; group items are not either.
  if (!pk?.S || !messageGroupUuidOfPk(pk.S) || !sk?.S || !isMessageSk(sk.S)) return undefined;
  const message = readImage(messageItemSchema, asAttributeValues(record.dynamodb.NewImage));
  // A malformed message cannot be fixed by retrying: it is reported in the log, not as a failure.
  if (!message)
    log.warn(
      `record ${recordIdentifier(record) ?? record.eventID}: a message item without its attributes was ignored`,
    );
  return message;
}
