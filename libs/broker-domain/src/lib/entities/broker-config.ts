import { AccountType } from '../enums/account-type';
import { BrokerType } from '../enums/broker-type';

/** An account reachable through a broker connection. */
export interface AccountConfig {
  id: string;
  name: string;
  type: AccountType;
  isDefault: boolean;
}

export interface GrpcEndpointConfig {
  host: string;
  port: number;
}

/** "At most `limit` requests in any window of `windowMs`". */
export interface RateLimitRuleConfig {
  id: string;
  limit: number;
  windowMs: number;
}

export interface BrokerRateLimitConfig {
  /** A named preset of the rate-limit library, e.g. 'kis-paper'. */
  preset?: string;
  /** Explicit rules; used instead of, or on top of, the preset (the rate-limit library decides). */
  rules?: RateLimitRuleConfig[];
  /** The platform's share (all its processes together) of the account's budget, 0 < share <= 1. Default 1. */
  share?: number;
  /** Part of each rule, in [0, 1), that only trading operations (place, cancel, order status) may use. */
  tradingReserve?: number;
  /** At most this many requests in flight to the broker at once. */
  maxInFlight?: number;
  /** Milliseconds added to every window (none by default). */
  marginMs?: number;
}

/**
 * One broker connection as configured. Plain data: the apps validate the YAML it comes from and fail at
 * start-up naming the bad field.
 */
export interface BrokerConfig {
  id: string;
  type: BrokerType;
  grpc: GrpcEndpointConfig;
  rateLimit: BrokerRateLimitConfig;
  accounts: AccountConfig[];
  /** Readiness fails while a required broker is not connected. */
  required: boolean;
  /** Serve this broker from the in-process MockBrokerGateway instead of gRPC. */
  mock: boolean;
  /** Per-call deadline for the gRPC client. */
  deadlineMs?: number;
  /**
   * After an order of this broker was sent, how long "the broker does not know it" is not yet "it never arrived"
   * (the reconciliation grace). Unset: the worker's WORKER_RECONCILE_GRACE_MS.
   */
  reconcileGraceMs?: number;
}

/** The account flagged isDefault (the first such), else the first account, else undefined. */
export function defaultAccount(config: Pick<BrokerConfig, 'accounts'>): AccountConfig | undefined {
  return config.accounts.find((account) => account.isDefault) ?? config.accounts[0];
}
