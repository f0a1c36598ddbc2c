import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/files';
import type { Logger } from '../../core/log';

/**
 * Where the stream worker is: per shard of one stream, the last sequence number it has handled
 * and whether the shard is read to its end. Written atomically (writeFileAtomic), so a crash
 * leaves the previous position or the new one, never half of a file.
 */
const streamPosition = z.object({
  streamArn: z.string(),
  shards: z.record(
    z.string(),
    z.object({ sequenceNumber: z.string().optional(), finished: z.boolean().optional() }),
  ),
});
export type StreamPosition = z.infer<typeof streamPosition>;

export class StreamStateFile {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly log: Logger,
  ) {}

  /** The saved position; undefined when there is none (or it is unreadable: then read from the start). */
  async load(): Promise<StreamPosition | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return streamPosition.parse(JSON.parse(text));
    } catch {
      // Reading again from the start costs time, never correctness: Pattern E is idempotent.
      this.log.warn(`${this.file} is not a stream position; reading the stream from its start`);
      return undefined;
    }
  }

  /** Saves a copy of `position`; saves happen one after another, in the order asked. */
  save(position: StreamPosition): Promise<void> {
    const text = JSON.stringify(position, null, 2);
    // A failed write is reported to its caller; the next save still runs.
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, text));
    return this.writing;
  }
}
