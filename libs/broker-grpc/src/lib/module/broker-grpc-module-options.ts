import { BrokerConfig } from '@qts/broker-domain';
import type { RateLimitBackendSettings } from '@qts/rate-limit';

/** Options of BrokerGrpcModule.forRoot / forRootAsync. */
export interface BrokerGrpcModuleOptions {
  /** The brokers to serve (validated configuration); `mock: true` ones are served offline. */
  brokers: BrokerConfig[];
  /** Health probe period while CONNECTED (ms). Default 30 s. */
  healthIntervalMs?: number;
  /** Unary call deadline (ms), unless a broker sets its own `deadlineMs`. Default 5 s. */
  deadlineMs?: number;
  /** Deadline of a candle stream (ms). Default 60 s. */
  streamDeadlineMs?: number;
  /** How long a call may wait for a rate-limit permit (ms). Default 10 s. */
  acquireTimeoutMs?: number;
  /**
   * Where this process keeps its rate-limit grants (memory, a local shared file, Redis, or a static
   * split share). Default: memory, the whole budget for this process alone.
   */
  rateLimit?: RateLimitBackendSettings;
  /** Seed of the mock brokers' markets and of the backoff jitter; same seed, same run. */
  seed?: number;
}
