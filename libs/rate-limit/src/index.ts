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
export type {
  RateLimitBackendKind,
  RateLimiterHealth,
  RateLimitRuleUsage,
  RateLimitUsageSnapshot,
} from './lib/rate-limit-usage';
export {
  type EffectiveRateLimitRule,
  type RateLimitLedger,
  type RateLimitPriority,
  type ResolvedCost,
} from './lib/rate-limit-ledger';
export type { LeaseOutcome, RateLimitLease } from './lib/rate-limit-lease';
export type { RateLimiter } from './lib/rate-limiter';
export { SlidingWindowLog } from './lib/sliding-window-log';
export { InMemoryRateLimitLedger } from './lib/in-memory-rate-limit-ledger';
export {
  SlidingWindowCounter,
  type SlidingWindowArrival,
  type SlidingWindowCounterOptions,
} from './lib/sliding-window-counter';
export {
  DEFAULT_ACQUIRE_TIMEOUT_MS,
  DEFAULT_UNANSWERED_HOLD_MS,
  IN_FLIGHT_RULE_ID,
  effectiveLimit,
  resolveLimiterOptions,
  type ResolvedLimiterOptions,
} from './lib/resolve-limiter-options';
export { SlidingWindowLimiter } from './lib/sliding-window-limiter';
export {
  DEFAULT_TRADING_RESERVE,
  PRESET_SAFETY_MARGIN,
  RATE_LIMIT_PRESETS,
  RATE_PRESET_IDS,
  TRADING_OPERATIONS,
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
export type {
  LedgerCost,
  LedgerHeartbeat,
  LedgerRestoredGrant,
  LedgerRuleUsage,
  LedgerTakeRequest,
  LedgerTakeResult,
  SharedLedgerOwner,
  SharedRateLimitLedger,
} from './lib/shared/shared-rate-limit-ledger';
export { SharedRateLimiter, DEFAULT_HEARTBEAT_MS, type SharedRateLimiterOptions } from './lib/shared/shared-rate-limiter';
export { createLedgerOwner, DEFAULT_OWNER_TTL_MS } from './lib/shared/ledger-owner';
export {
  FileDoorbell,
  hostMonotonicMs,
  SqliteLedgerFile,
  SqliteRateLimitLedger,
  type LedgerDoorbell,
  type SqliteLedgerFileOptions,
} from './lib/sqlite/sqlite-rate-limit-ledger';
export {
  DEFAULT_REDIS_KEY_PREFIX,
  RedisLedgerConnection,
  RedisRateLimitLedger,
  type RedisLedgerConnectionOptions,
} from './lib/redis/redis-rate-limit-ledger';
export {
  RATE_LIMIT_MODES,
  RateLimitBackend,
  type RateLimitBackendHooks,
  type RateLimitBackendSettings,
  type RateLimitMode,
} from './lib/rate-limit-backend';
