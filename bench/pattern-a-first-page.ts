import { DEFAULT_PAGE_SIZE } from '../shared/messages';
import { messagePk } from '../shared/model';
import { RequestCounter, type BenchCloud } from './cloud';
import type { BenchConversation } from './data';
import { count, ms, readUnits, type BenchResult } from './report';
import { scanConversation } from './scan';
import { benchMessageService } from './service';
import { interleaved, timed, type Latency } from './timing';

const TARGET_RATIO = 1.5;

/**
 * Benchmark 2: Pattern A's first page (newest 50) of a ~100-message conversation vs the
 * 100,000-message one. One Query on the conversation's partition, newest first with a Limit,
 * should cost the same whatever the size. The same page read with a Scan-and-filter is the
 * contrast: what a design without the conversation in the partition key would pay.
 */
export async function patternAFirstPage(
  cloud: BenchCloud,
  { small, big }: { small: BenchConversation; big: BenchConversation },
): Promise<BenchResult> {
  const db = cloud.newClient();
  const requests = new RequestCounter(db);
  const service = benchMessageService(db, cloud.tableName);
  /** Each read answers the read units it consumed. */
  const queryFirstPage = async ({ reader, groupUuid, messages }: BenchConversation) => {
    const page = await service.listMessages(reader, groupUuid);
    if (page.items.length !== Math.min(DEFAULT_PAGE_SIZE, messages)) {
      throw new Error(`Pattern A's first page of ${groupUuid} has ${page.items.length} messages`);
    }
    return page.consumed_capacity;
  };
  const scanFirstPage = async ({ groupUuid, messages }: BenchConversation) => {
    const scan = await scanConversation(db, cloud.tableName, messagePk(groupUuid));
    if (scan.items.length !== messages) throw new Error(`the Scan found ${scan.items.length} of ${messages}`);
    return scan.capacityUnits;
  };
  const costOf = async (read: () => Promise<number>) => {
    requests.reset();
    const units = await read();
    return { requests: requests.describe(), units };
  };

  const query = await interleaved(
    { small: () => queryFirstPage(small), big: () => queryFirstPage(big) },
    { warmup: 30, rounds: 300 },
  );
  // Counted after the timing, when membership is cached, as in the app's steady state.
  const smallCost = await costOf(() => queryFirstPage(small));
  const bigCost = await costOf(() => queryFirstPage(big));
  // The Scan reads the whole table whichever conversation it filters for, and DynamoDB Local
  // takes about a minute for it: timed once, for the small conversation.
  const scan = await timed(() => costOf(() => scanFirstPage(small)));

  const ratio = query.big.p50 / query.small.p50;
  const queryRow = (messages: number, cost: { requests: string; units: number }, timing: Latency) => [
    'Pattern A Query',
    count(messages),
    cost.requests,
    readUnits(cost.units),
    count(timing.samples),
    ms(timing.p50),
    ms(timing.p95),
  ];
  return {
    title: `Pattern A, first page (newest ${DEFAULT_PAGE_SIZE}) vs conversation size`,
    headers: ['read', 'messages', 'requests per call', 'read units', 'calls', 'p50', 'p95'],
    rows: [
      queryRow(small.messages, smallCost, query.small),
      queryRow(big.messages, bigCost, query.big),
      [
        'Scan + filter',
        count(small.messages),
        scan.value.requests,
        readUnits(scan.value.units),
        '1',
        ms(scan.ms),
        '-',
      ],
    ],
    ratios: [
      { label: 'Pattern A p50, 100,000 ÷ ~100 messages', value: ratio },
      { label: 'Pattern A p95, 100,000 ÷ ~100 messages', value: query.big.p95 / query.small.p95 },
      {
        label: 'read units, Scan + filter ÷ Pattern A (~100 messages)',
        value: scan.value.units / smallCost.units,
      },
      { label: 'time, Scan + filter ÷ Pattern A p50 (~100 messages)', value: scan.ms / query.small.p50 },
    ],
    target: `the first page of 100,000 messages within ${TARGET_RATIO}× the p50 of one of ~100 (cost independent of size)`,
    meets: ratio <= TARGET_RATIO,
    notes: [
      "read units follow DynamoDB's rules (a Scan pays for every item it reads, before the filter), so that ratio carries over to AWS; " +
        'DynamoDB Local scans far slower per MB than AWS does, so the time ratio does not',
    ],
  };
}
