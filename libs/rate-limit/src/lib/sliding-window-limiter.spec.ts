import { ManualRateLimitClock } from './manual-rate-limit-clock';
import type { RateLimitClock, RateLimitTimerHandle } from './rate-limit-clock';
import { RateLimitConfigError } from './rate-limit-config-error';
import type { RateLimiterOptions } from './rate-limit-options';
import { SlidingWindowLimiter } from './sliding-window-limiter';

/** Grants a limiter makes when `demand` acquires are all requested at once, with their settle times. */
async function settleTimes(
  clock: ManualRateLimitClock,
  promises: Promise<boolean>[],
): Promise<{ granted: number[]; refused: number[] }> {
  const granted: number[] = [];
  const refused: number[] = [];
  for (const promise of promises) promise.then((ok) => (ok ? granted : refused).push(clock.now()));
  await clock.advanceBy(0);
  return { granted, refused };
}

function manualLimiter(options: Omit<RateLimiterOptions, 'clock'>): {
  clock: ManualRateLimitClock;
  limiter: SlidingWindowLimiter;
} {
  const clock = new ManualRateLimitClock();
  return { clock, limiter: new SlidingWindowLimiter({ ...options, clock }) };
}

describe('SlidingWindowLimiter with the default clock under jest fake timers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('grants 10 acquires within a 10 per second limit', async () => {
    const limiter = new SlidingWindowLimiter({ rules: [{ id: 'requests', limit: 10, windowMs: 1000 }] });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => limiter.acquire('any', { timeoutMs: 100 })),
    );
    expect(results).toEqual(Array(10).fill(true));
    limiter.close();
  });

  it('refuses at once, with timeout 0, the acquire that exceeds the limit', async () => {
    const limiter = new SlidingWindowLimiter({ rules: [{ id: 'requests', limit: 5, windowMs: 1000 }] });
    for (let i = 0; i < 5; i++) await expect(limiter.acquire('any', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(limiter.acquire('any', { timeoutMs: 0 })).resolves.toBe(false);
    expect(limiter.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives permits back exactly as the grants they replace leave the window', async () => {
    // A token bucket would give "about 5 back after half a window". A sliding window returns
    // nothing early: the 5 permits taken at t=0 come back at t=1000, the 5 taken at t=500 at t=1500.
    const limiter = new SlidingWindowLimiter({ rules: [{ id: 'requests', limit: 10, windowMs: 1000 }] });
    const takeAll = (): number => {
      let taken = 0;
      while (limiter.tryAcquire('any')) taken++;
      return taken;
    };
    for (let i = 0; i < 5; i++) expect(limiter.tryAcquire('any')).toBe(true);
    jest.advanceTimersByTime(500);
    for (let i = 0; i < 5; i++) expect(limiter.tryAcquire('any')).toBe(true);
    expect(takeAll()).toBe(0);
    jest.advanceTimersByTime(499);
    expect(takeAll()).toBe(0);
    jest.advanceTimersByTime(1);
    expect(takeAll()).toBe(5);
    jest.advanceTimersByTime(499);
    expect(takeAll()).toBe(0);
    jest.advanceTimersByTime(1);
    expect(takeAll()).toBe(5);
  });

  it('wakes a waiter with the global timers when its permit frees up', async () => {
    const limiter = new SlidingWindowLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    expect(limiter.tryAcquire('any')).toBe(true);
    let settled: boolean | undefined;
    limiter.acquire('any', { timeoutMs: 5000 }).then((ok) => (settled = ok));
    await jest.advanceTimersByTimeAsync(999);
    expect(settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('SlidingWindowLimiter bursts and sustained rate', () => {
  it('grants a burst of N from idle in the same tick, without advancing time', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 20, windowMs: 1000 }] });
    const { granted } = await settleTimes(
      clock,
      Array.from({ length: 21 }, () => limiter.acquire('any')),
    );
    expect(granted).toEqual(Array(20).fill(0));
    expect(limiter.waiting).toBe(1);
    limiter.close();
  });

  it('sustains the effective N per window under continuous demand (no margin)', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 20, windowMs: 1000 }] });
    const grants: number[] = [];
    let demanding = true;
    const worker = async (): Promise<void> => {
      while (demanding) {
        if (await limiter.acquire('any', { timeoutMs: Infinity })) grants.push(clock.now());
      }
    };
    const workers = Array.from({ length: 30 }, () => worker());
    await clock.advanceTo(20_000 - 1);
    demanding = false;
    limiter.close();
    await Promise.all(workers);
    // 20 windows of 1000 ms: exactly 20 grants per window, i.e. 100% of N/W (>= 97% required).
    expect(grants.length).toBeGreaterThanOrEqual(0.97 * 20 * 20);
    expect(grants.length).toBe(400);
  });

  it('sustains the effective N per effective window with share and safety margin', async () => {
    // Effective limit floor(20 * 0.5 * 0.9) = 9, window 1000 + 50 ms.
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 20, windowMs: 1000 }],
      share: 0.5,
      safetyMargin: { ratio: 0.1, ms: 50 },
    });
    let count = 0;
    let demanding = true;
    const worker = async (): Promise<void> => {
      while (demanding) if (await limiter.acquire('any', { timeoutMs: Infinity })) count++;
    };
    const workers = Array.from({ length: 12 }, () => worker());
    await clock.advanceTo(20 * 1050 - 1);
    demanding = false;
    limiter.close();
    await Promise.all(workers);
    expect(count).toBeGreaterThanOrEqual(0.97 * 9 * 20);
    expect(count).toBe(180);
  });
});

