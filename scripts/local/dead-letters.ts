import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * `.local-cloud/dead-letters.jsonl`: the stream records the worker set aside after they failed
 * every attempt, one JSON object a line, so the shard could move on. It says which record and
 * conversation and why, never what a message says. AWS keeps the same kind of list in the event
 * source mapping's on-failure destination.
 */
export interface DeadLetter {
  sequenceNumber: string;
  shardId: string;
  eventName: string | undefined;
  /** The conversation of a message record. */
  conversation: string | undefined;
  /** The item's key (a message's sort key holds its time and uuid, nothing it says). */
  key: { pk: string; sk: string } | undefined;
  /** The error code Pattern E reported, or 'Unreported' when the handler named no reason. */
  code: string;
  attempts: number;
  setAsideAt: string;
}

export class DeadLetterFile {
  constructor(readonly file: string) {}

  async add(letter: DeadLetter): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await appendFile(this.file, `${JSON.stringify(letter)}\n`, { mode: 0o600 });
  }

  /** How many records were set aside so far (0 when there is no file). */
  async count(): Promise<number> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text.split('\n').filter((line) => line.trim() !== '').length;
  }
}

/** The worker's dead-letter file: the one it is given, or dead-letters.jsonl beside its position. */
export const deadLetterFileOf = (options: { stateFile: string; deadLetterFile?: string }): string =>
  options.deadLetterFile ?? join(dirname(options.stateFile), 'dead-letters.jsonl');
