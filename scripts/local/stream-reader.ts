import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import { backoffDelay } from '../../core/backoff';
import type { Logger } from '../../core/log';
import { createDynamoClient } from '../../core/clients';
import { toAppError } from '../../core/errors';
import { recordIdentifier, type DynamoDBStreamEvent } from '../../core/messages/stream/stream-event';
import { createStreamHandler, type StreamHandler } from '../../core/messages/stream/stream-handler';
import { deadLetterFileOf } from './dead-letters';
import { FailedRecords } from './failed-records';
import { toLambdaRecord } from './stream-records';
import { describeShards, shardIterator } from './stream-shards';
import type { StreamPosition, StreamStateFile } from './stream-state';
import type { StreamWorkerOptions } from './stream-worker';

const RENEW_ITERATOR_ON = new Set(['ExpiredIteratorException', 'TrimmedDataAccessException']);
/** After the loop failed (DynamoDB down, the table gone): look again soon, then less often. */
const LOOP_BACKOFF = { baseMs: 500, maxMs: 5_000 };
/** Before a failed batch is handed over again, as Lambda retries a failed batch. */
const BATCH_BACKOFF = { baseMs: 400, maxMs: 10_000 };

interface ShardReader {
  shardId: string;
  iterator: string | undefined;
  retryAt: number;
  failedAttempts: number;
  /** Passing over what the stream held before the first run (startAt 'latest'). */
  skippingHistory: boolean;
}

/**
 * The stream worker's loop (see startStreamWorker): finds the shards, reads each, hands batches
 * to the handler and keeps the position. One loop for all shards, so stop() has one thing to end.
 */
export class StreamReader {
  private readonly db: DynamoDBDocumentClient;
  private readonly streams: DynamoDBStreamsClient;
  private readonly handler: StreamHandler;
  private readonly failed: FailedRecords;
  private readonly readers = new Map<string, ShardReader>();
  private readonly stopping = new AbortController();
  private nextDiscoveryAt = 0;
  private lastProblem = '';

