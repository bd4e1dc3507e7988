import { ManualRateLimitClock } from './manual-rate-limit-clock';
import type { RateLimitLease } from './rate-limit-lease';
import type { RateLimiterOptions } from './rate-limit-options';
import { SlidingWindowLimiter } from './sliding-window-limiter';

function manualLimiter(options: Omit<RateLimiterOptions, 'clock'>): {
  clock: ManualRateLimitClock;
  limiter: SlidingWindowLimiter;
} {
  const clock = new ManualRateLimitClock();
  return { clock, limiter: new SlidingWindowLimiter({ ...options, clock }) };
}

function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

const ONE_PER_SECOND = { rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] };

describe('SlidingWindowLimiter leases: a grant holds its slot until the answer, plus one window', () => {
  it('keeps the slot while the request is in flight, however long, and frees it one window after the answer', async () => {
    const { clock, limiter } = manualLimiter(ONE_PER_SECOND);
    const lease = present(limiter.tryAcquireLease('getQuote'));
    await clock.advanceTo(7_000);
    // A stalled broker: 7 s without an answer. Without the lease the slot would have freed at 1000.
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    expect(limiter.usage().rules[0]).toMatchObject({ used: 1, held: 1 });
    lease.settle('answered');
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    await clock.advanceTo(7_999);
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    await clock.advanceTo(8_000);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
  });

  it('costs a healthy broker only the round trip: the next grant comes one window after the answer', async () => {
    const { clock, limiter } = manualLimiter(ONE_PER_SECOND);
    const first = present(limiter.tryAcquireLease('getQuote'));
    let grantedAt: number | undefined;
    limiter.acquireLease('getQuote', { timeoutMs: Infinity }).then((lease) => {
      grantedAt = clock.now();
      lease?.settle('answered');
    });
    await clock.advanceTo(3);
    first.settle('answered');
    await clock.advanceTo(2_000);
    expect(grantedAt).toBe(1_003);
  });

  it('wakes a waiter when a held grant is released, without any timer of its own', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 1, windowMs: 1000 }],
      maxInFlight: 1,
    });
    const first = present(limiter.tryAcquireLease('getQuote'));
    first.settle('unsent');
    const second = present(limiter.tryAcquireLease('getQuote'));
    let granted: RateLimitLease | null | undefined;
    limiter.acquireLease('getQuote', { timeoutMs: Infinity }).then((lease) => (granted = lease));
    await clock.advanceBy(0);
    // Blocked by a request in flight: only its settle can help, so no wake-up timer is armed.
    expect(clock.pendingTimers).toBe(0);
    second.settle('answered');
    await clock.advanceTo(999);
    expect(granted).toBeUndefined();
    await clock.advanceTo(1_000);
    expect(granted).not.toBeNull();
    expect(granted).toBeDefined();
  });

  it('frees the slot at once when the request was never sent', () => {
    const { limiter } = manualLimiter(ONE_PER_SECOND);
    present(limiter.tryAcquireLease('getQuote')).settle('unsent');
    expect(limiter.tryAcquire('getQuote')).toBe(true);
  });

  it('ignores every settle after the first', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    const lease = present(limiter.tryAcquireLease('getQuote'));
    lease.settle('answered');
    lease.settle('unsent');
    lease.settle('abandoned');
    expect(lease.settled).toBe(true);
    expect(limiter.unanswered).toBe(0);
    expect(limiter.usage().rules[0]).toMatchObject({ used: 1, held: 0 });
    await clock.advanceTo(1_000);
    expect(limiter.usage().rules[0].used).toBe(0);
  });

  it('acquire() and tryAcquire() count a grant from now for one window (a lease answered at once)', async () => {
    const { clock, limiter } = manualLimiter(ONE_PER_SECOND);
    await expect(limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
    expect(limiter.usage().rules[0]).toMatchObject({ used: 1, held: 0 });
    await clock.advanceTo(1_000);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
  });
});