describe('SlidingWindowLimiter compared with a token bucket under a 20/s rule', () => {
  /** A token bucket (capacity = rate, continuous refill), kept here only as the reference to beat. */
  class ReferenceTokenBucket {
    private tokens: number;
    private last = 0;
    constructor(private readonly rate: number) {
      this.tokens = rate;
    }
    tryTake(now: number): boolean {
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
      if (this.tokens < 1) return false;
      this.tokens -= 1;
      return true;
    }
  }

  function maxInAnyWindow(times: number[], windowMs: number): number {
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= windowMs) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  it('never grants more than 20 in any 1 s window, where a token bucket of capacity 20 grants 39', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 20, windowMs: 1000 }] });
    const bucket = new ReferenceTokenBucket(20);
    const limiterGrants: number[] = [];
    const bucketGrants: number[] = [];
    // Demand every millisecond for 3 s: both start full, so both burst, then refill differently.
    for (let t = 0; t < 3000; t++) {
      if (limiter.tryAcquire('any')) limiterGrants.push(t);
      if (bucket.tryTake(t)) bucketGrants.push(t);
      await clock.advanceBy(1);
    }
    expect(maxInAnyWindow(limiterGrants, 1000)).toBe(20);
    expect(maxInAnyWindow(bucketGrants, 1000)).toBe(39);
  });
});

