import { mkdtemp, readFile } from 'node:fs/promises';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStreamHandler, type StreamHandler } from '../../core/messages';
import { recordIdentifier } from '../../core/messages/stream/stream-event';
import { uuidV7Timestamp, newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { messageGroupItem, messageItem } from '../../core/messages/items';
import { captureLog } from '../support/log-capture';
import { startStreamWorker, type StreamBatch, type StreamWorker } from '../../scripts/local/stream-worker';
import {
  createPeople,
  groupItemsOf,
  messageTestBed,
  percentile,
  waitFor,
  type MessageTestBed,
} from '../support/messages';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function bedWithWorker(
  prefix: string,
  options: { handler?: (inner: StreamHandler) => StreamHandler } = {},
) {
  const bed = await messageTestBed(prefix);
  const stateFile = join(await mkdtemp(join(tmpdir(), 'stream-worker-')), 'position.json');
  const batches: StreamBatch[] = [];
  const inner = createStreamHandler({ db: bed.db, tableName: bed.config.tableName });
  const handler = options.handler ? options.handler(inner) : inner;
  const start = () =>
    startStreamWorker({ config: bed.config, stateFile, handler, onBatch: (b) => batches.push(b) });
  let worker: StreamWorker | undefined = await start();
  cleanups.push(async () => {
    await worker?.stop();
    await bed.close();
  });
  return {
    bed,
    stateFile,
    batches,
    async stop() {
      await worker?.stop();
      worker = undefined;
    },
    async restart() {
      worker = await start();
    },
  };
}

/** True when every member's single group item of the conversation points at `sk`. */
async function groupItemsAt(
  bed: MessageTestBed,
  members: Person[],
  groupUuid: string,
  sk: string,
): Promise<boolean> {
  for (const member of members) {
    const items = (await groupItemsOf(bed.db, bed.config.tableName, member)).filter(
      (g) => g.message_group_uuid === groupUuid,
    );
    if (items.length !== 1 || items[0]!.last_message_sk !== sk) return false;
  }
  return true;
}

const messageUuidsOf = (batches: StreamBatch[]) =>
  batches.flatMap((b) =>
    b.event.Records.map((r) => r.dynamodb?.NewImage?.['message_uuid']?.S).filter((u): u is string => !!u),
  );

describe('the local stream worker', () => {
  it('keeps group items at the newest message while 20 senders send 25 messages each', async () => {
    const { bed, batches } = await bedWithWorker('stream-load');
    const [hub, ...senders] = await createPeople(bed.pool, [
      'hub',
      ...Array.from({ length: 20 }, (_, i) => `s${i}`),
    ]);
    const started = Date.now();
    const conversations = await Promise.all(
      senders.map(async (sender) => {
        const first = await bed
          .newService()
          .startConversation(sender, { handle: hub!.handle, messageUuid: newMessageUuid(), text: 'm0' });
        for (let i = 1; i < 25; i++) {
          await bed.service.sendMessage(sender, {
            groupUuid: first.message_group_uuid,
            messageUuid: newMessageUuid(),
            text: `m${i}`,
          });
        }
        return { sender, groupUuid: first.message_group_uuid };
      }),
    );
    const sendMs = Date.now() - started;
    let total = 0;
    for (const { sender, groupUuid } of conversations) {
      const page = await bed.service.listMessages(sender, groupUuid, { limit: 100 });
      expect(page.items).toHaveLength(25);
      total += page.items.length;
      await waitFor(
        `group items of ${groupUuid}`,
        () => groupItemsAt(bed, [hub!, sender], groupUuid, page.items[0]!.sk),
        20_000,
      );
    }
    expect(total).toBe(500);
    expect(await groupItemsOf(bed.db, bed.config.tableName, hub!)).toHaveLength(20);
    const newestFirst = (await bed.service.listConversations(hub!)).items.map((g) => g.last_reply_at);
    expect(newestFirst).toEqual([...newestFirst].sort().reverse());

    const lags = batches.flatMap((b) =>
      messageUuidsOf([b]).map((uuid) => b.handledAt - uuidV7Timestamp(uuid)!),
    );
    const handlerMs = batches.map((b) => b.handlerMs);
    console.info(
      `500 messages from 20 senders (25 sequential sends each) in ${sendMs} ms, a put taking ${Math.round(sendMs / 25)} ms ` +
        `on average under that load; stream lag (send → group items moved): p50 ${percentile(lags, 50)} ms, ` +
        `p95 ${percentile(lags, 95)} ms, max ${Math.max(...lags)} ms; ${batches.length} batches, ` +
        `handler p50 ${percentile(handlerMs, 50)} ms, max ${Math.max(...handlerMs)} ms`,
    );
  }, 180_000);

  it('shows a sent message in the conversation list within a second', async () => {
    const { bed } = await bedWithWorker('stream-lag');
    const [ann, ben] = (await createPeople(bed.pool, ['ann', 'ben'])) as [Person, Person];
    const { message_group_uuid: groupUuid } = await bed.service.startConversation(ann, {
      handle: ben.handle,
      messageUuid: newMessageUuid(),
      text: 'hi',
    });
    const lags: number[] = [];
    for (let i = 0; i < 15; i++) {
      const sent = await bed.service.sendMessage(i % 2 ? ann : ben, {
        groupUuid,
        messageUuid: newMessageUuid(),
        text: `lag ${i}`,
      });
      const sentAt = Date.now();
      await waitFor(
        'the group item',
        async () =>
          (await bed.service.listConversations(ann, { limit: 1 })).items[0]?.message === sent.message,
        5_000,
      );
      lags.push(Date.now() - sentAt);
    }
    console.info(
      `stream lag (put → visible in Pattern B), one message at a time: p50 ${percentile(lags, 50)} ms, p95 ${percentile(lags, 95)} ms`,
    );
    // The target is p95 well under 1 s (about 150 ms on a quiet machine); the assertion leaves
    // room for a busy CI machine, where DynamoDB Local itself slows down.
    expect(percentile(lags, 50)).toBeLessThan(1_000);
  });

  it('stopped and restarted mid-stream, neither skips nor repeats a record, and ends correct', async () => {
    const run = await bedWithWorker('stream-restart');
    const { bed } = run;
    const [cy, di] = (await createPeople(bed.pool, ['cy', 'di'])) as [Person, Person];
    const { message_group_uuid: groupUuid, message: first } = await bed.service.startConversation(cy, {
      handle: di.handle,
      messageUuid: newMessageUuid(),
      text: 'first',
    });
    const sent = [first.message_uuid];
    const sending = (async () => {
      for (let i = 0; i < 60; i++) {
        const message = await bed.service.sendMessage(i % 2 ? cy : di, {
          groupUuid,
          messageUuid: newMessageUuid(),
          text: `n${i}`,
        });
        sent.push(message.message_uuid);
      }
    })();
    await waitFor('a few batches', async () => messageUuidsOf(run.batches).length >= 10);
    await run.stop();
    const beforeRestart = messageUuidsOf(run.batches);
    const saved = JSON.parse(await readFile(run.stateFile, 'utf8')) as { streamArn: string };
    expect(saved.streamArn).toContain(bed.config.tableName);
    await sending;
    expect(sent.length).toBeGreaterThan(beforeRestart.length);
    await run.restart();
    const last = (await bed.service.listMessages(cy, groupUuid, { limit: 1 })).items[0]!;
    await waitFor('the group items', () => groupItemsAt(bed, [cy, di], groupUuid, last.sk));
    await waitFor('every record', async () => messageUuidsOf(run.batches).length >= sent.length);
    const handled = messageUuidsOf(run.batches);
    expect(new Set(handled)).toEqual(new Set(sent));
    expect(handled).toHaveLength(sent.length);
  });

  it("with startAt 'latest', passes over what the stream held before its first run, once", async () => {
    const bed = await messageTestBed('stream-latest');
    const stateFile = join(await mkdtemp(join(tmpdir(), 'stream-worker-')), 'position.json');
    const batches: StreamBatch[] = [];
    const start = () =>
      startStreamWorker({
        config: bed.config,
        stateFile,
        startAt: 'latest',
        onBatch: (b) => batches.push(b),
      });
    const [gil, hew] = (await createPeople(bed.pool, ['gil', 'hew'])) as [Person, Person];
    const { message_group_uuid: groupUuid } = await bed.service.startConversation(gil, {
      handle: hew.handle,
      messageUuid: newMessageUuid(),
      text: 'history',
    });
    let worker = await start();
    cleanups.push(async () => {
      await worker.stop();
      await bed.close();
    });
    const send = (text: string) =>
      bed.service.sendMessage(hew, { groupUuid, messageUuid: newMessageUuid(), text });
    const afterStart = await (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return send('after the start');
    })();
    await waitFor('the group items', () => groupItemsAt(bed, [gil, hew], groupUuid, afterStart.sk));
    await worker.stop();
    const whileStopped = await send('while stopped');
    worker = await start();
    await waitFor('the group items', () => groupItemsAt(bed, [gil, hew], groupUuid, whileStopped.sk));
    const handled = batches.flatMap((b) =>
      b.event.Records.filter((r) => r.dynamodb?.NewImage?.['message_uuid']).map(
        (r) => r.dynamodb?.NewImage?.['message']?.S,
      ),
    );
    expect(handled).toEqual(['after the start', 'while stopped']);
  });

  it('retries the records a batch failed (and a batch whose handler threw), then ends correct', async () => {
    let calls = 0;
    const run = await bedWithWorker('stream-retry', {
      handler: (inner) => async (event) => {
        calls += 1;
        if (calls === 1) throw new Error('the first batch fails as a whole');
        if (calls === 2)
          return { batchItemFailures: [{ itemIdentifier: event.Records.at(-1)!.dynamodb!.SequenceNumber! }] };
        return inner(event);
      },
    });
    const { bed } = run;
    const [ed, flo] = (await createPeople(bed.pool, ['ed', 'flo'])) as [Person, Person];
    const { message_group_uuid: groupUuid } = await bed.service.startConversation(ed, {
      handle: flo.handle,
      messageUuid: newMessageUuid(),
      text: 'one',
    });
    const last = await bed.service.sendMessage(flo, {
      groupUuid,
      messageUuid: newMessageUuid(),
      text: 'two',
    });
    await waitFor('the group items', () => groupItemsAt(bed, [ed, flo], groupUuid, last.sk), 15_000);
    expect(calls).toBeGreaterThanOrEqual(3);
    const failedThenRetried = run.batches
      .filter((b) => b.failedRecordIds.length > 0)
      .flatMap((b) => b.failedRecordIds);
    expect(failedThenRetried.length).toBeGreaterThan(0);
    const delivered = run.batches.flatMap((b) => b.event.Records.map(recordIdentifier));
    for (const id of failedThenRetried)
      expect(delivered.filter((d) => d === id).length).toBeGreaterThanOrEqual(2);
  });

  it('sets aside a record that fails every attempt, in its dead-letter file, and moves on', async () => {
    const log = captureLog();
    const bed = await messageTestBed('stream-dead');
    const dir = await mkdtemp(join(tmpdir(), 'stream-worker-'));
    const deadLetterFile = join(dir, 'dead-letters.jsonl');
    const batches: StreamBatch[] = [];
    const worker = await startStreamWorker({
      config: bed.config,
      stateFile: join(dir, 'position.json'),
      deadLetterFile,
      maxRecordAttempts: 3,
      onBatch: (b) => batches.push(b),
    });
    cleanups.push(async () => {
      await worker.stop();
      await bed.close();
    });
    const [ivy, jon] = (await createPeople(bed.pool, ['ivy', 'jon'])) as [Person, Person];
    const { message_group_uuid: groupUuid } = await bed.service.startConversation(ivy, {
      handle: jon.handle,
      messageUuid: newMessageUuid(),
      text: 'hello',
    });
    // A message written straight into the table (as `ddb:query --write` can) that fits DynamoDB's
    // 400 KB item limit while its group item, with a few more attributes, does not: Pattern E
    // can never apply it, however often it tries.
    const at = Date.now();
    const poison = messageItem(groupUuid, ivy, newMessageUuid(at), '', new Date(at).toISOString());
    poison.message = 'x'.repeat(ITEM_LIMIT - itemSize(poison) - 8);
    expect(itemSize(messageGroupItem(groupUuid, jon, ivy, poison))).toBeGreaterThan(ITEM_LIMIT);
    await bed.db.send(new PutCommand({ TableName: bed.config.tableName, Item: poison }));

    await waitFor(
      'the dead letter',
      async () => (await readFile(deadLetterFile, 'utf8').catch(() => '')) !== '',
      30_000,
    );
    const text = await readFile(deadLetterFile, 'utf8');
    const letters = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const deliveriesOf = (id: unknown) =>
      batches.filter((b) => b.event.Records.some((r) => recordIdentifier(r) === id)).length;
    expect(letters).toEqual([
      {
        sequenceNumber: expect.any(String),
        shardId: expect.any(String),
        eventName: 'INSERT',
        conversation: groupUuid,
        key: { pk: poison.pk, sk: poison.sk },
        code: 'Invalid',
        attempts: 3,
        setAsideAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(text).not.toContain('xxx');
    expect(log.text()).toContain(
      `stream record ${String(letters[0]!['sequenceNumber'])} (conversation ${groupUuid}) failed 3 times (Invalid) and was set aside; see ${deadLetterFile}`,
    );

    // The shard moved on: the next message is applied, and the record set aside is not handed over again.
    const next = await bed.service.sendMessage(jon, {
      groupUuid,
      messageUuid: newMessageUuid(),
      text: 'next',
    });
    await waitFor('the group items', () => groupItemsAt(bed, [ivy, jon], groupUuid, next.sk), 15_000);
    expect(deliveriesOf(letters[0]!['sequenceNumber'])).toBe(3);
  });
});

/** DynamoDB's item size limit, and an item's size as DynamoDB counts it (names and UTF-8 values). */
const ITEM_LIMIT = 400 * 1024;
const itemSize = (item: object) =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + name.length + Buffer.byteLength(String(value)),
    0,
  );
