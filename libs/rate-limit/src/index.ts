export type {
  AcquireOptions,
  OperationCost,
  RateLimiterOptions,
  RateLimitRule,
  RateLimitSafetyMargin,
} from './lib/rate-limit-options';
export { systemRateLimitClock, type RateLimitClock, type RateLimitTimerHandle } from './lib/rate-limit-clock';
export { ManualRateLimitClock } from './lib/manual-rate-limit-clock';
export { RateLimitConfigError } from './lib/rate-limit-config-error';
export type { RateLimitRuleUsage, RateLimitUsageSnapshot } from './lib/rate-limit-usage';
export type { EffectiveRateLimitRule, RateLimitLedger, ResolvedCost } from './lib/rate-limit-ledger';
export { SlidingWindowLog } from './lib/sliding-window-log';
export { InMemoryRateLimitLedger } from './lib/in-memory-rate-limit-ledger';
export {
  SlidingWindowCounter,
  type SlidingWindowArrival,
  type SlidingWindowCounterOptions,
} from './lib/sliding-window-counter';
export { DEFAULT_ACQUIRE_TIMEOUT_MS, effectiveLimit } from './lib/resolve-limiter-options';
export { SlidingWindowLimiter } from './lib/sliding-window-limiter';
export {
  PRESET_SAFETY_MARGIN,
  RATE_LIMIT_PRESETS,
  RATE_PRESET_IDS,
  isRatePresetId,
  type RatePreset,
  type RatePresetId,
} from './lib/rate-limit-presets';
export {
  createLimiterFromPreset,
  getRatePreset,
  presetToLimiterOptions,
} from './lib/create-limiter-from-preset';
export { resolveRateLimitConfig, type RateLimitConfig } from './lib/resolve-rate-limit-config';
