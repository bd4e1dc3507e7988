/** A rule as enforced: limits after share and margin, window after padding. */
export interface EffectiveRateLimitRule {
  readonly id: string;
  /** Limit enforced by this process (the whole platform's in a shared mode). */
  readonly limit: number;
  readonly configuredLimit: number;
  /** Window enforced: configured window plus the safety margin's `ms`. 0 for the in-flight bound. */
  readonly windowMs: number;
  readonly configuredWindowMs: number;
  /**
   * Weight of `limit` kept for priority (trading) operations: a standard grant must leave
   * `reserved - (priority weight in use)` free, so trading always gets at least `reserved`.
   */
  readonly reserved: number;
}

/** What one operation takes from one rule; `ruleIndex` indexes {@link RateLimitLedger.rules}. */
export interface ResolvedCost {
  readonly ruleIndex: number;
  readonly weight: number;
}

/** Which part of a rule an operation may use: `priority` operations (trading) may use the reserve. */
export type RateLimitPriority = 'priority' | 'standard';


/**
 * The grant decision of one process, kept apart from waiting and queueing: the synchronous seam of
 * the in-memory limiter. (Ledgers shared by several processes have their own, asynchronous seam,
 * {@link SharedRateLimitLedger}, with the same semantics.)
 *
 * A grant is held from the moment it is taken (the request leaves) until it is completed (its answer
 * came back), then counted for one more window; a grant that is cancelled (never sent) frees at once.
 * A grant is recorded on every rule of its cost list or on none (linked rules).
 */
export interface RateLimitLedger {
  readonly rules: readonly EffectiveRateLimitRule[];
  /**
   * Earliest time >= now at which every rule has room for its weight (for its class), assuming nothing
   * held is released meanwhile: Infinity when only a release can make room.
   */
  earliestGrantAt(costs: readonly ResolvedCost[], now: number, priority: RateLimitPriority): number;
  /** Holds the grant on every rule at once if all have room; false (and nothing recorded) otherwise. */
  tryTake(costs: readonly ResolvedCost[], now: number, priority: RateLimitPriority): boolean;
  /** A held grant's answer came back at `now`: it stays counted until `now` + window. */
  complete(costs: readonly ResolvedCost[], now: number, priority: RateLimitPriority): void;
  /** A held grant was never sent: it frees at once. */
  cancel(costs: readonly ResolvedCost[], priority: RateLimitPriority): void;
  /** Weight occupying a rule at `now` (held and counted). */
  used(ruleIndex: number, now: number): number;
  /** Weight held by requests in flight on a rule. */
  held(ruleIndex: number): number;
  /** Independent copy for what-if planning (e.g. wait estimates). */
  clone(): RateLimitLedger;
}
