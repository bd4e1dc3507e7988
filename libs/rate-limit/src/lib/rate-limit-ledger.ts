/** A rule as enforced: limits after share and margin, window after padding. */
export interface EffectiveRateLimitRule {
  readonly id: string;
  /** Limit enforced by this process. */
  readonly limit: number;
  readonly configuredLimit: number;
  /** Window enforced: configured window plus the safety margin's `ms`. */
  readonly windowMs: number;
  readonly configuredWindowMs: number;
}

/** What one operation takes from one rule; `ruleIndex` indexes {@link RateLimitLedger.rules}. */
export interface ResolvedCost {
  readonly ruleIndex: number;
  readonly weight: number;
}

/**
 * The grant decision, kept apart from waiting and queueing: the storage seam of the limiter.
 *
 * The in-memory implementation keeps one sliding-window log per rule. A Redis backend (shared by
 * replicas) implements the same contract as one atomic server-side script per call: trim every
 * involved rule's sorted set to its window, and either add the grant to all of them or add nothing
 * and return the earliest retry time. Its calls become asynchronous; the semantics must not change:
 * a grant is recorded on every rule of the cost list or on none (linked rules).
 */
export interface RateLimitLedger {
  readonly rules: readonly EffectiveRateLimitRule[];
  /** Earliest time >= now at which every rule has room for its weight (now if they all have room now). */
  earliestGrantAt(costs: readonly ResolvedCost[], now: number): number;
  /** Records the grant on every rule at once if all have room; false (and nothing recorded) otherwise. */
  tryTake(costs: readonly ResolvedCost[], now: number): boolean;
  /** Weight granted on a rule within its window ending at now. */
  used(ruleIndex: number, now: number): number;
  /** Independent copy for what-if planning (e.g. wait estimates). */
  clone(): RateLimitLedger;
}
