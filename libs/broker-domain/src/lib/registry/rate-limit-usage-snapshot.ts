/** Usage of one rate-limit rule at the moment of the snapshot. */
export interface RateLimitRuleUsage {
  ruleId: string;
  limit: number;
  windowMs: number;
  /** Requests counted in the current window. */
  used: number;
  /** used / limit, 0..1. */
  ratio: number;
  /** Callers queued for this rule. */
  waiters: number;
}

/**
 * How close a broker is to its rate limits. Defined here so the domain can report it; the rate-limit
 * library produces values of this shape structurally, without importing the domain.
 */
export interface RateLimitUsageSnapshot {
  /** The highest rule ratio: the rule nearest to its limit decides. */
  ratio: number;
  rules: RateLimitRuleUsage[];
}
