import fc from 'fast-check';
import { ManualRateLimitClock } from './manual-rate-limit-clock';
import { SlidingWindowCounter } from './sliding-window-counter';
import { SlidingWindowLimiter } from './sliding-window-limiter';

/**
 * The broker's view, modelled: one connection read in order, so a request arrives no earlier than
 * the one sent before it; a stalled broker (SIGSTOP) reads nothing until it resumes, then everything
 * queued at once. A request whose answer takes longer than the client's deadline is abandoned by
 * the client, but still arrives. The broker counts arrivals with the raw rule; it must never refuse.
 */
interface Scenario {
  limit: number;
  windowMs: number;
  deadlineMs: number;
  stalls: Array<{ at: number; forMs: number }>;
  requests: Array<{ at: number; toBrokerMs: number; backMs: number }>;
}

const FC_SEED = process.env['FC_SEED'] === undefined ? 20_261_201 : Number(process.env['FC_SEED']);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  limit: fc.integer({ min: 1, max: 5 }),
  windowMs: fc.integer({ min: 50, max: 1000 }),
  deadlineMs: fc.integer({ min: 30, max: 1500 }),
  stalls: fc.array(
    fc.record({ at: fc.integer({ min: 0, max: 4000 }), forMs: fc.integer({ min: 100, max: 7000 }) }),
    { maxLength: 2 },
  ),
  requests: fc.array(
    fc.record({
      at: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 6000 })),
      toBrokerMs: fc.integer({ min: 0, max: 30 }),
      backMs: fc.integer({ min: 0, max: 30 }),
    }),
    { minLength: 1, maxLength: 40 },
  ),
});

/** When a stalled broker gets to read something that reached it at `at`. */
function resumedAt(at: number, stalls: Scenario['stalls']): number {
  let t = at;
  for (let changed = true; changed;) {
    changed = false;
    for (const stall of stalls) {
      if (t >= stall.at && t < stall.at + stall.forMs) {
        t = stall.at + stall.forMs;
        changed = true;
      }
    }
  }
  return t;
}

async function play(scenario: Scenario): Promise<{ arrivals: number[]; granted: number }> {
  const clock = new ManualRateLimitClock();
  const limiter = new SlidingWindowLimiter({
    rules: [{ id: 'requests', limit: scenario.limit, windowMs: scenario.windowMs }],
    clock,
  });
  const arrivals: number[] = [];
  let lastArrival = 0;
  let granted = 0;
  for (const request of scenario.requests) {
    clock.setTimeout(() => {
      limiter.acquireLease('getQuote', { timeoutMs: Infinity }).then((lease) => {
        if (!lease) return;
        granted++;
        const sentAt = clock.now();
        const arrival = resumedAt(Math.max(sentAt + request.toBrokerMs, lastArrival), scenario.stalls);
        lastArrival = arrival;
        arrivals.push(arrival);
        const answerAt = arrival + request.backMs;
        if (answerAt - sentAt <= scenario.deadlineMs) {
          clock.setTimeout(() => lease.settle('answered'), answerAt - sentAt);
        } else {
          clock.setTimeout(() => {
            lease.settle('abandoned');
            // The gateway then probes the broker's health on the same connection; its answer proves
            // that everything sent before it has arrived.
            const probeSentAt = clock.now();
            const probeArrival = resumedAt(
              Math.max(probeSentAt + request.toBrokerMs, lastArrival),
              scenario.stalls,
            );
            lastArrival = probeArrival;
            clock.setTimeout(
              () => limiter.confirmProgress(probeSentAt),
              probeArrival + request.backMs - probeSentAt,
            );
          }, scenario.deadlineMs);
        }
      });
    }, request.at);
  }
  await clock.advanceTo(200_000);
  limiter.close();
  return { arrivals, granted };
}

describe('SlidingWindowLimiter through broker stalls (fast-check, manual clock)', () => {
  it('never lets the broker count more than the limit in any window, stalls and abandoned requests included', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { arrivals, granted } = await play(scenario);
        // Liveness: every request was granted in the end.
        expect(granted).toBe(scenario.requests.length);
        const broker = new SlidingWindowCounter({ limit: scenario.limit, windowMs: scenario.windowMs });
        for (const at of [...arrivals].sort((a, b) => a - b)) expect(broker.record(at).allowed).toBe(true);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  }, 120_000);

  it('without leases (a grant counted from its send for one window) the same stall breaks the limit', async () => {
    // The reference this accounting replaces: 3 requests sent during a 7 s stall, 3 more after it.
    const clock = new ManualRateLimitClock();
    const limiter = new SlidingWindowLimiter({
      rules: [{ id: 'requests', limit: 2, windowMs: 1000 }],
      clock,
    });
    const arrivals: number[] = [];
    const stallEnd = 7_000;
    for (let i = 0; i < 8; i++) {
      clock.setTimeout(() => {
        limiter
          .acquire('getQuote', { timeoutMs: Infinity })
          .then(() => arrivals.push(Math.max(clock.now(), stallEnd)));
      }, i * 1_000);
    }
    await clock.advanceTo(20_000);
    const broker = new SlidingWindowCounter({ limit: 2, windowMs: 1000 });
    const refused = arrivals.sort((a, b) => a - b).filter((at) => !broker.record(at).allowed);
    expect(refused.length).toBeGreaterThan(0);
  });
});
