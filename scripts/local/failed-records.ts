import type { Logger } from '../../core/log';
import type { StreamFailure } from '../../core/messages/stream/stream-handler';
import {
  recordIdentifier,
  type DynamoDBStreamEvent,
  type DynamoDBStreamRecord,
} from '../../core/messages/stream/stream-event';
import { messageGroupUuidOfPk } from '../../shared/model';
import { DeadLetterFile } from './dead-letters';

/**
 * How often each record has failed, across deliveries: a record that fails `maxAttempts` times
 * is set aside in the dead-letter file and no longer holds its shard back (Lambda's
 * MaximumRetryAttempts and on-failure destination do the same on AWS). Counts live as long as
 * the worker; a restart gives every record its attempts again.
 */
export class FailedRecords {
  private readonly attempts = new Map<string, Map<string, number>>();
  private readonly setAside = new Map<string, Set<string>>();
  private readonly codes = new Map<string, string>();
  readonly deadLetters: DeadLetterFile;

  constructor(
    file: string,
    private readonly maxAttempts: number,
    private readonly log: Logger,
  ) {
    this.deadLetters = new DeadLetterFile(file);
  }

  /** What the handler said about the records it failed (its onFailure). */
  note(failure: StreamFailure): void {
    for (const id of failure.recordIds) if (id) this.codes.set(id, failure.code);
  }

  /** The same for a handler that threw: every record of the batch failed with `code`. */
  noteAll(event: DynamoDBStreamEvent, code: string): void {
    for (const record of event.Records) {
      const id = recordIdentifier(record);
      if (id) this.codes.set(id, code);
    }
  }

  /**
   * Counts a delivery of `event` in which `failedIds` failed, sets aside the records that have
   * now failed every attempt, and answers those still to retry. Once nothing is left to retry
   * the shard's position passes every record counted, so its counts are dropped.
   */
  async settle(shardId: string, event: DynamoDBStreamEvent, failedIds: string[]): Promise<Set<string>> {
    const counts = this.attempts.get(shardId) ?? new Map<string, number>();
    const aside = this.setAside.get(shardId) ?? new Set<string>();
    const retry = new Set<string>();
    for (const id of failedIds) {
      if (aside.has(id)) continue;
      const attempts = (counts.get(id) ?? 0) + 1;
      counts.set(id, attempts);
      if (attempts < this.maxAttempts) {
        retry.add(id);
        continue;
      }
      aside.add(id);
      await this.setRecordAside(
        shardId,
        id,
        event.Records.find((r) => recordIdentifier(r) === id),
        attempts,
      );
    }
    for (const id of failedIds) this.codes.delete(id);
    if (retry.size === 0) {
      this.attempts.delete(shardId);
      this.setAside.delete(shardId);
    } else {
      this.attempts.set(shardId, counts);
      this.setAside.set(shardId, aside);
    }
    return retry;
  }

  private async setRecordAside(
    shardId: string,
    sequenceNumber: string,
    record: DynamoDBStreamRecord | undefined,
    attempts: number,
  ): Promise<void> {
    const keys = record?.dynamodb?.Keys ?? record?.dynamodb?.NewImage;
    const pk = keys?.['pk']?.S;
    const sk = keys?.['sk']?.S;
    const conversation = pk ? messageGroupUuidOfPk(pk) : undefined;
    const code = this.codes.get(sequenceNumber) ?? 'Unreported';
    await this.deadLetters.add({
      sequenceNumber,
      shardId,
      eventName: record?.eventName,
      conversation,
      key: pk && sk ? { pk, sk } : undefined,
      code,
      attempts,
      setAsideAt: new Date().toISOString(),
    });
    this.log.warn(
      `stream record ${sequenceNumber}${conversation ? ` (conversation ${conversation})` : ''} failed ${attempts} times (${code}) and was set aside; see ${this.deadLetters.file}`,
    );
  }
}
