import { RateLimitConfigError } from './rate-limit-config-error';
import type { RateLimiterOptions, RateLimitRule } from './rate-limit-options';
import { PRESET_SAFETY_MARGIN } from './rate-limit-presets';
import { getRatePreset, presetToLimiterOptions } from './create-limiter-from-preset';
import { resolveLimiterOptions } from './resolve-limiter-options';

/** A broker's `rateLimit` configuration block, e.g. `{ preset: kis-paper }` or `{ rules: [...] }`. */
export interface RateLimitConfig {
  preset?: string;
  rules?: RateLimitRule[];
  share?: number;
}

const CONFIG_KEYS = ['preset', 'rules', 'share'];

/**
 * Turns a configuration block into validated limiter options, or throws a {@link RateLimitConfigError}
 * naming the field under `path` (e.g. `brokers[0].rateLimit.rules[1].windowMs`).
 *
 * - `preset` alone: the preset's rules, operations and safety margin.
 * - `preset` + `rules`: each rule replaces the preset rule of the same id (how Kiwoom's budget is
 *   configured); an id the preset does not have is refused, since no preset operation would count
 *   against it.
 * - `rules` alone: every operation counts weight 1 against every rule, with the presets' 50 ms margin.
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
  resolveLimiterOptions(options, path);
  return options;
}
