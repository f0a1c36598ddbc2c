import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomicImpl from 'write-file-atomic';

/**
 * Files the app and the local cloud keep (session, window state, stream position, cursor key)
 * are written whole or not at all: a temporary file beside the target, flushed to disk, then
 * renamed over it (npm's write-file-atomic, which also queues concurrent writes to one file).
 * A crash mid-write leaves the previous content. Private by default (mode 0600).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Buffer,
  options: { mode?: number } = {},
): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomicImpl(file, data, { mode: options.mode ?? 0o600, fsync: true });
}

/**
 * Writes `content` to `file` unless the file already exists, and answers what the file holds:
 * the content is written aside and linked into place, so of processes racing to create it every
 * one reads the same whole file, never a half-written one.
 */
export function createFileOnceSync(file: string, content: string): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, content, { mode: 0o600 });
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
  return readFileSync(file, 'utf8');
}

/** Replaces a file's content atomically and synchronously (for a file found unusable). */
export function replaceFileSync(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomicImpl.sync(file, content, { mode: 0o600, fsync: true });
}
