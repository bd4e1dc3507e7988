import {
  type EffectiveRateLimitRule,
  type RateLimitLedger,
  type RateLimitPriority,
  type ResolvedCost,
} from './rate-limit-ledger';
import { SlidingWindowLog } from './sliding-window-log';

/** The per-process {@link RateLimitLedger}: one {@link SlidingWindowLog} per rule. */
export class InMemoryRateLimitLedger implements RateLimitLedger {
  private readonly logs: SlidingWindowLog[];

  constructor(
    readonly rules: readonly EffectiveRateLimitRule[],
    logs?: SlidingWindowLog[],
  ) {
    this.logs = logs ?? rules.map((rule) => new SlidingWindowLog(rule.limit, rule.windowMs));
  }

  earliestGrantAt(costs: readonly ResolvedCost[], now: number, priority: RateLimitPriority): number {
    let at = now;
    for (const { ruleIndex, weight } of costs) {
      const reserved = this.rules[ruleIndex].reserved;
      at = Math.max(at, this.logs[ruleIndex].earliestRoomAt(weight, now, priority === 'priority', reserved));
    }
    return at;
  }

  tryTake(costs: readonly ResolvedCost[], now: number, priority: RateLimitPriority): boolean {
    const isPriority = priority === 'priority';
    for (const { ruleIndex, weight } of costs) {
      if (!this.logs[ruleIndex].hasRoom(weight, now, isPriority, this.rules[ruleIndex].reserved)) return false;
    }
    for (const { ruleIndex, weight } of costs) this.logs[ruleIndex].hold(weight, now, isPriority);
    return true;
  }

  complete(costs: readonly ResolvedCost[], now: number, priority: RateLimitPriority): void {
    for (const { ruleIndex, weight } of costs) this.logs[ruleIndex].release(weight, now, priority === 'priority');
  }

  cancel(costs: readonly ResolvedCost[], priority: RateLimitPriority): void {
    for (const { ruleIndex, weight } of costs) this.logs[ruleIndex].cancel(weight, priority === 'priority');
  }

  /** Weight of priority grants occupying a rule at `now`. */
  usedByPriority(ruleIndex: number, now: number): number {
    return this.logs[ruleIndex].usedByPriority(now);
  }

  used(ruleIndex: number, now: number): number {
    return this.logs[ruleIndex].used(now);
  }

  held(ruleIndex: number): number {
    return this.logs[ruleIndex].held;
  }

  /** `releaseHeldAt`: plan as if every request in flight were answered at that time. */
  clone(releaseHeldAt?: number): InMemoryRateLimitLedger {
    return new InMemoryRateLimitLedger(
      this.rules,
      this.logs.map((log) => log.clone(releaseHeldAt)),
    );
  }
}