  constructor(
    private readonly options: StreamWorkerOptions,
    private readonly log: Logger,
    private readonly state: StreamStateFile,
    private position: StreamPosition | undefined,
  ) {
    const { config } = options;
    this.db = createDynamoClient(config);
    this.streams = new DynamoDBStreamsClient({
      region: config.region,
      endpoint: config.dynamodbEndpoint,
      credentials: config.target === 'local' ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 2_000, requestTimeout: 15_000 },
    });
    this.failed = new FailedRecords(deadLetterFileOf(options), options.maxRecordAttempts ?? 10, log);
    this.handler =
      options.handler ??
      createStreamHandler({
        db: this.db,
        tableName: config.tableName,
        onFailure: (failure) => this.failed.note(failure),
      });
  }

  stop(): void {
    this.stopping.abort();
  }

  async run(): Promise<void> {
    let failures = 0;
    try {
      while (!this.stopping.signal.aborted) {
        try {
          if (Date.now() >= this.nextDiscoveryAt) await this.discover();
          const counts = await Promise.all([...this.readers.values()].map((reader) => this.poll(reader)));
          failures = 0;
          this.lastProblem = '';
          if (counts.every((count) => count === 0)) await this.pause(this.options.pollIntervalMs ?? 100);
        } catch (error) {
          failures += 1;
          this.report(error);
          // The table may have been deleted or made again: look for its stream once more.
          this.nextDiscoveryAt = 0;
          await this.pause(backoffDelay(failures, LOOP_BACKOFF));
        }
      }
    } finally {
      this.db.destroy();
      this.streams.destroy();
    }
  }

  /** Finds the table's latest stream and starts a reader for each shard that may be read now. */
  private async discover(): Promise<void> {
    const { tableName } = this.options.config;
    const table = await this.db.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${tableName} has no stream`);
    let firstRun = false;
    if (this.position?.streamArn !== streamArn) {
      // A new table (or the first run): a position in another stream means nothing here.
      this.position = { streamArn, shards: {} };
      this.readers.clear();
      firstRun = true;
    }
    const shards = await describeShards(this.streams, streamArn);
    const listed = new Set(shards.map((shard) => shard.ShardId));
    const saved = this.position.shards;
    for (const shard of shards) {
      const id = shard.ShardId;
      if (!id || saved[id]?.finished || this.readers.has(id)) continue;
      const parent = shard.ParentShardId;
      if (parent && listed.has(parent) && !saved[parent]?.finished) continue;
      const skippingHistory = firstRun && this.options.startAt === 'latest';
      this.readers.set(id, {
        shardId: id,
        iterator: undefined,
        retryAt: 0,
        failedAttempts: 0,
        skippingHistory,
      });
    }
    // Shards trimmed from the stream (after 24 hours on AWS) are forgotten.
    for (const id of Object.keys(saved)) if (!listed.has(id)) delete saved[id];
    this.nextDiscoveryAt = Date.now() + (this.options.discoverIntervalMs ?? 5_000);
  }

  /** Reads one batch of a shard and hands it to the handler; answers how many records it had. */
  private async poll(reader: ShardReader): Promise<number> {
    const position = this.position;
    if (!position || Date.now() < reader.retryAt) return 0;
    reader.iterator ??= await shardIterator(this.streams, position, reader.shardId, this.log);
    let page;
    try {
      page = await this.streams.send(new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: 1000 }));
    } catch (error) {
      // Iterators expire (after 15 minutes) or point at trimmed records: a fresh one starts
      // from the saved position, or from the oldest record left (see shardIterator).
      reader.iterator = undefined;
      if (!RENEW_ITERATOR_ON.has((error as { name?: string }).name ?? '')) throw error;
      return 0;
    }
    const records = page.Records ?? [];
    const saved = (position.shards[reader.shardId] ??= {});
    if (reader.skippingHistory) {
      // startAt 'latest': what was in the stream before the first run is passed over, once.
      saved.sequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber ?? saved.sequenceNumber;
      reader.skippingHistory = records.length > 0;
    } else if (records.length > 0) {
      const event = {
        Records: records.map((r) => toLambdaRecord(r, position.streamArn, this.options.config.region)),
      };
      if (!(await this.deliver(reader, event, saved))) {
        await this.state.save(position);
        return records.length;
      }
    }
    reader.iterator = page.NextShardIterator;
    if (!reader.iterator) {
      // A closed shard read to its end: its children may start now.
      saved.finished = true;
      this.readers.delete(reader.shardId);
      this.nextDiscoveryAt = 0;
    }
    if (records.length > 0 || !reader.iterator) await this.state.save(position);
    return records.length;
  }

  /**
   * Hands a batch to the handler and moves the shard's position past what it handled; answers
   * whether that was all of it. Like Lambda, a failed record is read again, with everything
   * after it, after a growing pause, until it has failed every attempt: then it is set aside.
   */
  private async deliver(
    reader: ShardReader,
    event: DynamoDBStreamEvent,
    saved: StreamPosition['shards'][string],
  ): Promise<boolean> {
    const handlerStarted = Date.now();
    const failedRecordIds = await this.handle(event);
    const handledAt = Date.now();
    const retrying = await this.failed.settle(reader.shardId, event, failedRecordIds);
    const firstFailed = event.Records.findIndex((record) => retrying.has(recordIdentifier(record) ?? ''));
    const handled = retrying.size === 0 ? event.Records.length : Math.max(firstFailed, 0);
    saved.sequenceNumber = event.Records[handled - 1]?.dynamodb?.SequenceNumber ?? saved.sequenceNumber;
    const handlerMs = handledAt - handlerStarted;
    const setAsideRecordIds = failedRecordIds.filter((id) => !retrying.has(id));
    this.options.onBatch?.({
      shardId: reader.shardId,
      event,
      failedRecordIds,
      setAsideRecordIds,
      handledAt,
      handlerMs,
    });
    if (handled === event.Records.length) {
      reader.failedAttempts = 0;
      return true;
    }
    reader.failedAttempts += 1;
    reader.iterator = undefined;
    reader.retryAt = Date.now() + backoffDelay(reader.failedAttempts, BATCH_BACKOFF);
    this.log.warn(`${event.Records.length - handled} record(s) of ${reader.shardId} failed; retrying`);
    return false;
  }

  /** The handler's failures; a handler that throws has failed the whole batch. */
  private async handle(event: DynamoDBStreamEvent): Promise<string[]> {
    try {
      const response = await this.handler(event);
      return response.batchItemFailures.map((failure) => failure.itemIdentifier);
    } catch (error) {
      this.report(error);
      this.failed.noteAll(event, toAppError(error, 'DynamoDB').code);
      return event.Records.flatMap((record) => recordIdentifier(record) ?? []);
    }
  }

  private report(error: unknown): void {
    const problem = `${(error as { name?: string }).name ?? 'Error'}: ${toAppError(error, 'DynamoDB').message}`;
    // The same problem every 5 seconds (DynamoDB down, the table not made yet) is said once.
    if (problem !== this.lastProblem) this.log.warn(problem);
    this.lastProblem = problem;
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
