import { RateLimitConfigError } from './rate-limit-config-error';
import { systemRateLimitClock, type RateLimitClock } from './rate-limit-clock';
import type { EffectiveRateLimitRule, ResolvedCost } from './rate-limit-ledger';
import type { OperationCost, RateLimiterOptions, RateLimitRule } from './rate-limit-options';

export const DEFAULT_ACQUIRE_TIMEOUT_MS = 30_000;
export const DEFAULT_UNANSWERED_HOLD_MS = 60_000;
/** Id of the rule that bounds requests in flight (`maxInFlight`); counts held grants only. */
export const IN_FLIGHT_RULE_ID = 'in-flight';

/** Options checked and turned into what the limiter enforces. */
export interface ResolvedLimiterOptions {
  name?: string;
  rules: EffectiveRateLimitRule[];
  operationCosts: ReadonlyMap<string, readonly ResolvedCost[]>;
  defaultCosts: readonly ResolvedCost[];
  priorityOperations: ReadonlySet<string>;
  unansweredHoldMs: number;
  clock: RateLimitClock;
  defaultTimeoutMs: number;
}

/**
 * The limit this process enforces: max(1, floor(limit * share * (1 - ratio))).
 * A tiny epsilon keeps products such as 20 * 0.9 from flooring to 17 through float rounding.
 * Note the floor of 1: with a small limit and many processes the shares can add up to more than the
 * broker's limit (2/s split in 4 gives 1/s each); pick `share` so that limit * share >= 1.
 */
export function effectiveLimit(limit: number, share = 1, ratio = 0): number {
  return Math.max(1, Math.floor(limit * share * (1 - ratio) + 1e-9));
}

