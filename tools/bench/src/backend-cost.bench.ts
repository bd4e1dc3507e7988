import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RateLimitBackend, type RateLimitBackendSettings, type RateLimiter } from '@qts/rate-limit';

/** Cost of one acquire, per backend, side by side. */
export interface AcquireCost {
  backend: string;
  calls: number;
  p50Us: number;
  p99Us: number;
}

/** A rule far from its limit: every acquire is granted at once, so only the decision is measured. */
const UNCONTENDED = { name: 'bench', rules: [{ id: 'requests', limit: 20, windowMs: 1_000 }] };

/**
 * Waits until a limiter can grant: a shared one has reached its ledger (first heartbeat), and a fresh Redis
 * ledger's fence has passed (nothing is granted for one owner TTL after a ledger is first seen). Outside
 * every measurement.
 */
export async function untilHealthy(limiter: RateLimiter): Promise<void> {
  for (let i = 0; i < 500 && !limiter.health().healthy; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  if (!limiter.health().healthy)
    throw new Error(`the ${limiter.health().backend} ledger is not reachable: ${limiter.health().detail}`);
  const first = await limiter.acquireLease('warm-up', { timeoutMs: 15_000 });
  if (!first) throw new Error(`the ${limiter.health().backend} ledger granted nothing`);
  first.settle('unsent');
}

/**
 * Latency of `acquireLease` for a request that gets its grant at once, then given back unsent, so the
 * ledger stays small and never makes the next acquire wait: the price every broker call pays.
 */
export async function measureAcquireCost(
  label: string,
  settings: RateLimitBackendSettings,
  calls: number,
): Promise<AcquireCost> {
  const backend = new RateLimitBackend(settings);
  const limiter = backend.createLimiter(UNCONTENDED);
  try {
    await untilHealthy(limiter);
    const samples: number[] = [];
    for (let i = 0; i < calls + 200; i++) {
      const started = performance.now();
      const lease = await limiter.acquireLease('getQuote', { timeoutMs: 10_000 });
      const elapsed = performance.now() - started;
      if (!lease) throw new Error(`${label}: no grant for an uncontended acquire`);
      lease.settle('unsent');
      // The first 200 warm the JIT and the connection; they are not reported.
      if (i >= 200) samples.push(elapsed * 1_000);
    }
    samples.sort((a, b) => a - b);
    return {
      backend: label,
      calls,
      p50Us: samples[Math.floor(samples.length * 0.5)] as number,
      p99Us: samples[Math.floor(samples.length * 0.99)] as number,
    };
  } finally {
    await backend.close();
  }
}

/** A temporary ledger file for the local backend. */
export function temporaryLedger(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ledger-'));
  return {
    path: join(dir, 'rate-limit.sqlite'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
