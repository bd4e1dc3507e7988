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
  /** Weights granted within the current effective window. */
  used: number;
  /** used / limit, 0..1. */
  ratio: number;
  /** Queued acquires that count against this rule. */
  waiters: number;
}

export interface RateLimitUsageSnapshot {
  name?: string;
  /** Highest ratio over all rules, 0..1. */
  ratio: number;
  /** All queued acquires. */
  waiting: number;
  rules: RateLimitRuleUsage[];
}
