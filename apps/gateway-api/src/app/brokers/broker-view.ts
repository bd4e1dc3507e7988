import type { AccountType, BrokerTransport, BrokerType, ConnectionStatus } from '@qts/broker-domain';

export type BrokerViewTransport = BrokerTransport | 'mock';

export const BROKER_VIEW_TRANSPORTS: readonly BrokerViewTransport[] = ['jts', 'rest', 'mock'];

/** One rule of a broker's rate limit, as the API shows it. */
export interface RateLimitRuleView {
  ruleId: string;
  limit: number;
  windowMs: number;
  used: number;
  ratio: number;
  waiters: number;
}

export interface RateLimitView {
  /** Highest rule ratio, 0..1. */
  ratio: number;
  rules: RateLimitRuleView[];
}

export interface AccountView {
  id: string;
  name: string;
  type: AccountType;
  isDefault: boolean;
}

/** A configured broker as GET /brokers, the health body, the dashboard and gRPC GetBroker show it. */
export interface BrokerView {
  id: string;
  type: BrokerType;
  status: ConnectionStatus;
  /** Candles are being served from the cache because the broker is unavailable. */
  offline: boolean;
  /** Served by the in-process MockBrokerGateway (`mock: true` in the configuration). */
  mock: boolean;
  /** How the gateway reaches the broker: the JTS gRPC server, the broker's own REST API, or the in-process mock. */
  transport: BrokerViewTransport;
  /** Readiness needs this broker CONNECTED or DEGRADED. */
  required: boolean;
  /** When the broker's health was last checked (RFC 3339 UTC); null before the first check and for mock brokers. */
  lastHealthCheckAt: string | null;
  /** Active accounts: the configured ones, then those added at run time. */
  accounts: AccountView[];
  /** Null for brokers without a limiter (mock brokers). */
  rateLimit: RateLimitView | null;
}
