/** Usage of one rate-limit rule at the moment of the snapshot. */
export interface BrokerRateLimitRuleUsage {
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
 * How close a broker is to its rate limits, as the registry reports it (GET /brokers, health, dashboard). The
 * rate-limit library's usage snapshot (with its per-process details) has this shape among its fields, so a
 * limiter's usage() can be registered without either library importing the other.
 */
export interface BrokerRateLimitUsage {
  /** The highest rule ratio: the rule nearest to its limit decides. */
  ratio: number;
  rules: BrokerRateLimitRuleUsage[];
}
