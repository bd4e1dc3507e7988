import { performance } from 'node:perf_hooks';
import Bottleneck from 'bottleneck';
import { RateLimiter as TokenBucketLimiter } from 'limiter';
import { RATE_LIMIT_PRESETS, SlidingWindowLimiter } from '@qts/rate-limit';
import { median } from './median';

/**
 * Rate limiters side by side under the KIS real rule (20 requests in any 1 s window), in real time:
 * - qts SlidingWindowLimiter with the kis-real preset (50 ms safety margin);
 * - the npm `limiter` package (token bucket, 20 tokens per second: capacity = rate, continuous refill);
 * - Bottleneck with minTime 50 ms (strict 1/rate spacing, as CCXT does).
 * Each run: DEMAND requests queued at t=0 against an idle limiter; the run ends at the last grant (or RUN_MS).
 */
const RULE_LIMIT = 20;
const WINDOW_MS = 1000;
const RUN_MS = 8000;
const DEMAND = 100;

export interface LimiterRun {
  /** Grants in the most crowded 1 s window (what the broker counts). */
  maxInWindow: number;
  /** Time from the first request to the 20th grant: how long an idle client's burst waits. */
  burstMs: number;
  /** Time from the first request to the last of the DEMAND grants. */
  backlogMs: number;
  /** (DEMAND - 20) grants divided by the time between the 20th and the last grant: the sustained rate. */
  sustainedPerSecond: number;
}

type Acquire = () => Promise<unknown>;

interface Contender {
  name: string;
  create(): { acquire: Acquire; stop(): Promise<void> | void };
}

export const RATE_LIMIT_CONTENDERS: Contender[] = [
  {
    name: 'qts SlidingWindowLimiter (kis-real)',
    create() {
      const preset = RATE_LIMIT_PRESETS['kis-real'];
      const limiter = new SlidingWindowLimiter({
        rules: preset.rules.map((rule) => ({ ...rule })),
        safetyMargin: { ...preset.safetyMargin },
        defaultTimeoutMs: 60_000,
        operations: { getQuote: [{ rule: 'requests' }] },
      });
      return { acquire: () => limiter.acquire('getQuote'), stop: () => limiter.close() };
    },
  },
  {
    name: 'npm limiter (token bucket 20/s)',
    create() {
      const bucket = new TokenBucketLimiter({ tokensPerInterval: RULE_LIMIT, interval: WINDOW_MS });
      return { acquire: () => bucket.removeTokens(1), stop: () => undefined };
    },
  },
  {
    name: 'Bottleneck minTime 50 ms (strict spacing)',
    create() {
      const bottleneck = new Bottleneck({ minTime: WINDOW_MS / RULE_LIMIT });
      return {
        acquire: () => bottleneck.schedule(() => Promise.resolve()),
        stop: () => bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined),
      };
    },
  },
];

export async function runLimiter(contender: Contender): Promise<LimiterRun> {
  const { acquire, stop } = contender.create();
  const grants: number[] = [];
  const start = performance.now();
  for (let i = 0; i < DEMAND; i += 1) {
    void acquire().then(
      () => grants.push(performance.now() - start),
      () => undefined,
    );
  }
  const deadline = start + RUN_MS;
  while (grants.length < DEMAND && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await stop();
  const inRun = grants.filter((at) => at <= RUN_MS).sort((a, b) => a - b);
  return {
    maxInWindow: maxInAnyWindow(inRun, WINDOW_MS),
    burstMs: inRun[RULE_LIMIT - 1] ?? Number.POSITIVE_INFINITY,
    backlogMs: inRun.length === DEMAND ? (inRun[DEMAND - 1] as number) : Number.POSITIVE_INFINITY,
    sustainedPerSecond: sustainedRate(inRun),
  };
}

/** Largest number of grants inside any half-open window [t, t + windowMs). */
export function maxInAnyWindow(sortedGrants: readonly number[], windowMs: number): number {
  let best = 0;
  let first = 0;
  for (let last = 0; last < sortedGrants.length; last += 1) {
    while ((sortedGrants[last] as number) - (sortedGrants[first] as number) >= windowMs) first += 1;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

function sustainedRate(sortedGrants: readonly number[]): number {
  if (sortedGrants.length <= RULE_LIMIT) return 0;
  const spanMs = (sortedGrants[sortedGrants.length - 1] as number) - (sortedGrants[RULE_LIMIT - 1] as number);
  return ((sortedGrants.length - RULE_LIMIT) / spanMs) * 1000;
}

export interface OverheadRun {
  name: string;
  nsPerCall: number;
}

/** Cost of an uncontended permit (a rule far from its limit), median ns per call. */
export async function measureOverhead(repetitions: number): Promise<OverheadRun[]> {
  const calls = 100_000;
  const samples = { tryAcquire: [] as number[], acquire: [] as number[] };
  for (let r = 0; r < repetitions; r += 1) {
    const limiter = new SlidingWindowLimiter({ rules: [{ id: 'r', limit: 10_000_000, windowMs: 1000 }] });
    let t0 = performance.now();
    for (let i = 0; i < calls; i += 1) limiter.tryAcquire('op');
    samples.tryAcquire.push(((performance.now() - t0) * 1e6) / calls);
    t0 = performance.now();
    for (let i = 0; i < calls; i += 1) await limiter.acquire('op');
    samples.acquire.push(((performance.now() - t0) * 1e6) / calls);
    limiter.close();
  }
  return [
    { name: 'tryAcquire (uncontended)', nsPerCall: median(samples.tryAcquire) },
    { name: 'await acquire (uncontended)', nsPerCall: median(samples.acquire) },
  ];
}

export const RATE_LIMIT_BENCH_SETTINGS = { RULE_LIMIT, WINDOW_MS, RUN_MS, DEMAND };
