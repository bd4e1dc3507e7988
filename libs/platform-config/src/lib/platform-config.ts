import type { BrokerConfig } from '@qts/broker-domain';
import type { WorkerSettings } from './worker-settings';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The one validated configuration of the platform, shared by the gateway and the worker. */
export interface PlatformConfig {
  /** The YAML file the brokers came from. */
  brokersConfigPath: string;
  brokers: BrokerConfig[];
  /** Interface the HTTP and gRPC servers bind to. */
  bindHost: string;
  /**
   * rateLimitShare: the gateway's share of every broker's budget (GATEWAY_RATE_LIMIT_SHARE, default 0.5; the worker
   * takes WORKER_RATE_LIMIT_SHARE, default 0.5, so that together they never exceed the broker's limit). A broker's
   * own `rateLimit.share` in the YAML wins. Unset (hand-built configurations in tests): the whole budget.
   */
  gateway: { httpPort: number; grpcPort: number; rateLimitShare?: number };
  /** The execution worker's settings (WORKER_*). */
  worker: WorkerSettings;
  /** Unset: each app uses its own SQLite file under data/. */
  databaseUrl?: string;
  /** Unset: the in-memory rate limiter. */
  redisUrl?: string;
  liveTradingEnabled: boolean;
  /** Bootstrap admin key. Secret: never logged. */
  adminApiKey?: string;
  logLevel: LogLevel;
  brokerHealthIntervalMs: number;
  brokerDeadlineMs: number;
}
