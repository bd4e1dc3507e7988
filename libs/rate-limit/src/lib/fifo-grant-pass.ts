import type { RateLimitLedger, RateLimitPriority, ResolvedCost } from './rate-limit-ledger';

export interface QueuedDemand {
  readonly costs: readonly ResolvedCost[];
  readonly priority: RateLimitPriority;
}

/**
 * One pass over the waiters at time `now`, priority waiters first, each class in arrival order: grants
 * every waiter that has room on all its rules (under its class's ceiling) and that no earlier,
 * still-waiting waiter of its class or of the priority class shares a rule with. FIFO per rule,
 * without head-of-line blocking across unrelated rules; a waiter left waiting blocks its rules for
 * everyone behind it (a heavy request is never starved by lighter ones that fit sooner), and a
 * priority waiter left waiting blocks its rules for every standard waiter (orders never wait behind
 * market-data reads).
 *
 * `grant` is called, in order, for each waiter granted (its grant is already held in the ledger).
 * Returns the earliest time another pass could grant something by time alone (Infinity when only a
 * release of a held grant, or nothing, can help): the single moment the caller needs to wake up at.
 */
export function runFifoGrantPass<T extends QueuedDemand>(
  ledger: RateLimitLedger,
  queues: Readonly<Record<RateLimitPriority, Iterable<T>>>,
  now: number,
  grant: (waiter: T) => void,
): number {
  const blocked = new Array<boolean>(ledger.rules.length).fill(false);
  let blockedCount = 0;
  let nextAt = Number.POSITIVE_INFINITY;
  for (const priority of ['priority', 'standard'] as const) {
    for (const waiter of queues[priority]) {
      if (blockedCount === blocked.length) return nextAt;
      const isBlocked = waiter.costs.some(({ ruleIndex }) => blocked[ruleIndex]);
      if (!isBlocked) {
        if (ledger.tryTake(waiter.costs, now, priority)) {
          grant(waiter);
          continue;
        }
        nextAt = Math.min(nextAt, ledger.earliestGrantAt(waiter.costs, now, priority));
      }
      for (const { ruleIndex } of waiter.costs) {
        if (!blocked[ruleIndex]) {
          blocked[ruleIndex] = true;
          blockedCount++;
        }
      }
    }
  }
  return nextAt;
}