describe('SlidingWindowLimiter rules, weights and linked limits', () => {
  it('applies share and safety margin ratio: max(1, floor(limit * share * (1 - ratio)))', () => {
    const { limiter } = manualLimiter({
      rules: [
        { id: 'a', limit: 20, windowMs: 1000 },
        { id: 'b', limit: 2, windowMs: 1000 },
      ],
      share: 0.5,
      safetyMargin: { ratio: 0.1 },
    });
    expect(limiter.usage().rules.map((rule) => [rule.ruleId, rule.limit, rule.configuredLimit])).toEqual([
      ['a', 9, 20],
      ['b', 1, 2],
    ]);
  });

  it('pads each window by the safety margin ms', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 1, windowMs: 1000 }],
      safetyMargin: { ms: 50 },
    });
    expect(limiter.tryAcquire('any')).toBe(true);
    await clock.advanceTo(1049);
    expect(limiter.tryAcquire('any')).toBe(false);
    await clock.advanceTo(1050);
    expect(limiter.tryAcquire('any')).toBe(true);
    expect(limiter.usage().rules[0]).toMatchObject({ windowMs: 1000, effectiveWindowMs: 1050 });
  });

  it('charges an operation its weight', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 10, windowMs: 1000 }],
      operations: { getCandles: [{ rule: 'requests', weight: 4 }] },
    });
    expect(limiter.tryAcquire('getCandles')).toBe(true);
    expect(limiter.tryAcquire('getCandles')).toBe(true);
    expect(limiter.tryAcquire('getCandles')).toBe(false);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    expect(limiter.usage().rules[0].used).toBe(10);
    await clock.advanceTo(1000);
    expect(limiter.usage().rules[0].used).toBe(0);
  });

  it('records a linked operation on all its rules at once, or on none', () => {
    const { limiter } = manualLimiter({
      rules: [
        { id: 'requests', limit: 3, windowMs: 1000 },
        { id: 'token', limit: 1, windowMs: 60_000 },
      ],
      operations: { issueToken: [{ rule: 'requests' }, { rule: 'token' }] },
      defaultCosts: [{ rule: 'requests' }],
    });
    expect(limiter.tryAcquire('issueToken')).toBe(true);
    expect(limiter.usage().rules.map((rule) => rule.used)).toEqual([1, 1]);
    // The token rule refuses: nothing may be recorded on requests either.
    expect(limiter.tryAcquire('issueToken')).toBe(false);
    expect(limiter.usage().rules.map((rule) => rule.used)).toEqual([1, 1]);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    expect(limiter.tryAcquire('getQuote')).toBe(false);
  });

  it('counts an unlisted operation against every rule when no defaultCosts are given', () => {
    const { limiter } = manualLimiter({
      rules: [
        { id: 'a', limit: 5, windowMs: 1000 },
        { id: 'b', limit: 2, windowMs: 1000 },
      ],
    });
    expect(limiter.tryAcquire('x')).toBe(true);
    expect(limiter.usage().rules.map((rule) => rule.used)).toEqual([1, 1]);
  });

  it('refuses at construction a weight that can never fit the effective limit', () => {
    const build = (): SlidingWindowLimiter =>
      new SlidingWindowLimiter({
        rules: [{ id: 'requests', limit: 4, windowMs: 1000 }],
        share: 0.5,
        operations: { bulk: [{ rule: 'requests', weight: 3 }] },
      });
    expect(build).toThrow(RateLimitConfigError);
    expect(build).toThrow("operations.bulk[0].weight 3 exceeds the effective limit 2 of rule 'requests'");
  });
});

