import { performance } from 'node:perf_hooks';
import { RateLimitBackend, type RateLimitBackendSettings } from '@qts/rate-limit';
import { untilHealthy } from './backend-cost.bench';

/**
 * One "replica" of the multi-process benchmark, run as its own process by multi-replica.bench.ts:
 *   node -r @swc-node/register tools/bench/src/replica-load.ts '<settings json>' <limit> <windowMs> <durationMs> <roundTripMs>
 * Keeps 8 requests waiting at all times; each grant is answered after a simulated round trip. Prints the
 * wall-clock times (ms) of its grants as one JSON line.
 */
async function main(): Promise<void> {
  const [settingsJson, limit, windowMs, durationMs, roundTripMs] = process.argv.slice(2);
  const settings = JSON.parse(settingsJson as string) as RateLimitBackendSettings;
  const backend = new RateLimitBackend(settings);
  const limiter = backend.createLimiter({
    name: 'bench',
    rules: [{ id: 'requests', limit: Number(limit), windowMs: Number(windowMs) }],
  });
  await untilHealthy(limiter);
  // Start together: every replica waits for the same wall-clock moment.
  const startAt = Number(process.env['BENCH_START_AT'] ?? Date.now());
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const grants: number[] = [];
  const endAt = startAt + Number(durationMs);
  const loop = async (): Promise<void> => {
    while (Date.now() < endAt) {
      const lease = await limiter.acquireLease('getQuote', { timeoutMs: Math.max(1, endAt - Date.now()) });
      if (!lease) continue;
      grants.push(performance.timeOrigin + performance.now());
      await new Promise((resolve) => setTimeout(resolve, Number(roundTripMs)));
      lease.settle('answered');
    }
  };
  await Promise.all(Array.from({ length: 8 }, loop));
  await backend.close();
  process.stdout.write(`${JSON.stringify({ grants })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
