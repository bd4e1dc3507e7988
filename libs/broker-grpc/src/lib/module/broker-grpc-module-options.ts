import { BrokerConfig } from '@qts/broker-domain';

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
  /** This process's share of every broker budget, (0, 1], unless a broker's rateLimit.share says otherwise. */
  rateLimitShare?: number;
  /** Seed of the mock brokers' markets and of the backoff jitter; same seed, same run. */
  seed?: number;
}
