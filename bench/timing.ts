/** Timing helpers shared by the benchmarks: elapsed time, percentiles, rates. */

export interface Latency {
  samples: number;
  p50: number;
  p95: number;
}

/** Milliseconds `work` took, with what it answered. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Nearest-rank percentile: always one of the measured values, never an interpolation. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const latencyOf = (samples: readonly number[]): Latency => ({
  samples: samples.length,
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
});

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

/**
 * Times every case once per round, round after round, after some unmeasured warm-up rounds: the
 * cases are measured side by side, so a JIT warming up, a GC pause or a cache filling up hits
 * all of them alike instead of skewing the ratio between them.
 */
export async function interleaved<K extends string>(
  cases: Record<K, () => Promise<unknown>>,
  { warmup, rounds }: { warmup: number; rounds: number },
): Promise<Record<K, Latency>> {
  const names = Object.keys(cases) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    for (const name of names) {
      const { ms } = await timed(cases[name]);
      if (round >= warmup) samples[name].push(ms);
    }
  }
  return Object.fromEntries(names.map((name) => [name, latencyOf(samples[name])])) as Record<K, Latency>;
}
