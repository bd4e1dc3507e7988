import { BrokerType } from '@qts/broker-domain';
import {
  RATE_LIMIT_PRESETS,
  resolveRateLimitConfig,
  SlidingWindowCounter,
} from '@qts/rate-limit';
import type { OperationCost, RateLimitConfig, RateLimitRule, RatePresetId } from '@qts/rate-limit';

/** A broker's rate limits as the simulator enforces them: a preset or rules, or 'none'. */
export type SimulatorRateLimit = 'none' | RateLimitConfig;

export interface RateViolation {
  ruleId: string;
  limit: number;
  windowMs: number;
  /** How long until the request would have fitted (at least 1 ms). */
  retryAfterMs: number;
  /** What the real broker answers, e.g. EGW00201. */
  brokerCode: string;
}

/** The preset whose violation code a broker type answers with when configured with plain rules. */
const PRESET_OF_TYPE: Readonly<Record<BrokerType, RatePresetId>> = {
  [BrokerType.KIS]: 'kis-real',
  [BrokerType.CREON]: 'creon',
  [BrokerType.KIWOOM]: 'kiwoom',
};

interface EnforcedRule extends RateLimitRule {
  counter: SlidingWindowCounter;
  brokerCode: string;
}

/**
 * Server-side rate enforcement like a real broker: every request counts against the rules of its
 * operation with the RAW broker limits (no safety margin, no share: those are the client's business),
 * in sliding windows shared by every client of the broker. A request is admitted only when every rule it
 * counts against has room; it is then recorded on all of them at once. Refused requests occupy no
 * budget (SlidingWindowCounter counts admitted arrivals only).
 */
export class BrokerRateEnforcer {
  private readonly rules: Map<string, EnforcedRule>;

  private constructor(
    /** The preset id, 'custom' for configured rules without a preset, or 'none'. */
    readonly label: string,
    rules: readonly RateLimitRule[],
    private readonly costsByOperation: ReadonlyMap<string, readonly OperationCost[]>,
    private readonly defaultCosts: readonly OperationCost[] | undefined,
    private readonly brokerCodeOf: (ruleId: string) => string,
    private readonly clock: () => number,
  ) {
    this.rules = new Map(rules.map((rule) => [rule.id, this.enforce(rule)]));
  }

  /**
   * Validates the setting (errors name the field under `path`) and builds the enforcer. `clock` is a
   * monotonic millisecond clock.
   */
  static create(
    setting: SimulatorRateLimit,
    brokerType: BrokerType,
    clock: () => number = () => performance.now(),
    path = 'rateLimit',
  ): BrokerRateEnforcer {
    if (setting === 'none') {
      return new BrokerRateEnforcer('none', [], new Map(), [], () => '', clock);
    }
    const options = resolveRateLimitConfig(setting, path);
    const preset = RATE_LIMIT_PRESETS[(setting.preset as RatePresetId | undefined) ?? PRESET_OF_TYPE[brokerType]];
    return new BrokerRateEnforcer(
      setting.preset ?? 'custom',
      options.rules,
      new Map(Object.entries(options.operations ?? {})),
      options.defaultCosts,
      (ruleId) => preset.ruleViolationCodes?.[ruleId] ?? preset.violationCode,
      clock,
    );
  }

  /** The enforced rules (raw broker limits). */
  listRules(): RateLimitRule[] {
    return [...this.rules.values()].map(({ id, limit, windowMs }) => ({ id, limit, windowMs }));
  }

  /** Counts the request of `operation` and returns null, or the violated rule without counting it. */
  admit(operation: string): RateViolation | null {
    const costs = this.costsOf(operation);
    const now = this.clock();
    for (const { rule, weight = 1 } of costs) {
      const enforced = this.rules.get(rule) as EnforcedRule;
      if (enforced.counter.used(now) + weight > enforced.limit) {
        // Not admitted, so not recorded: record() only reports how long until the weight fits.
        const { retryAfterMs } = enforced.counter.record(now, weight);
        return {
          ruleId: enforced.id,
          limit: enforced.limit,
          windowMs: enforced.windowMs,
          retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)),
          brokerCode: enforced.brokerCode,
        };
      }
    }
    for (const { rule, weight = 1 } of costs) {
      (this.rules.get(rule) as EnforcedRule).counter.record(now, weight);
    }
    return null;
  }

  /** Forgets every counted request: the full budget is available at once. */
  resetWindows(): void {
    for (const [id, rule] of this.rules) {
      this.rules.set(id, this.enforce(rule));
    }
  }

  private costsOf(operation: string): readonly OperationCost[] {
    return (
      this.costsByOperation.get(operation) ??
      this.defaultCosts ??
      [...this.rules.keys()].map((rule) => ({ rule, weight: 1 }))
    );
  }

  private enforce(rule: RateLimitRule): EnforcedRule {
    return {
      id: rule.id,
      limit: rule.limit,
      windowMs: rule.windowMs,
      counter: new SlidingWindowCounter({ limit: rule.limit, windowMs: rule.windowMs }),
      brokerCode: this.brokerCodeOf(rule.id),
    };
  }
}
