import type { EffectiveRateLimitRule, RateLimitLedger, ResolvedCost } from './rate-limit-ledger';
import { SlidingWindowLog } from './sliding-window-log';

/** The default, per-process {@link RateLimitLedger}: one {@link SlidingWindowLog} per rule. */
export class InMemoryRateLimitLedger implements RateLimitLedger {
  private readonly logs: SlidingWindowLog[];

  constructor(
    readonly rules: readonly EffectiveRateLimitRule[],
    logs?: SlidingWindowLog[],
  ) {
    this.logs = logs ?? rules.map((rule) => new SlidingWindowLog(rule.limit, rule.windowMs));
  }

  earliestGrantAt(costs: readonly ResolvedCost[], now: number): number {
    let at = now;
    for (const { ruleIndex, weight } of costs) {
      at = Math.max(at, this.logs[ruleIndex].earliestRoomAt(weight, now));
    }
    return at;
  }

  tryTake(costs: readonly ResolvedCost[], now: number): boolean {
    for (const { ruleIndex, weight } of costs) {
      if (!this.logs[ruleIndex].hasRoom(weight, now)) return false;
    }
    for (const { ruleIndex, weight } of costs) this.logs[ruleIndex].add(weight, now);
    return true;
  }

  used(ruleIndex: number, now: number): number {
    return this.logs[ruleIndex].used(now);
  }

  clone(): InMemoryRateLimitLedger {
    return new InMemoryRateLimitLedger(
      this.rules,
      this.logs.map((log) => log.clone()),
    );
  }
}
