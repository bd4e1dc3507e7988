import fc from 'fast-check';
import { SharedLedgerHarness } from '../../../test/shared-ledger-harness';
import { SlidingWindowCounter } from '../sliding-window-counter';

/**
 * The stall model of sliding-window-limiter.stalls.property.spec.ts with TWO processes sharing one
 * SQLite ledger: each reads its own connection in order, the broker stalls for both, and counts
 * arrivals from both against the raw rule. Same semantics as the in-memory limiter: never refused.
 */
interface Scenario {
  limit: number;
  windowMs: number;
  deadlineMs: number;
  stalls: Array<{ at: number; forMs: number }>;
  requests: Array<{ at: number; process: 0 | 1; trading: boolean; toBrokerMs: number; backMs: number }>;
}

const FC_SEED = process.env['FC_SEED'] === undefined ? 20_261_202 : Number(process.env['FC_SEED']);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  limit: fc.integer({ min: 1, max: 4 }),
  windowMs: fc.integer({ min: 100, max: 1000 }),
  deadlineMs: fc.integer({ min: 30, max: 1500 }),
  stalls: fc.array(
    fc.record({ at: fc.integer({ min: 0, max: 4000 }), forMs: fc.integer({ min: 100, max: 7000 }) }),
    { maxLength: 2 },
  ),
  requests: fc.array(
    fc.record({
      at: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 6000 })),
      process: fc.constantFrom<0 | 1>(0, 1),
      trading: fc.boolean(),
      toBrokerMs: fc.integer({ min: 0, max: 30 }),
      backMs: fc.integer({ min: 0, max: 30 }),
    }),
    { minLength: 1, maxLength: 24 },
  ),
});

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

describe('SharedRateLimiter through broker stalls, two processes on one SQLite ledger (fast-check)', () => {
  it('never lets the broker count more than the limit in any window', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const harness = new SharedLedgerHarness();
        try {
          const options = {
            rules: [{ id: 'requests', limit: scenario.limit, windowMs: scenario.windowMs }],
            priorityOperations: ['placeOrder'],
            unansweredHoldMs: 20_000,
          };
          const processes = [harness.process(options, 'a', 10_000), harness.process(options, 'b', 10_000)];
          const start = harness.clock.now();
          const lastArrival = [0, 0];
          const arrivals: number[] = [];
          let granted = 0;
          for (const request of scenario.requests) {
            harness.clock.setTimeout(() => {
              const { limiter } = processes[request.process];
              limiter
                .acquireLease(request.trading ? 'placeOrder' : 'getQuote', { timeoutMs: Infinity })
                .then((lease) => {
                  if (!lease) return;
                  granted++;
                  const sentAt = harness.clock.now() - start;
                  const arrival = resumedAt(
                    Math.max(sentAt + request.toBrokerMs, lastArrival[request.process]),
                    scenario.stalls,
                  );
                  lastArrival[request.process] = arrival;
                  arrivals.push(arrival);
                  const answerAt = arrival + request.backMs;
                  if (answerAt - sentAt <= scenario.deadlineMs) {
                    harness.clock.setTimeout(() => lease.settle('answered'), answerAt - sentAt);
                  } else {
                    harness.clock.setTimeout(() => {
                      lease.settle('abandoned');
                      // The gateway then probes the broker's health on the same connection; its answer
                      // proves everything sent before it has arrived.
                      const probeSentAt = harness.clock.now() - start;
                      const probeArrival = resumedAt(
                        Math.max(probeSentAt + request.toBrokerMs, lastArrival[request.process]),
                        scenario.stalls,
                      );
                      lastArrival[request.process] = probeArrival;
                      const probeLimiterTime = limiter.now();
                      harness.clock.setTimeout(
                        () => limiter.confirmProgress(probeLimiterTime),
                        probeArrival + request.backMs - probeSentAt,
                      );
                    }, scenario.deadlineMs);
                  }
                });
            }, request.at);
          }
          await harness.clock.advanceBy(60_000);
          expect(granted).toBe(scenario.requests.length);
          const broker = new SlidingWindowCounter({ limit: scenario.limit, windowMs: scenario.windowMs });
          for (const at of arrivals.sort((a, b) => a - b)) expect(broker.record(at).allowed).toBe(true);
        } finally {
          await harness.close();
        }
      }),
      { numRuns: 40, seed: FC_SEED },
    );
  }, 180_000);
});