describe('SlidingWindowLimiter queueing', () => {
  it('serves waiters on a rule in arrival order', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    const order: string[] = [];
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      limiter.acquire('any').then(() => order.push(`${id}@${clock.now()}`));
    }
    await clock.advanceTo(2000);
    expect(order).toEqual(['a@0', 'b@0', 'c@1000', 'd@1000', 'e@2000']);
  });

  it('does not let a light waiter overtake a heavy one on the same rule', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 3, windowMs: 1000 }],
      operations: { heavy: [{ rule: 'requests', weight: 3 }] },
    });
    expect(limiter.tryAcquire('light')).toBe(true);
    const order: string[] = [];
    limiter.acquire('heavy').then(() => order.push(`heavy@${clock.now()}`));
    limiter.acquire('light').then(() => order.push(`light@${clock.now()}`));
    expect(limiter.tryAcquire('light')).toBe(false);
    await clock.advanceTo(2000);
    expect(order).toEqual(['heavy@1000', 'light@2000']);
  });

  it('does not block waiters on unrelated rules behind a waiting one (no head-of-line blocking)', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [
        { id: 'queries', limit: 1, windowMs: 1000 },
        { id: 'orders', limit: 1, windowMs: 1000 },
      ],
      operations: { placeOrder: [{ rule: 'orders' }] },
      defaultCosts: [{ rule: 'queries' }],
    });
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    const order: string[] = [];
    limiter.acquire('getQuote').then(() => order.push(`query@${clock.now()}`));
    limiter.acquire('placeOrder').then(() => order.push(`order@${clock.now()}`));
    await clock.advanceBy(0);
    expect(order).toEqual(['order@0']);
    expect(limiter.tryAcquire('placeOrder')).toBe(false);
    await clock.advanceTo(1000);
    expect(order).toEqual(['order@0', 'query@1000']);
  });

  it('blocks a later waiter that shares a rule with an earlier waiter through a linked operation', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [
        { id: 'requests', limit: 5, windowMs: 1000 },
        { id: 'token', limit: 1, windowMs: 60_000 },
      ],
      operations: { issueToken: [{ rule: 'requests' }, { rule: 'token' }] },
      defaultCosts: [{ rule: 'requests' }],
    });
    expect(limiter.tryAcquire('issueToken')).toBe(true);
    const order: string[] = [];
    limiter.acquire('issueToken', { timeoutMs: 100 }).then((ok) => order.push(`token:${ok}@${clock.now()}`));
    limiter.acquire('getQuote').then((ok) => order.push(`quote:${ok}@${clock.now()}`));
    await clock.advanceTo(99);
    expect(order).toEqual([]);
    await clock.advanceTo(100);
    expect(order).toEqual(['token:false@100', 'quote:true@100']);
  });

  it('blocks a waiter behind an earlier waiter that is itself blocked (sharing is transitive in the queue)', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [
        { id: 'r1', limit: 1, windowMs: 1000 },
        { id: 'r2', limit: 1, windowMs: 1000 },
      ],
      operations: { a: [{ rule: 'r1' }], b: [{ rule: 'r1' }, { rule: 'r2' }], c: [{ rule: 'r2' }] },
    });
    expect(limiter.tryAcquire('a')).toBe(true);
    const order: string[] = [];
    for (const operation of ['a', 'b', 'c']) {
      limiter
        .acquire(operation, { timeoutMs: Infinity })
        .then(() => order.push(`${operation}@${clock.now()}`));
    }
    // r2 is free, but b (waiting for r1 behind a) holds it: c may not overtake b.
    await clock.advanceBy(0);
    expect(order).toEqual([]);
    await clock.advanceTo(3000);
    expect(order).toEqual(['a@1000', 'b@2000', 'c@3000']);
  });

  it('tryAcquire never jumps the queue, even when the rule has room for it', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 4, windowMs: 1000 }],
      operations: { heavy: [{ rule: 'requests', weight: 4 }] },
    });
    expect(limiter.tryAcquire('light')).toBe(true);
    const heavy = limiter.acquire('heavy');
    expect(limiter.waiting).toBe(1);
    expect(limiter.tryAcquire('light')).toBe(false);
    await clock.advanceTo(1000);
    await expect(heavy).resolves.toBe(true);
    expect(limiter.tryAcquire('light')).toBe(false);
    await clock.advanceTo(2000);
    expect(limiter.tryAcquire('light')).toBe(true);
  });

  it('serves an overdue waiter before a newcomer when its timer is late', async () => {
    // The wake-up timer of a real event loop can fire late; time moves without the timer firing here.
    const clock = new ManualRateLimitClock();
    const lateClock: RateLimitClock = {
      now: () => clock.now(),
      setTimeout: () => 'never-fires',
      clearTimeout: () => undefined,
    };
    const limiter = new SlidingWindowLimiter({
      rules: [{ id: 'requests', limit: 1, windowMs: 1000 }],
      clock: lateClock,
    });
    expect(limiter.tryAcquire('any')).toBe(true);
    let first: boolean | undefined;
    limiter.acquire('any').then((ok) => (first = ok));
    await clock.advanceTo(1500);
    expect(first).toBeUndefined();
    expect(limiter.tryAcquire('any')).toBe(false);
    await clock.advanceBy(0);
    expect(first).toBe(true);
  });

  it('arms a single wake-up timer, for the earliest moment a waiter could proceed', async () => {
    const clock = new ManualRateLimitClock();
    const delays: number[] = [];
    const countingClock: RateLimitClock = {
      now: () => clock.now(),
      setTimeout: (callback, delayMs) => {
        delays.push(delayMs);
        return clock.setTimeout(callback, delayMs);
      },
      clearTimeout: (handle: RateLimitTimerHandle) => clock.clearTimeout(handle),
    };
    const limiter = new SlidingWindowLimiter({
      rules: [{ id: 'requests', limit: 2, windowMs: 1000 }],
      clock: countingClock,
    });
    expect(limiter.tryAcquire('any')).toBe(true);
    await clock.advanceTo(300);
    expect(limiter.tryAcquire('any')).toBe(true);
    const waiters = Array.from({ length: 3 }, () => limiter.acquire('any', { timeoutMs: Infinity }));
    // Three waiters, no timeouts: one timer, due when the t=0 grant leaves the window.
    expect(delays).toEqual([700]);
    await clock.advanceTo(1000);
    expect(delays).toEqual([700, 300]);
    await clock.advanceTo(2000);
    await expect(Promise.all(waiters)).resolves.toEqual([true, true, true]);
    expect(delays).toEqual([700, 300, 700]);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('SlidingWindowLimiter timeouts, aborts and close', () => {
  it('resolves false when the timeout passes, and removes the waiter', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    expect(limiter.tryAcquire('any')).toBe(true);
    let settled: boolean | undefined;
    limiter.acquire('any', { timeoutMs: 200 }).then((ok) => (settled = ok));
    await clock.advanceTo(199);
    expect(settled).toBeUndefined();
    await clock.advanceTo(200);
    expect(settled).toBe(false);
    expect(limiter.waiting).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('grants a waiter whose permit frees up exactly at its deadline', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    expect(limiter.tryAcquire('any')).toBe(true);
    const granted = limiter.acquire('any', { timeoutMs: 1000 });
    await clock.advanceTo(1000);
    await expect(granted).resolves.toBe(true);
  });

  it('uses defaultTimeoutMs when the caller gives none', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 1, windowMs: 60_000 }],
      defaultTimeoutMs: 500,
    });
    expect(limiter.tryAcquire('any')).toBe(true);
    let settled: boolean | undefined;
    limiter.acquire('any').then((ok) => (settled = ok));
    await clock.advanceTo(500);
    expect(settled).toBe(false);
  });

  it('waits 30 s by default', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 60_000 }] });
    expect(limiter.tryAcquire('any')).toBe(true);
    let settled: boolean | undefined;
    limiter.acquire('any').then((ok) => (settled = ok));
    await clock.advanceTo(29_999);
    expect(settled).toBeUndefined();
    await clock.advanceTo(30_000);
    expect(settled).toBe(false);
  });

  it('resolves false on abort, removes the waiter and lets later waiters proceed', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 2, windowMs: 1000 }],
      operations: { heavy: [{ rule: 'requests', weight: 2 }] },
    });
    expect(limiter.tryAcquire('any')).toBe(true);
    const controller = new AbortController();
    const settled: string[] = [];
    limiter.acquire('heavy', { signal: controller.signal }).then((ok) => settled.push(`heavy:${ok}`));
    limiter.acquire('light').then((ok) => settled.push(`light:${ok}`));
    await clock.advanceTo(10);
    expect(settled).toEqual([]);
    controller.abort();
    await clock.advanceBy(0);
    expect(settled).toEqual(['heavy:false', 'light:true']);
    expect(limiter.waiting).toBe(0);
  });

  it('resolves false at once for an already aborted signal', async () => {
    const { limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    await expect(limiter.acquire('any', { signal: AbortSignal.abort() })).resolves.toBe(false);
    expect(limiter.usage().rules[0].used).toBe(0);
  });

  it('removes its abort listener once settled', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    expect(limiter.tryAcquire('any')).toBe(true);
    const controller = new AbortController();
    const removeSpy = jest.spyOn(controller.signal, 'removeEventListener');
    const granted = limiter.acquire('any', { signal: controller.signal });
    await clock.advanceTo(1000);
    await expect(granted).resolves.toBe(true);
    expect(removeSpy).toHaveBeenCalledWith('abort', expect.any(Function));
    controller.abort();
    expect(limiter.usage().rules[0].used).toBe(1);
  });

  it('close() resolves pending acquires false, clears its timers and refuses later acquires', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    expect(limiter.tryAcquire('any')).toBe(true);
    const pending = [limiter.acquire('any'), limiter.acquire('any', { timeoutMs: Infinity })];
    expect(clock.pendingTimers).toBe(2);
    limiter.close();
    await expect(Promise.all(pending)).resolves.toEqual([false, false]);
    expect(clock.pendingTimers).toBe(0);
    expect(limiter.waiting).toBe(0);
    await clock.advanceTo(5000);
    await expect(limiter.acquire('any')).resolves.toBe(false);
    expect(limiter.tryAcquire('any')).toBe(false);
  });

  it('rejects an invalid timeout, naming it', async () => {
    const { limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    await expect(limiter.acquire('any', { timeoutMs: -1 })).rejects.toThrow(
      'timeoutMs must be a non-negative number',
    );
    await expect(limiter.acquire('any', { timeoutMs: Number.NaN })).rejects.toThrow(RangeError);
    expect(limiter.usage().rules[0].used).toBe(0);
  });

  it('treats a timeout beyond what timers can wait as no timeout', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    expect(limiter.tryAcquire('any')).toBe(true);
    const granted = limiter.acquire('any', { timeoutMs: 2 ** 40 });
    expect(clock.pendingTimers).toBe(1);
    await clock.advanceTo(1000);
    await expect(granted).resolves.toBe(true);
  });
});

