import { availableParallelism, loadavg } from 'node:os';
import { DYNAMODB_LOCAL_JAVA_OPTIONS } from '../scripts/local/dynamodb';
import { apiAgainstDirect } from './api';
import { cacheBenchmarks } from './cache';
import { startBenchCloud } from './cloud';
import { chromiumConversation } from './chromium-conversation';
import { benchConversations } from './data';
import { peakRssBytes } from './memory';
import { patternAFirstPage } from './pattern-a-first-page';
import { patternAPaging } from './pattern-a-paging';
import { patternBFirstPage } from './pattern-b-first-page';
import { formatResult, formatTable, mib, seconds, type BenchResult } from './report';
import { rendererBundle } from './renderer-bundle';
import { requestsPerAction } from './requests-per-action';
import { seedThroughput } from './seed-throughput';
import { timed } from './timing';
import { virtualList } from './virtual-list';

/**
 * `npm run bench`: starts its own DynamoDB Local, runs every benchmark, prints the figures and
 * the side-by-side ratios, and stops what it started. A missed target is printed, not fatal;
 * only a broken benchmark (wrong results, a component that fails) exits non-zero.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const { ms: startMs, value: cloud } = await timed(() => startBenchCloud());
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void cloud.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  console.log(
    `Cruddur benchmarks: DynamoDB Local ${cloud.endpoint} (ready in ${seconds(startMs)}), in memory, ` +
      `table ${cloud.tableName}, Node ${process.version}, ${availableParallelism()} CPUs, ` +
      `load average ${loadavg()[0]!.toFixed(1)}\n`,
  );
  let number = 0;
  const run = async (benchmark: () => Promise<BenchResult>) => {
    const { ms, value } = await timed(benchmark);
    console.log(`${formatResult(++number, value)}\n  (took ${seconds(ms)})\n`);
  };

  const memory: [string, number | undefined][] = [];
  try {
    const conversations = benchConversations();
    await run(() => seedThroughput(cloud));
    await run(() => patternAFirstPage(cloud, conversations));
    await run(() => patternAPaging(cloud, conversations.big));
    await run(() => patternBFirstPage(cloud));
    await run(() => requestsPerAction(cloud));
    const cache = cacheBenchmarks(cloud);
    try {
      await run(() => cache.switching());
      await run(() => cache.firstRows());
      await run(() => cache.files());
      await run(() => cache.startUp());
    } finally {
      await cache.dispose();
    }
    memory.push(
      ['bench (node), after the DynamoDB benchmarks', peakRssBytes()],
      ['DynamoDB Local (java)', cloud.javaPid === undefined ? undefined : peakRssBytes(cloud.javaPid)],
    );
  } finally {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    await cloud.stop();
  }
  // The renderer needs no DynamoDB: run after it has stopped, so it has the CPUs to itself.
  await run(virtualList);
  memory.push(['bench (node), after happy-dom + React', peakRssBytes()]);
  await run(rendererBundle);
  // Each its own local cloud (Cognito and PostgreSQL too, for the real sign-in), started and stopped inside.
  await run(apiAgainstDirect);
  await run(chromiumConversation);
  memory.push(['bench (node), at the end (with the builds and Chromium runs)', peakRssBytes()]);

  console.log('Memory (peak resident set, VmHWM)');
  console.log(
    formatTable(
      ['process', 'peak RSS'],
      memory.map(([process, bytes]) => [process, bytes === undefined ? 'n/a (no /proc)' : mib(bytes)]),
    ),
  );
  console.log(`  note: the local cloud starts DynamoDB Local's java with ${DYNAMODB_LOCAL_JAVA_OPTIONS}`);
  console.log(`\nTotal ${seconds(performance.now() - started)}; DynamoDB Local stopped.`);
}

main().catch((error: unknown) => {
  console.error(`bench: broken: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