describe('SlidingWindowLimiter leases that end without an answer', () => {
  it('keeps an abandoned request in flight until an answer to a request sent after it proves it arrived', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    const abandoned = present(limiter.tryAcquireLease('getQuote'));
    const later = present(limiter.tryAcquireLease('getQuote'));
    await clock.advanceTo(5_000);
    abandoned.settle('abandoned');
    expect(limiter.unanswered).toBe(1);
    expect(limiter.usage().rules[0]).toMatchObject({ used: 2, held: 2 });
    // The broker resumes and answers the later request: the abandoned one was read before it.
    await clock.advanceTo(6_000);
    later.settle('answered');
    expect(limiter.unanswered).toBe(0);
    expect(limiter.usage().rules[0]).toMatchObject({ used: 2, held: 0 });
    await clock.advanceTo(6_999);
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    await clock.advanceTo(7_000);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
  });

  it('is not resolved by the answer to a request sent before it', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    const earlier = present(limiter.tryAcquireLease('getQuote'));
    await clock.advanceTo(10);
    const abandoned = present(limiter.tryAcquireLease('getQuote'));
    abandoned.settle('abandoned');
    earlier.settle('answered');
    expect(limiter.unanswered).toBe(1);
  });

  it('orders by send time when the request left later than its grant (markSent)', async () => {
    const { clock, limiter } = manualLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] });
    const slow = present(limiter.tryAcquireLease('placeOrder'));
    await clock.advanceTo(10);
    const quick = present(limiter.tryAcquireLease('getQuote'));
    quick.markSent();
    await clock.advanceTo(20);
    // Granted first, sent last (it waited for the channel): an answer to `quick` proves nothing about it.
    slow.markSent();
    expect(slow.sentAt).toBe(20);
    slow.settle('abandoned');
    quick.settle('answered');
    expect(limiter.unanswered).toBe(1);
  });

  it('is resolved by confirmProgress for a probe sent after it (a health check on the same connection)', async () => {
    const { clock, limiter } = manualLimiter(ONE_PER_SECOND);
    present(limiter.tryAcquireLease('getQuote')).settle('abandoned');
    await clock.advanceTo(100);
    const probeSentAt = limiter.now();
    limiter.confirmProgress(probeSentAt - 200);
    expect(limiter.unanswered).toBe(1);
    await clock.advanceTo(150);
    limiter.confirmProgress(probeSentAt);
    expect(limiter.unanswered).toBe(0);
    await clock.advanceTo(1_149);
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    await clock.advanceTo(1_150);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
  });

  it('gives up the hold after unansweredHoldMs when nothing proves the request arrived', async () => {
    const { clock, limiter } = manualLimiter({ ...ONE_PER_SECOND, unansweredHoldMs: 10_000 });
    let granted: boolean | undefined;
    present(limiter.tryAcquireLease('getQuote')).settle('abandoned');
    limiter.acquire('getQuote', { timeoutMs: Infinity }).then((ok) => (granted = ok));
    await clock.advanceTo(10_999);
    expect(granted).toBeUndefined();
    await clock.advanceTo(11_000);
    expect(granted).toBe(true);
    expect(limiter.unanswered).toBe(0);
  });

  it('close() counts abandoned requests as answered and clears their timers', async () => {
    const { clock, limiter } = manualLimiter(ONE_PER_SECOND);
    present(limiter.tryAcquireLease('getQuote')).settle('abandoned');
    expect(clock.pendingTimers).toBe(1);
    limiter.close();
    expect(clock.pendingTimers).toBe(0);
    expect(limiter.unanswered).toBe(0);
    expect(limiter.usage().rules[0]).toMatchObject({ used: 1, held: 0 });
  });
});

