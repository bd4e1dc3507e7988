export interface RateLimitRuleUsage {
  ruleId: string;
  /** Effective limit, after share and safety margin. */
  limit: number;
  /** Limit as configured for the broker. */
  configuredLimit: number;
  /** Window as configured for the broker. */
  windowMs: number;
  /** Window actually enforced: `windowMs` plus the safety margin's `ms`. */
  effectiveWindowMs: number;
  /** Weight of `limit` that only priority (trading) operations may use. */
  reserved: number;
  /** Weights occupying the rule: held by requests in flight, plus answered ones still within their window. */
  used: number;
  /** Weights held by requests in flight (sent, not answered yet). */
  held: number;
  /** used / limit, 0..1. */
  ratio: number;
  /** Queued acquires (of this process) that count against this rule. */
  waiters: number;
}

/** Where a limiter keeps its grants: this process, a file shared on one host, Redis, or a static split. */
export type RateLimitBackendKind = 'memory' | 'local' | 'redis' | 'split';

export interface RateLimitUsageSnapshot {
  name?: string;
  backend?: RateLimitBackendKind;
  /** Highest ratio over all rules, 0..1. */
  ratio: number;
  /** All queued acquires of this process. */
  waiting: number;
  /** Requests of this process that ended without an answer and still hold their slots. */
  unanswered?: number;
  rules: RateLimitRuleUsage[];
}

/** Whether a limiter can grant: a shared ledger that cannot be reached makes it refuse (fail closed). */
export interface RateLimiterHealth {
  backend: RateLimitBackendKind;
  healthy: boolean;
  /** Why not healthy, or a short description of the ledger (never a secret). */
  detail: string;
  /** When the ledger was last reached (ms since the epoch), for shared backends. */
  lastContactAt?: number;
}
