import { RATE_LIMIT_PRESETS, resolveRateLimitConfig, SlidingWindowCounter } from '@qts/rate-limit';
import type { OperationCost, RateLimitRule, RatePresetId } from '@qts/rate-limit';

export interface RateViolation {
  ruleId: string;
  limit: number;
  windowMs: number;
  retryAfterMs: number;
}

interface EnforcedRule extends RateLimitRule {
  counter: SlidingWindowCounter;
}

/**
 * The broker's rate limits as the broker enforces them: every request that arrives counts against the rules
 * of its operation with the RAW limits of the preset (no safety margin, no share: those are the client's),
 * in sliding windows shared by every client. A request over a rule is refused and not counted; the
 * violation is counted per rule for the admin statistics.
 */
export class RestRateEnforcer {
  private rules: Map<string, EnforcedRule>;
  private readonly violations = new Map<string, number>();

  constructor(
    private readonly preset: string,
    private readonly overrides: readonly RateLimitRule[],
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.rules = this.build();
  }

  listRules(): RateLimitRule[] {
    return [...this.rules.values()].map(({ id, limit, windowMs }) => ({ id, limit, windowMs }));
  }

  /** Counts the request of `operation`; returns the violated rule instead when it does not fit. */
  admit(operation: string): RateViolation | null {
    const costs = this.costsOf(operation);
    const now = this.clock();
    for (const { rule, weight = 1 } of costs) {
      const enforced = this.rules.get(rule) as EnforcedRule;
      if (enforced.counter.used(now) + weight > enforced.limit) {
        const { retryAfterMs } = enforced.counter.record(now, weight);
        this.violations.set(enforced.id, (this.violations.get(enforced.id) ?? 0) + 1);
        return { ruleId: enforced.id, limit: enforced.limit, windowMs: enforced.windowMs, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) };
      }
    }
    for (const { rule, weight = 1 } of costs) {
      (this.rules.get(rule) as EnforcedRule).counter.record(now, weight);
    }
    return null;
  }

  violationCounts(): Record<string, number> {
    return Object.fromEntries(this.violations);
  }

  reset(windows: boolean): void {
    this.violations.clear();
    if (windows) {
      this.rules = this.build();
    }
  }

  private costsOf(operation: string): readonly OperationCost[] {
    if (this.preset === 'none') {
      return [];
    }
    const preset = RATE_LIMIT_PRESETS[this.preset as RatePresetId];
    return preset.operations?.[operation] ?? preset.defaultCosts;
  }

  private build(): Map<string, EnforcedRule> {
    if (this.preset === 'none') {
      return new Map();
    }
    const options = resolveRateLimitConfig(
      this.overrides.length === 0 ? { preset: this.preset } : { preset: this.preset, rules: [...this.overrides] },
      'rateLimit',
    );
    return new Map(
      options.rules.map((rule) => [
        rule.id,
        { ...rule, counter: new SlidingWindowCounter({ limit: rule.limit, windowMs: rule.windowMs }) },
      ]),
    );
  }
}