describe('SlidingWindowLimiter usage() and estimateWaitMs()', () => {
  it('reports used, ratio and waiters per rule, and the highest ratio overall', async () => {
    const { clock, limiter } = manualLimiter({
      name: 'creon',
      rules: [
        { id: 'queries', limit: 4, windowMs: 1000 },
        { id: 'orders', limit: 2, windowMs: 1000 },
      ],
      operations: { placeOrder: [{ rule: 'orders' }] },
      defaultCosts: [{ rule: 'queries' }],
    });
    expect(limiter.usage()).toEqual({
      name: 'creon',
      backend: 'memory',
      ratio: 0,
      waiting: 0,
      unanswered: 0,
      rules: [
        {
          ruleId: 'queries',
          limit: 4,
          configuredLimit: 4,
          windowMs: 1000,
          effectiveWindowMs: 1000,
          reserved: 0,
          used: 0,
          held: 0,
          ratio: 0,
          waiters: 0,
        },
        {
          ruleId: 'orders',
          limit: 2,
          configuredLimit: 2,
          windowMs: 1000,
          effectiveWindowMs: 1000,
          reserved: 0,
          used: 0,
          held: 0,
          ratio: 0,
          waiters: 0,
        },
      ],
    });
    limiter.tryAcquire('getQuote');
    limiter.tryAcquire('placeOrder');
    limiter.tryAcquire('placeOrder');
    limiter.acquire('placeOrder');
    const usage = limiter.usage();
    expect(usage.ratio).toBe(1);
    expect(usage.waiting).toBe(1);
    expect(usage.rules.map(({ used, ratio, waiters }) => ({ used, ratio, waiters }))).toEqual([
      { used: 1, ratio: 0.25, waiters: 0 },
      { used: 2, ratio: 1, waiters: 1 },
    ]);
    limiter.close();
    await clock.advanceBy(0);
  });

  it('omits the name when none was given', () => {
    const { limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] });
    expect(limiter.usage()).not.toHaveProperty('name');
    expect(limiter.name).toBeUndefined();
    expect(limiter.rules).toEqual([
      { id: 'requests', limit: 1, configuredLimit: 1, windowMs: 1000, configuredWindowMs: 1000, reserved: 0 },
    ]);
  });

  it('estimates 0 with room, else the time until the oldest needed grant leaves the window', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    expect(limiter.estimateWaitMs('any')).toBe(0);
    limiter.tryAcquire('any');
    await clock.advanceTo(400);
    limiter.tryAcquire('any');
    await clock.advanceTo(700);
    expect(limiter.estimateWaitMs('any')).toBe(300);
  });

  it('estimates a wait behind queued waiters, as they will be served', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    limiter.tryAcquire('any');
    limiter.tryAcquire('any');
    const queued = [limiter.acquire('any'), limiter.acquire('any'), limiter.acquire('any')];
    // Two waiters take the permits freed at 1000, the third at 2000; a newcomer gets the one at 2000.
    expect(limiter.estimateWaitMs('any')).toBe(2000);
    const newcomer = limiter.acquire('any', { timeoutMs: Infinity });
    let grantedAt: number | undefined;
    newcomer.then(() => (grantedAt = clock.now()));
    await clock.advanceTo(3000);
    await Promise.all(queued);
    expect(grantedAt).toBe(2000);
  });

  it('ignores queued waiters on unrelated rules in the estimate', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [
        { id: 'queries', limit: 1, windowMs: 1000 },
        { id: 'orders', limit: 1, windowMs: 5000 },
      ],
      operations: { placeOrder: [{ rule: 'orders' }], amendOrder: [{ rule: 'orders' }, { rule: 'queries' }] },
      defaultCosts: [{ rule: 'queries' }],
    });
    limiter.tryAcquire('placeOrder');
    limiter.tryAcquire('getQuote');
    const queued = [limiter.acquire('placeOrder', { timeoutMs: Infinity }), limiter.acquire('getQuote')];
    // A query waits only for the queued query (granted at 1000): its own turn comes at 2000.
    expect(limiter.estimateWaitMs('getQuote')).toBe(2000);
    // An amend shares orders with the queued order (granted at 5000) and queries with the queued query.
    expect(limiter.estimateWaitMs('amendOrder')).toBe(10_000);
    limiter.close();
    await Promise.all(queued);
    await clock.advanceBy(0);
  });
});
