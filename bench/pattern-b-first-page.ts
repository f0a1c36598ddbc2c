import { randomUUID } from 'node:crypto';
import { conversationUuidFor } from '../core/messages/conversation-id';
import { batchWriteAll, documentBatchWrite } from '../scripts/seed/batch-write';
import { DEFAULT_PAGE_SIZE } from '../shared/messages';
import { newMessageUuid } from '../shared/message-uuid';
import { type Person } from '../shared/model';
import { messageGroupItem, messageItem } from '../core/messages/items';
import { RequestCounter, type BenchCloud } from './cloud';
import { count, ms, readUnits, type BenchResult } from './report';
import { benchMessageService } from './service';
import { interleaved, type Latency } from './timing';

const TARGET_RATIO = 1.5;
const DAY = 86_400_000;

/**
 * Benchmark 4: Pattern B's first page (the 50 most recent conversations) for someone with 10
 * conversations vs someone with 1,000. One Query on the person's partition, newest reply first
 * with a Limit, should not grow with how many conversations lie further back.
 */
export async function patternBFirstPage(cloud: BenchCloud): Promise<BenchResult> {
  const few = await personWithConversations(cloud, 10);
  const many = await personWithConversations(cloud, 1_000);
  const db = cloud.newClient();
  const requests = new RequestCounter(db);
  const service = benchMessageService(db, cloud.tableName);
  const firstPage = async (person: Person, conversations: number, limit = DEFAULT_PAGE_SIZE) => {
    const page = await service.listConversations(person, { limit });
    if (page.items.length !== Math.min(limit, conversations)) {
      throw new Error(`Pattern B's first page has ${page.items.length} conversations`);
    }
    return page;
  };
  // The app's page size, and pages of 10 for both, so one pair differs only in what lies beyond the page.
  const latency = await interleaved(
    {
      few: () => firstPage(few, 10),
      many: () => firstPage(many, 1_000),
      manyTen: () => firstPage(many, 1_000, 10),
    },
    { warmup: 30, rounds: 300 },
  );
  const row = async (person: Person, conversations: number, limit: number, measured: Latency) => {
    requests.reset();
    const page = await firstPage(person, conversations, limit);
    return [
      `${count(conversations)} conversations`,
      String(limit),
      count(page.items.length),
      requests.describe(),
      readUnits(page.consumed_capacity),
      count(measured.samples),
      ms(measured.p50),
      ms(measured.p95),
    ];
  };
  const ratio = latency.manyTen.p50 / latency.few.p50;
  return {
    title: `Pattern B, first page (${DEFAULT_PAGE_SIZE} most recent conversations) vs how many a person has`,
    headers: ['person with', 'limit', 'listed', 'requests per call', 'read units', 'calls', 'p50', 'p95'],
    rows: [
      await row(few, 10, DEFAULT_PAGE_SIZE, latency.few),
      await row(many, 1_000, DEFAULT_PAGE_SIZE, latency.many),
      await row(many, 1_000, 10, latency.manyTen),
    ],
    ratios: [
      { label: 'p50, 1,000 ÷ 10 conversations, 10 listed each', value: ratio },
      {
        label: 'p95, 1,000 ÷ 10 conversations, 10 listed each',
        value: latency.manyTen.p95 / latency.few.p95,
      },
      {
        label: `p50, 1,000 ÷ 10 conversations, the app's page (50 vs 10 listed)`,
        value: latency.many.p50 / latency.few.p50,
      },
    ],
    target: `listing 10 of 1,000 conversations within ${TARGET_RATIO}× the p50 of listing 10 of 10`,
    meets: ratio <= TARGET_RATIO,
  };
}

/**
 * A new person with `conversations` group items, as Pattern E leaves them (one per conversation,
 * pointing at its last message), last replies spread over two years. Only the person's own group
 * items are written: Pattern B reads nothing else.
 */
async function personWithConversations(cloud: BenchCloud, conversations: number): Promise<Person> {
  const label = `bench${conversations}`;
  const me: Person = { uuid: randomUUID(), handle: label, display_name: `Bench ${conversations}` };
  const now = Date.now();
  const groupItems = Array.from({ length: conversations }, (_, index) => {
    const other: Person = {
      uuid: randomUUID(),
      handle: `${label}_${index}`,
      display_name: `Contact ${index}`,
    };
    const groupUuid = conversationUuidFor(me.uuid, other.uuid);
    const at = now - Math.floor((index / conversations) * 730 * DAY);
    const last = messageItem(
      groupUuid,
      other,
      newMessageUuid(at),
      `last message ${index}`,
      new Date(at).toISOString(),
    );
    return { PutRequest: { Item: messageGroupItem(groupUuid, me, other, last) } };
  });
  await batchWriteAll(documentBatchWrite(cloud.db), cloud.tableName, groupItems);
  return me;
}
