import type { Config } from '../../core/config';
import { createLogger, type Logger } from '../../core/log';
import type { DynamoDBStreamEvent } from '../../core/messages/stream/stream-event';
import type { StreamHandler } from '../../core/messages/stream/stream-handler';
import { StreamReader } from './stream-reader';
import { StreamStateFile } from './stream-state';

export interface StreamWorkerOptions {
  config: Config;
  /** Where the position is kept between runs (JSON). */
  stateFile: string;
  /** Where records set aside go (JSON Lines); default dead-letters.jsonl beside the state file. */
  deadLetterFile?: string;
  /**
   * Deliveries a record may fail before it is set aside and its shard moves on (default 10: with
   * the pause growing to 10 s between them, about half a minute).
   */
  maxRecordAttempts?: number;
  /** Called after every batch the handler saw, with its outcome (tests and lag measurement). */
  onBatch?: (batch: StreamBatch) => void;
  /** Defaults to the Pattern E handler on the config's table. */
  handler?: StreamHandler;
  /** Pause when no shard had records (default 100 ms); DynamoDB Local has a record ~25 ms after a write. */
  pollIntervalMs?: number;
  /** How often the stream is described again for new shards or a recreated table's stream (default 5 s). */
  discoverIntervalMs?: number;
  /**
   * Where a first run (no saved position for this stream) begins: 'oldest' (the default) hands
   * every record still in the stream to the handler; 'latest' passes over what is there already,
   * e.g. a fresh seed whose group items point at their last messages. Later runs and new shards
   * always continue from the saved position or their start.
   */
  startAt?: 'oldest' | 'latest';
  log?: Logger;
}

export interface StreamBatch {
  shardId: string;
  event: DynamoDBStreamEvent;
  failedRecordIds: string[];
  /** Those of the failed records that are not retried: they failed every attempt and were set aside. */
  setAsideRecordIds: string[];
  handledAt: number;
  /** How long the handler took with this batch. */
  handlerMs: number;
}

export interface StreamWorker {
  /** Finishes the batch in hand, saves the position and stops. */
  stop(): Promise<void>;
}

/**
 * What AWS Lambda's event source mapping does, for DynamoDB Local: reads every shard of the
 * table's latest stream (a child shard after its parent is read to the end, so one item's records
 * keep their order), hands each batch to the Pattern E handler as a Lambda event, and keeps
 * its position on disk after each batch. A record the handler reports as failed is read again,
 * with everything after it, after a pause, and set aside in the dead-letter file once it has
 * failed every attempt; a restart continues after the last handled record.
 */
export async function startStreamWorker(options: StreamWorkerOptions): Promise<StreamWorker> {
  const log = options.log ?? createLogger('stream-worker');
  const state = new StreamStateFile(options.stateFile, log);
  const reader = new StreamReader(options, log, state, await state.load());
  const running = reader.run();
  return {
    async stop() {
      reader.stop();
      await running;
    },
  };
}
