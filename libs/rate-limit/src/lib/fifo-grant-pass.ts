import type { RateLimitLedger, ResolvedCost } from './rate-limit-ledger';

export interface QueuedDemand {
  readonly costs: readonly ResolvedCost[];
}

/**
 * One pass over the waiters in arrival order at time `now`: grants every waiter that has room on all
 * its rules and that no earlier, still-waiting waiter shares a rule with (FIFO per rule, without
 * head-of-line blocking across unrelated rules). A waiter left waiting blocks its rules for everyone
 * behind it, so a heavy request is never starved by lighter ones that fit sooner.
 *
 * `grant` is called, in order, for each waiter granted (its permit is already recorded in the ledger).
 * Returns the earliest time another pass could grant something (Infinity when no waiter can become
 * grantable by time alone): the single moment the caller needs to wake up at.
 */
export function runFifoGrantPass<T extends QueuedDemand>(
  ledger: RateLimitLedger,
  waiters: Iterable<T>,
  now: number,
  grant: (waiter: T) => void,
): number {
  const blocked = new Array<boolean>(ledger.rules.length).fill(false);
  let blockedCount = 0;
  let nextAt = Number.POSITIVE_INFINITY;
  for (const waiter of waiters) {
    if (blockedCount === blocked.length) break;
    const isBlocked = waiter.costs.some(({ ruleIndex }) => blocked[ruleIndex]);
    if (!isBlocked) {
      if (ledger.tryTake(waiter.costs, now)) {
        grant(waiter);
        continue;
      }
      nextAt = Math.min(nextAt, ledger.earliestGrantAt(waiter.costs, now));
    }
    for (const { ruleIndex } of waiter.costs) {
      if (!blocked[ruleIndex]) {
        blocked[ruleIndex] = true;
        blockedCount++;
      }
    }
  }
  return nextAt;
}
