import { RateLimitConfigError } from './rate-limit-config-error';
import type { OperationCost, RateLimiterOptions } from './rate-limit-options';
import { RATE_LIMIT_PRESETS, RATE_PRESET_IDS, isRatePresetId, type RatePreset } from './rate-limit-presets';
import { SlidingWindowLimiter } from './sliding-window-limiter';

/** The preset as mutable limiter options (fresh copies: the preset itself is frozen and shared). */
export function presetToLimiterOptions(preset: RatePreset): RateLimiterOptions {
  const copyCosts = (costs: readonly Readonly<OperationCost>[]): OperationCost[] =>
    costs.map((cost) => ({ ...cost }));
  return {
    name: preset.id,
    rules: preset.rules.map((rule) => ({ ...rule })),
    ...(preset.operations && {
      operations: Object.fromEntries(
        Object.entries(preset.operations).map(([operation, costs]) => [operation, copyCosts(costs)]),
      ),
    }),
    defaultCosts: copyCosts(preset.defaultCosts),
    safetyMargin: { ...preset.safetyMargin },
    priorityOperations: [...preset.priorityOperations],
    priorityReserve: preset.priorityReserve,
  };
}

export function getRatePreset(presetId: string, field = 'preset'): RatePreset {
  if (!isRatePresetId(presetId)) {
    throw new RateLimitConfigError(
      field,
      `must be one of ${RATE_PRESET_IDS.join(', ')} (got ${JSON.stringify(presetId)})`,
    );
  }
  return RATE_LIMIT_PRESETS[presetId];
}

/** A limiter for a broker preset; `overrides` replace whole options (e.g. `share`, `clock`, `name`). */
export function createLimiterFromPreset(
  preset: string,
  overrides: Partial<RateLimiterOptions> = {},
): SlidingWindowLimiter {
  return new SlidingWindowLimiter({ ...presetToLimiterOptions(getRatePreset(preset)), ...overrides });
}