/** Validates limiter options, naming the offending field (prefixed by `path`) in every error. */
export function resolveLimiterOptions(options: RateLimiterOptions, path = ''): ResolvedLimiterOptions {
  const field = (name: string): string => (path ? `${path}.${name}` : name);
  if (!isRecord(options)) throw new RateLimitConfigError(path || 'options', 'must be an object');

  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new RateLimitConfigError(field('name'), 'must be a non-empty string');
  }
  const share = options.share ?? 1;
  if (typeof share !== 'number' || !(share > 0 && share <= 1)) {
    throw new RateLimitConfigError(field('share'), `must be a number in (0, 1] (got ${String(share)})`);
  }
  const margin = options.safetyMargin ?? {};
  if (!isRecord(margin)) throw new RateLimitConfigError(field('safetyMargin'), 'must be an object');
  rejectUnknownKeys(margin, ['ratio', 'ms'], field('safetyMargin'));
  const ratio = margin.ratio ?? 0;
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio < 1)) {
    throw new RateLimitConfigError(
      field('safetyMargin.ratio'),
      `must be a number in [0, 1) (got ${String(ratio)})`,
    );
  }
  const paddingMs = margin.ms ?? 0;
  if (typeof paddingMs !== 'number' || !(paddingMs >= 0) || !Number.isFinite(paddingMs)) {
    throw new RateLimitConfigError(
      field('safetyMargin.ms'),
      `must be a non-negative finite number (got ${String(paddingMs)})`,
    );
  }

  const reserveRatio = options.priorityReserve ?? 0;
  if (typeof reserveRatio !== 'number' || !(reserveRatio >= 0 && reserveRatio < 1)) {
    throw new RateLimitConfigError(
      field('priorityReserve'),
      `must be a number in [0, 1) (got ${String(reserveRatio)})`,
    );
  }
  const priorityOperations = new Set<string>();
  if (options.priorityOperations !== undefined) {
    if (!Array.isArray(options.priorityOperations) || options.priorityOperations.some((op) => typeof op !== 'string')) {
      throw new RateLimitConfigError(field('priorityOperations'), 'must be an array of operation names');
    }
    options.priorityOperations.forEach((operation) => priorityOperations.add(operation));
  }
  const maxInFlight = options.maxInFlight;
  if (maxInFlight !== undefined && (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1)) {
    throw new RateLimitConfigError(field('maxInFlight'), `must be a positive integer (got ${String(maxInFlight)})`);
  }
  const unansweredHoldMs = options.unansweredHoldMs ?? DEFAULT_UNANSWERED_HOLD_MS;
  if (typeof unansweredHoldMs !== 'number' || !(unansweredHoldMs >= 0) || !Number.isFinite(unansweredHoldMs)) {
    throw new RateLimitConfigError(
      field('unansweredHoldMs'),
      `must be a non-negative finite number of milliseconds (got ${String(unansweredHoldMs)})`,
    );
  }

  const rules = resolveRules(options.rules, field('rules'), share, ratio, paddingMs, reserveRatio);
  if (maxInFlight !== undefined) {
    if (rules.some((rule) => rule.id === IN_FLIGHT_RULE_ID)) {
      throw new RateLimitConfigError(field('rules'), `must not use the rule id '${IN_FLIGHT_RULE_ID}' with maxInFlight`);
    }
    rules.push({
      id: IN_FLIGHT_RULE_ID,
      limit: maxInFlight,
      configuredLimit: maxInFlight,
      windowMs: 0,
      configuredWindowMs: 0,
      reserved: Math.floor(maxInFlight * reserveRatio + 1e-9),
    });
  }
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const resolveCosts = (costs: unknown, costsField: string, priority: boolean): ResolvedCost[] =>
    withInFlight(resolveCostList(costs, costsField, rules, ruleIndex, priority), rules);

  const operationCosts = new Map<string, readonly ResolvedCost[]>();
  if (options.operations !== undefined) {
    if (!isRecord(options.operations))
      throw new RateLimitConfigError(field('operations'), 'must be an object');
    for (const [operation, costs] of Object.entries(options.operations)) {
      operationCosts.set(
        operation,
        resolveCosts(costs, field(`operations.${operation}`), priorityOperations.has(operation)),
      );
    }
  }
  const configuredRules = maxInFlight === undefined ? rules : rules.slice(0, -1);
  const defaultCosts =
    options.defaultCosts === undefined
      ? withInFlight(
          configuredRules.map((_, index) => ({ ruleIndex: index, weight: 1 })),
          rules,
        )
      : resolveCosts(options.defaultCosts, field('defaultCosts'), false);
  // Default costs serve unlisted operations, priority ones among them: they must fit the standard ceiling.
  for (const { ruleIndex: at, weight } of defaultCosts) {
    if (weight > rules[at].limit - rules[at].reserved) {
      throw new RateLimitConfigError(
        field('priorityReserve'),
        `leaves ${rules[at].limit - rules[at].reserved} of rule '${rules[at].id}' to other operations, less than their weight ${weight}`,
      );
    }
  }

  const clock = options.clock ?? systemRateLimitClock;
  if (
    !isRecord(clock) ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new RateLimitConfigError(field('clock'), 'must provide now(), setTimeout() and clearTimeout()');
  }
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
  if (typeof defaultTimeoutMs !== 'number' || !(defaultTimeoutMs >= 0)) {
    throw new RateLimitConfigError(
      field('defaultTimeoutMs'),
      `must be a non-negative number (got ${String(defaultTimeoutMs)})`,
    );
  }

  return {
    name: options.name,
    rules,
    operationCosts,
    defaultCosts,
    priorityOperations,
    unansweredHoldMs,
    clock,
    defaultTimeoutMs,
  };
}

/** Adds weight 1 on the in-flight rule (the last rule, when configured) to a cost list. */
function withInFlight(costs: ResolvedCost[], rules: readonly EffectiveRateLimitRule[]): ResolvedCost[] {
  const last = rules.length - 1;
  if (rules[last]?.id !== IN_FLIGHT_RULE_ID || costs.some((cost) => cost.ruleIndex === last)) return costs;
  return [...costs, { ruleIndex: last, weight: 1 }];
}

