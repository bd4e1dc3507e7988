import { performance } from 'node:perf_hooks';
import Bottleneck from 'bottleneck';
import { RateLimiter as TokenBucketLimiter } from 'limiter';
import { RATE_LIMIT_PRESETS, RateLimitBackend, type RateLimitBackendSettings } from '@qts/rate-limit';
import { untilHealthy } from './backend-cost.bench';

/**
 * Rate limiters side by side under the KIS real rule (20 requests in any 1 s window), in real time:
 * - the qts limiter with the kis-real preset, in each backend (memory; local: a SQLite ledger file;
 *   redis): every grant is a lease answered after a simulated 1 ms round trip, so it holds its slot for
 *   the round trip plus the window, as broker calls do;
 * - the npm `limiter` package (token bucket, 20 tokens per second: capacity = rate, continuous refill);
 * - Bottleneck with minTime 50 ms (strict 1/rate spacing, as CCXT does), and with a reservoir of 20 refilled every second;
 * - the token bucket of the design seed (capacity = rate, continuous refill, a waiting caller polls every 10 ms).
 * Each run: DEMAND requests queued at t=0 against an idle limiter; the run ends at the last grant (or RUN_MS).
 */
const RULE_LIMIT = 20;
const WINDOW_MS = 1000;
const RUN_MS = 8000;
const DEMAND = 100;
/** Simulated broker round trip: a lease is answered this long after its grant. */
const ROUND_TRIP_MS = 1;

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

export interface Contender {
  name: string;
  create(): Promise<{ acquire: Acquire; stop(): Promise<void> | void }>;
}

/** The qts limiter of one backend: each grant a lease, answered one round trip later. */
function qtsContender(name: string, settings: () => RateLimitBackendSettings): Contender {
  return {
    name,
    async create() {
      const preset = RATE_LIMIT_PRESETS['kis-real'];
      const backend = new RateLimitBackend(settings());
      const limiter = backend.createLimiter({
        name: 'bench',
        rules: preset.rules.map((rule) => ({ ...rule })),
        safetyMargin: { ...preset.safetyMargin },
        defaultTimeoutMs: 60_000,
        operations: { getQuote: [{ rule: 'requests' }] },
      });
      await untilHealthy(limiter);
      return {
        acquire: async () => {
          const lease = await limiter.acquireLease('getQuote');
          if (lease) setTimeout(() => lease.settle('answered'), ROUND_TRIP_MS);
          return lease;
        },
        stop: () => backend.close(),
      };
    },
  };
}

/** Every contender; the shared qts backends only where their ledger is available (`ledgers`). */
export function rateLimitContenders(ledgers: { ledgerPath: () => string; redisUrl?: string }): Contender[] {
  return [
    qtsContender('qts (kis-real), memory', () => ({ mode: 'memory' })),
    qtsContender('qts (kis-real), local ledger', () => ({ mode: 'local', ledgerPath: ledgers.ledgerPath() })),
    ...(ledgers.redisUrl === undefined
      ? []
      : [qtsContender('qts (kis-real), redis ledger', () => ({ mode: 'redis', redisUrl: ledgers.redisUrl, redisKeyPrefix: `bench-${Date.now()}` }))]),
    ...OTHER_CONTENDERS,
  ];
}

const OTHER_CONTENDERS: Contender[] = [
  {
    name: 'npm limiter (token bucket 20/s)',
    async create() {
      const bucket = new TokenBucketLimiter({ tokensPerInterval: RULE_LIMIT, interval: WINDOW_MS });
      return { acquire: () => bucket.removeTokens(1), stop: () => undefined };
    },
  },
  {
    name: 'Bottleneck minTime 50 ms (strict spacing)',
    async create() {
      const bottleneck = new Bottleneck({ minTime: WINDOW_MS / RULE_LIMIT });
      return {
        acquire: () => bottleneck.schedule(() => Promise.resolve()),
        stop: () => bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined),
      };
    },
  },
  {
    name: 'Bottleneck reservoir 20, refreshed every 1 s',
    async create() {
      const bottleneck = new Bottleneck({ reservoir: RULE_LIMIT, reservoirRefreshAmount: RULE_LIMIT, reservoirRefreshInterval: WINDOW_MS });
      return {
        acquire: () => bottleneck.schedule(() => Promise.resolve()),
        stop: () => bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined),
      };
    },
  },
  {
    name: "the seed's token bucket (10 ms polling)",
    async create() {
      const bucket = new SeedTokenBucket(RULE_LIMIT, WINDOW_MS);
      return { acquire: () => bucket.acquire(), stop: () => undefined };
    },
  },
];

/** The design seed's RateLimiter (a Python token bucket), ported as written: refill on each try, sleep 10 ms between tries. */
class SeedTokenBucket {
  private tokens: number;
  private lastUpdate = performance.now();

  constructor(
    private readonly rate: number,
    private readonly perMs: number,
  ) {
    this.tokens = rate;
  }

  async acquire(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.rate, this.tokens + (now - this.lastUpdate) * (this.rate / this.perMs));
    this.lastUpdate = now;
  }
}

export async function runLimiter(contender: Contender): Promise<LimiterRun> {
  const { acquire, stop } = await contender.create();
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

export const RATE_LIMIT_BENCH_SETTINGS = { RULE_LIMIT, WINDOW_MS, RUN_MS, DEMAND, ROUND_TRIP_MS };
