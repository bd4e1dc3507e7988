export { ConfigValidationError } from './lib/config-validation-error';
export { loadBrokersConfig, parseBrokersConfig } from './lib/load-brokers-config';
export {
  loadPlatformConfig,
  rateLimitBackendSettings,
  DEFAULT_BROKERS_CONFIG,
  DEFAULT_RATE_LIMIT_LEDGER,
  type LoadPlatformConfigOptions,
} from './lib/load-platform-config';
export {
  DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS,
  LOG_LEVELS,
  type GatewaySettings,
  type GatewayWorkerLink,
  type LogLevel,
  type PlatformConfig,
  type PlatformRateLimitConfig,
} from './lib/platform-config';
export { DEFAULT_WORKER_SETTINGS, MAX_INTENT_EXPIRY_MS, type WorkerSettings } from './lib/worker-settings';
export {
  DEFAULT_SECURITY_SETTINGS,
  type GrpcTlsSettings,
  type SecuritySettings,
} from './lib/security-settings';
export { PLATFORM_CONFIG, PlatformConfigModule } from './lib/platform-config.module';
export { flattenValidationErrors, type ValidationProblem } from './lib/flatten-validation-errors';
