import type { BrokerConfig } from '@qts/broker-domain';
import type { RateLimitMode } from '@qts/rate-limit';
import type { SecuritySettings } from './security-settings';
import type { WorkerSettings } from './worker-settings';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The one validated configuration of the platform, shared by the gateway and the worker. */
export interface PlatformConfig {
  /** The YAML file the brokers came from. */
  brokersConfigPath: string;
  brokers: BrokerConfig[];
  /** Interface the HTTP and gRPC servers bind to (BIND_HOST, default 127.0.0.1). */
  bindHost: string;
  gateway: GatewaySettings;
  /** The execution worker's settings (WORKER_*). */
  worker: WorkerSettings;
  /** Unset: each app uses its own SQLite file under data/. */
  databaseUrl?: string;
  /** Redis for the rate-limit ledger shared by every process and replica (RATE_LIMIT_MODE=redis). */
  redisUrl?: string;
  /** How the processes share each broker's budget. Unset (hand-built configurations in tests): memory. */
  rateLimit?: PlatformRateLimitConfig;
  liveTradingEnabled: boolean;
  /** Bootstrap admin key. Secret: never logged. */
  adminApiKey?: string;
  /** CORS and gRPC TLS. Unset (hand-built configurations in tests): DEFAULT_SECURITY_SETTINGS. */
  security?: SecuritySettings;
  logLevel: LogLevel;
  brokerHealthIntervalMs: number;
  brokerDeadlineMs: number;
  /** ACCOUNTS_REFRESH_MS: how often each process reads the accounts added at run time again. Unset: 2000. */
  accountsRefreshMs?: number;
  /**
   * HTTP_KEEP_ALIVE_TIMEOUT_MS: how long the HTTP servers keep an idle keep-alive connection open. Above the idle
   * timeout of the clients and load balancers in front, so that they, not the server, close an idle connection:
   * a server that closes one while a client reuses it fails that request (socket hang up). Unset (hand-built
   * configurations in tests): DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS.
   */
  httpKeepAliveTimeoutMs?: number;
}

/** 75 s: above the 60 s idle timeout of AWS load balancers, nginx and most HTTP client pools. */
export const DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS = 75_000;

/** The gateway's own settings (GATEWAY_*). */
export interface GatewaySettings {
  httpPort: number;
  grpcPort: number;
  /**
   * GATEWAY_WORKER_URL: how an account added through the gateway reaches the execution worker. Unset (hand-built
   * configurations, or not configured): additions are refused, so that no account is ever half-added.
   */
  worker?: GatewayWorkerLink;
  /** GATEWAY_CONSOLE_BALANCE_REFRESH_MS: how often the console asks the brokers for balances while it is open. */
  consoleBalanceRefreshMs?: number;
}

/**
 * The execution worker's HTTP API as the gateway calls it (an admin key of the worker: GATEWAY_WORKER_API_KEY, else
 * ADMIN_API_KEY), or `none`: no execution worker trades these brokers' accounts.
 */
export type GatewayWorkerLink = { kind: 'http'; url: string; apiKey?: string } | { kind: 'none' };

/** Where each process keeps its rate-limit grants, and what it needs for that (docs/operations.md). */
export interface PlatformRateLimitConfig {
  /** RATE_LIMIT_MODE: memory, local, redis or split. */
  mode: RateLimitMode;
  /** Where the mode came from: RATE_LIMIT_MODE itself, REDIS_URL set without it (redis), or the default (split). */
  modeSource: 'RATE_LIMIT_MODE' | 'REDIS_URL' | 'default';
  /** local: RATE_LIMIT_LEDGER_PATH, default data/rate-limit.sqlite under the working directory. */
  ledgerPath: string;
  /** redis: RATE_LIMIT_REDIS_PREFIX, default qts:rate-limit. */
  redisKeyPrefix: string;
  /** local, redis: RATE_LIMIT_OWNER_TTL_MS, how long a silent process keeps its grants held (default 5000). */
  ownerTtlMs: number;
  /** split: GATEWAY_RATE_LIMIT_SHARE and WORKER_RATE_LIMIT_SHARE (default 0.5 each). */
  gatewayShare: number;
  workerShare: number;
}