function resolveRules(
  rules: unknown,
  rulesField: string,
  share: number,
  ratio: number,
  paddingMs: number,
  reserveRatio: number,
): EffectiveRateLimitRule[] {
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new RateLimitConfigError(rulesField, 'must be a non-empty array of { id, limit, windowMs }');
  }
  const seen = new Set<string>();
  return rules.map((rule: unknown, index): EffectiveRateLimitRule => {
    const ruleField = `${rulesField}[${index}]`;
    if (!isRecord(rule))
      throw new RateLimitConfigError(ruleField, 'must be an object { id, limit, windowMs }');
    rejectUnknownKeys(rule, ['id', 'limit', 'windowMs'], ruleField);
    const { id, limit, windowMs } = rule as Partial<RateLimitRule>;
    if (typeof id !== 'string' || id === '') {
      throw new RateLimitConfigError(`${ruleField}.id`, 'must be a non-empty string');
    }
    if (seen.has(id)) throw new RateLimitConfigError(`${ruleField}.id`, `duplicates rule id '${id}'`);
    seen.add(id);
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
      throw new RateLimitConfigError(
        `${ruleField}.limit`,
        `must be a positive integer (got ${String(limit)})`,
      );
    }
    if (typeof windowMs !== 'number' || !(windowMs > 0) || !Number.isFinite(windowMs)) {
      throw new RateLimitConfigError(
        `${ruleField}.windowMs`,
        `must be a positive finite number of milliseconds (got ${String(windowMs)})`,
      );
    }
    const enforced = effectiveLimit(limit, share, ratio);
    return {
      id,
      limit: enforced,
      configuredLimit: limit,
      windowMs: windowMs + paddingMs,
      configuredWindowMs: windowMs,
      reserved: Math.floor(enforced * reserveRatio + 1e-9),
    };
  });
}

function resolveCostList(
  costs: unknown,
  costsField: string,
  rules: readonly EffectiveRateLimitRule[],
  ruleIndex: ReadonlyMap<string, number>,
  priority: boolean,
): ResolvedCost[] {
  if (!Array.isArray(costs) || costs.length === 0) {
    throw new RateLimitConfigError(costsField, 'must be a non-empty array of { rule, weight? }');
  }
  const used = new Set<number>();
  return costs.map((cost: unknown, index): ResolvedCost => {
    const costField = `${costsField}[${index}]`;
    if (!isRecord(cost)) throw new RateLimitConfigError(costField, 'must be an object { rule, weight? }');
    rejectUnknownKeys(cost, ['rule', 'weight'], costField);
    const { rule, weight = 1 } = cost as Partial<OperationCost>;
    const ruleAt = typeof rule === 'string' ? ruleIndex.get(rule) : undefined;
    if (ruleAt === undefined) {
      throw new RateLimitConfigError(
        `${costField}.rule`,
        `must name a configured rule (${[...ruleIndex.keys()].join(', ')}); got ${String(rule)}`,
      );
    }
    if (used.has(ruleAt)) throw new RateLimitConfigError(`${costField}.rule`, `lists rule '${rule}' twice`);
    used.add(ruleAt);
    if (typeof weight !== 'number' || !Number.isSafeInteger(weight) || weight < 1) {
      throw new RateLimitConfigError(
        `${costField}.weight`,
        `must be a positive integer (got ${String(weight)})`,
      );
    }
    // A weight that can never fit would make every acquire wait until its timeout: refuse it up front.
    if (weight > rules[ruleAt].limit) {
      throw new RateLimitConfigError(
        `${costField}.weight`,
        `${weight} exceeds the effective limit ${rules[ruleAt].limit} of rule '${rule}'`,
      );
    }
    const ceiling = rules[ruleAt].limit - rules[ruleAt].reserved;
    if (!priority && weight > ceiling) {
      throw new RateLimitConfigError(
        `${costField}.weight`,
        `${weight} exceeds the ${ceiling} of rule '${rule}' left outside the priority reserve`,
      );
    }
    return { ruleIndex: ruleAt, weight };
  });
}

function rejectUnknownKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  valueField: string,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new RateLimitConfigError(
        `${valueField}.${key}`,
        `is not a known setting (expected ${known.join(', ')})`,
      );
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
