import { readFileSync } from 'node:fs';
import { MessageCache } from '../electron/main/message-cache';
import { DEFAULT_PAGE_SIZE } from '../shared/messages';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { TestCipher } from '../tests/support/test-cipher';

/**
 * The main process's start-up as far as the message cache goes, in a process of its own (for
 * bench/cache.ts): open one person's cache folder with the key, read the last open conversation's
 * thread, form its first page, and print how long that took and the process's memory, as one
 * line of JSON. Usage: cache-startup-child.ts <cache root> <key file (hex)> <person uuid> <group uuid>
 */
const started = performance.now();

const [root, keyFile, personUuid, groupUuid] = process.argv.slice(2);
if (!root || !keyFile || !personUuid || !groupUuid) {
  console.error('usage: cache-startup-child.ts <cache root> <key file> <person uuid> <group uuid>');
  process.exit(2);
}
const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
const cache = await MessageCache.open({
  root,
  personUuid,
  secrets: new TestCipher(key),
  limitBytes: DEFAULT_SETTINGS.cacheLimitMb * 1024 * 1024,
});
const thread = await cache.thread(groupUuid);
// SessionMessages's first page of a cached thread: the newest DEFAULT_PAGE_SIZE, newest first.
const rows = (thread?.messages ?? []).slice(-DEFAULT_PAGE_SIZE).reverse();
const firstRowsAt = performance.now();

// What stays, with the cache open and the page held (--expose-gc from the parent).
(globalThis as { gc?: () => void }).gc?.();
const memory = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    msToFirstRows: firstRowsAt - started,
    msSinceProcessStart: firstRowsAt,
    rows: rows.length,
    cachedMessages: cache.stats().messages,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
  })}\n`,
);
