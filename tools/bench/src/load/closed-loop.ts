import { performance } from 'node:perf_hooks';

/** What a closed-loop run measured. */
export interface LoadResult {
  /** Calls completed per second of the run (failed ones included in `errors`, not here). */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  errors: number;
  /** The first few failures, to explain a run with errors. */
  sampleErrors: string[];
}

/**
 * Keeps `inFlight` calls outstanding for `durationMs` (each worker loop starts its next call when the previous one
 * ends: a closed loop, as a pool of client threads), and measures throughput and latency percentiles of the calls
 * that succeeded.
 */
export async function runClosedLoop(call: (index: number) => Promise<unknown>, inFlight: number, durationMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const sampleErrors: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const until = started + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const index = next++;
      const t0 = performance.now();
      try {
        await call(index);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        if (sampleErrors.length < 3) sampleErrors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  const elapsedS = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    completed: latencies.length,
    errors,
    sampleErrors,
  };
}

/** The value below which a share `q` of a sorted sample lies (nearest rank); NaN for an empty sample. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