describe('SlidingWindowLimiter trading priority and reserve', () => {
  const options: Omit<RateLimiterOptions, 'clock'> = {
    rules: [{ id: 'requests', limit: 4, windowMs: 1000 }],
    priorityOperations: ['placeOrder', 'getOrderStatus'],
    priorityReserve: 0.5,
  };

  it('never lets reads take the reserved part; trading may use all of it', () => {
    const { limiter } = manualLimiter(options);
    expect([1, 2, 3].map(() => limiter.tryAcquire('getQuote'))).toEqual([true, true, false]);
    expect([1, 2, 3].map(() => limiter.tryAcquire('placeOrder'))).toEqual([true, true, false]);
    expect(limiter.usage().rules[0]).toMatchObject({ used: 4, reserved: 2 });
  });

  it('lets trading take unreserved room too, and then reads wait', () => {
    const { limiter } = manualLimiter(options);
    expect([1, 2, 3, 4].map(() => limiter.tryAcquire('placeOrder'))).toEqual([true, true, true, true]);
    expect(limiter.tryAcquire('getQuote')).toBe(false);
  });

  it('serves a waiting order before reads that queued earlier', async () => {
    const { clock, limiter } = manualLimiter({ ...options, priorityReserve: 0 });
    for (let i = 0; i < 4; i++) expect(limiter.tryAcquire('getQuote')).toBe(true);
    const order: string[] = [];
    for (const operation of ['getQuote', 'getQuote', 'placeOrder', 'getQuote']) {
      limiter
        .acquire(operation, { timeoutMs: Infinity })
        .then(() => order.push(`${operation}@${clock.now()}`));
    }
    await clock.advanceTo(2_000);
    expect(order).toEqual(['placeOrder@1000', 'getQuote@1000', 'getQuote@1000', 'getQuote@1000']);
  });

  it('does not let a read overtake a waiting order, even when the read would fit', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 3, windowMs: 1000 }],
      operations: { placeOrder: [{ rule: 'requests', weight: 2 }] },
      priorityOperations: ['placeOrder'],
    });
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    let placed: number | undefined;
    limiter.acquire('placeOrder').then(() => (placed = clock.now()));
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    await clock.advanceTo(1_000);
    expect(placed).toBe(1_000);
  });

  it('estimates a read behind queued orders and an order ahead of queued reads', async () => {
    const { clock, limiter } = manualLimiter({ ...options, priorityReserve: 0 });
    for (let i = 0; i < 4; i++) expect(limiter.tryAcquire('getQuote')).toBe(true);
    const queued = [
      ...Array.from({ length: 4 }, () => limiter.acquire('getQuote', { timeoutMs: Infinity })),
      ...Array.from({ length: 4 }, () => limiter.acquire('placeOrder', { timeoutMs: Infinity })),
    ];
    // Orders go first: the 4 queued orders take the slots at 1000, the 4 reads those at 2000.
    expect(limiter.estimateWaitMs('placeOrder')).toBe(2_000);
    expect(limiter.estimateWaitMs('getQuote')).toBe(3_000);
    limiter.close();
    await Promise.all(queued);
    await clock.advanceBy(0);
  });
});

describe('SlidingWindowLimiter in-flight bound', () => {
  it('never has more than maxInFlight requests in flight, whatever the rule allows', async () => {
    const { clock, limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 20, windowMs: 1000 }],
      maxInFlight: 2,
    });
    const a = present(limiter.tryAcquireLease('getQuote'));
    present(limiter.tryAcquireLease('getQuote'));
    expect(limiter.tryAcquireLease('getQuote')).toBeNull();
    expect(limiter.usage().rules.map(({ ruleId, used, held }) => [ruleId, used, held])).toEqual([
      ['requests', 2, 2],
      ['in-flight', 2, 2],
    ]);
    a.settle('answered');
    expect(limiter.tryAcquireLease('getQuote')).not.toBeNull();
    await clock.advanceBy(0);
  });

  it('counts abandoned requests as in flight until they are resolved', () => {
    const { limiter } = manualLimiter({
      rules: [{ id: 'requests', limit: 20, windowMs: 1000 }],
      maxInFlight: 1,
    });
    present(limiter.tryAcquireLease('getQuote')).settle('abandoned');
    expect(limiter.tryAcquireLease('getQuote')).toBeNull();
    limiter.confirmProgress(limiter.now() + 1);
    expect(limiter.tryAcquireLease('getQuote')).not.toBeNull();
  });
});

describe('SlidingWindowLimiter health', () => {
  it('is always able to grant; a shared budget split statically reports so', () => {
    expect(manualLimiter(ONE_PER_SECOND).limiter.health()).toEqual({
      backend: 'memory',
      healthy: true,
      detail: 'kept in this process',
    });
    const split = new SlidingWindowLimiter({ ...ONE_PER_SECOND, share: 0.5 });
    expect(split.health()).toMatchObject({ backend: 'split', healthy: true });
    expect(split.usage().backend).toBe('split');
  });
});
