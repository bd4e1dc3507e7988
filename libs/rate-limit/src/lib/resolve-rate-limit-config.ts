import { RateLimitConfigError } from './rate-limit-config-error';
import type { RateLimiterOptions, RateLimitRule } from './rate-limit-options';
import { DEFAULT_TRADING_RESERVE, PRESET_SAFETY_MARGIN, TRADING_OPERATIONS } from './rate-limit-presets';
import { getRatePreset, presetToLimiterOptions } from './create-limiter-from-preset';
import { resolveLimiterOptions } from './resolve-limiter-options';

/** A broker's `rateLimit` configuration block, e.g. `{ preset: kis-paper }` or `{ rules: [...] }`. */
export interface RateLimitConfig {
  preset?: string;
  rules?: RateLimitRule[];
  /** The platform's share of the broker account's budget (all its processes together), (0, 1]. */
  share?: number;
  /** Part of each rule, [0, 1), only trading operations (place, cancel, order status) may use. */
  tradingReserve?: number;
  /** At most this many requests in flight at once for the broker. */
  maxInFlight?: number;
  /** Milliseconds added to every window (none by default). */
  marginMs?: number;
}

const CONFIG_KEYS = ['preset', 'rules', 'share', 'tradingReserve', 'maxInFlight', 'marginMs'];

/**
 * Turns a configuration block into validated limiter options, or throws a {@link RateLimitConfigError}
 * naming the field under `path` (e.g. `brokers[0].rateLimit.rules[1].windowMs`).
 *
 * - `preset` alone: the preset's rules, operations and safety margin.
 * - `preset` + `rules`: each rule replaces the preset rule of the same id (how Kiwoom's budget is
 *   configured); an id the preset does not have is refused, since no preset operation would count
 *   against it.
 * - `rules` alone: every operation counts weight 1 against every rule; trading operations are served
 *   first, with the presets' default reserve.
 * - `tradingReserve`, `maxInFlight`, `marginMs` replace the preset's (or the defaults).
 */
export function resolveRateLimitConfig(cfg: RateLimitConfig, path = 'rateLimit'): RateLimiterOptions {
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) {
    throw new RateLimitConfigError(path, 'must be an object with preset and/or rules');
  }
  for (const key of Object.keys(cfg)) {
    if (!CONFIG_KEYS.includes(key)) {
      throw new RateLimitConfigError(
        `${path}.${key}`,
        `is not a known setting (expected ${CONFIG_KEYS.join(', ')})`,
      );
    }
  }
  if (cfg.preset === undefined && cfg.rules === undefined) {
    throw new RateLimitConfigError(path, 'needs a preset or rules');
  }
  // Check the rules as written first, so errors point at the user's own indices.
  if (cfg.rules !== undefined) resolveLimiterOptions({ rules: cfg.rules }, path);

  let options: RateLimiterOptions;
  if (cfg.preset === undefined) {
    options = {
      rules: (cfg.rules ?? []).map((rule) => ({ ...rule })),
      safetyMargin: { ...PRESET_SAFETY_MARGIN },
      priorityOperations: [...TRADING_OPERATIONS],
      priorityReserve: DEFAULT_TRADING_RESERVE,
    };
  } else {
    const presetOptions = presetToLimiterOptions(getRatePreset(cfg.preset, `${path}.preset`));
    const rules = presetOptions.rules;
    (cfg.rules ?? []).forEach((override, index) => {
      const at = rules.findIndex((rule) => rule.id === override.id);
      if (at < 0) {
        throw new RateLimitConfigError(
          `${path}.rules[${index}].id`,
          `must be a rule of preset ${cfg.preset} (${rules.map((rule) => rule.id).join(', ')}); got '${override.id}'`,
        );
      }
      rules[at] = { ...override };
    });
    options = presetOptions;
  }
  if (cfg.share !== undefined) options.share = cfg.share;
  if (cfg.tradingReserve !== undefined) options.priorityReserve = checkedReserve(cfg.tradingReserve, path, 'tradingReserve');
  if (cfg.maxInFlight !== undefined) options.maxInFlight = cfg.maxInFlight;
  if (cfg.marginMs !== undefined) options.safetyMargin = { ...options.safetyMargin, ms: cfg.marginMs };
  try {
    resolveLimiterOptions(options, path);
  } catch (error) {
    // Name the YAML keys, not the limiter options they became.
    if (error instanceof RateLimitConfigError) {
      const field = error.field
        .replace(`${path}.priorityReserve`, `${path}.tradingReserve`)
        .replace(`${path}.safetyMargin.ms`, `${path}.marginMs`);
      if (field !== error.field) throw new RateLimitConfigError(field, error.message.slice(error.field.length + 1));
    }
    throw error;
  }
  return options;
}

function checkedReserve(value: unknown, path: string, key: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RateLimitConfigError(`${path}.${key}`, `must be a number in [0, 1) (got ${String(value)})`);
  }
  return value;
}
