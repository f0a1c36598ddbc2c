import { seedMessages, type SeedCounts, type SeedOptions } from '../scripts/seed/ddb-seed';
import { RequestCounter, type BenchCloud } from './cloud';
import { MANY_IN_FLIGHT, ONE_IN_FLIGHT, WARM_UP } from './data';
import { count, seconds, type BenchResult } from './report';
import { perSecond } from './timing';

const TARGET_RATIO = 2;

interface SeedRun {
  counts: SeedCounts;
  /** The DynamoDB requests it made, by command. */
  requests: string;
}

/**
 * Benchmark 1: the seed's write throughput with 8 BatchWriteItem calls in flight vs 1, in items
 * per second (so different sizes compare). The one-in-flight side runs in two halves, before and
 * after the big run, so a JVM still warming up or a busier machine weighs on both sides alike.
 * Everything written stays in the table for the read benchmarks.
 */
export async function seedThroughput(cloud: BenchCloud): Promise<BenchResult> {
  await warmUp(cloud);
  const db = cloud.newClient();
  const requests = new RequestCounter(db);
  const seed = async (options: SeedOptions): Promise<SeedRun> => {
    requests.reset();
    const counts = await seedMessages(db, cloud.tableName, options);
    return { counts, requests: requests.describe() };
  };
  const oneBefore = await seed(ONE_IN_FLIGHT[0]);
  const many = await seed(MANY_IN_FLIGHT);
  const oneAfter = await seed(ONE_IN_FLIGHT[1]);

  const rate = (runs: SeedRun[]) =>
    perSecond(
      runs.reduce((sum, run) => sum + run.counts.itemsWritten, 0),
      runs.reduce((sum, run) => sum + run.counts.durationMs, 0),
    );
  const row = (label: string, run: SeedRun) => [
    label,
    count(run.counts.messages),
    count(run.counts.itemsWritten),
    run.requests,
    count(run.counts.retries),
    seconds(run.counts.durationMs),
    count(rate([run])),
  ];
  const ratio = rate([many]) / rate([oneBefore, oneAfter]);
  return {
    title: 'Seeding (seedMessages: BatchWriteItem, 25 items a call)',
    headers: ['run (in order)', 'messages', 'items', 'requests', 'retries', 'time', 'items/s'],
    rows: [
      row('1 call in flight, first half', oneBefore),
      row('8 calls in flight', many),
      row('1 call in flight, second half', oneAfter),
    ],
    ratios: [{ label: 'items/s, 8 in flight ÷ 1 in flight (both halves)', value: ratio }],
    target: `8 calls in flight write at least ${TARGET_RATIO}× the items/s of 1 (round trips overlap)`,
    meets: ratio >= TARGET_RATIO,
    notes: [
      'items = messages + conversation items + group items; time includes the group-item pass',
      'DynamoDB Local does all storage work on one thread (its SQLiteQueue, seen in a thread dump): calls in flight ' +
        'overlap only HTTP and JSON work; on AWS the writes themselves spread over partitions',
    ],
  };
}

/**
 * An unmeasured seed (people of its own), so no measured run pays for a cold JVM. It stays in
 * the table: in DynamoDB Local, deleting a table with a stream slowed every later write to
 * another stream table about 9× (measured: ~960 → ~110 items/s).
 */
async function warmUp(cloud: BenchCloud): Promise<void> {
  await seedMessages(cloud.db, cloud.tableName, WARM_UP);
}
