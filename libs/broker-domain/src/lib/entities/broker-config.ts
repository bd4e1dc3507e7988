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

/** The broker's real server or its 모의투자 (paper) server. */
export type RestEnvironment = 'real' | 'paper';

/**
 * Where one credential comes from: the name of an environment variable, or a file (a mounted Kubernetes
 * Secret). Configuration never holds the secret itself.
 */
export type CredentialSource = { readonly env: string } | { readonly file: string };

/** The credential sources of one REST broker connection (one app key, one account). */
export interface RestCredentialSources {
  readonly appKey: CredentialSource;
  readonly appSecret: CredentialSource;
  /**
   * The account number: KIS CANO (8 digits, or "CANO-ACNT_PRDT_CD"), Kiwoom's account. Optional: without
   * it the configured account id is the account number.
   */
  readonly accountNumber?: CredentialSource;
  /** KIS ACNT_PRDT_CD (2 digits, e.g. "01"), when the account number does not carry it. */
  readonly accountProductCode?: CredentialSource;
}

/**
 * How a broker is reached over its own REST API (KIS, Kiwoom). Credentials are named, never written:
 * environment variables or files.
 */
export interface RestTransportConfig {
  environment: RestEnvironment;
  /** Default: the broker's URL for the environment. The REST simulator's URL offline and in tests. */
  baseUrl?: string;
  credentials: RestCredentialSources;
  /** Deadline of one request. Default: the broker's `deadlineMs`, else the platform's broker deadline. */
  requestTimeoutMs?: number;
  /** How long a request may wait for its rate-limit permit. Default 10 s. */
  permitTimeoutMs?: number;
  /** A token is replaced this long before it expires. Default 10 minutes. */
  tokenRefreshMarginMs?: number;
  /** Least time between two polls of a symbol in a quote stream. Default 1 s. */
  quotePollIntervalMs?: number;
  /** KIS only: the symbols its gateway lists (KIS has no symbol-list endpoint). */
  symbols?: string[];
}

/** How the platform reaches a broker: the JTS gRPC server (default), or the broker's own REST API. */
export type BrokerTransport = 'jts' | 'rest';

interface BrokerConfigBase {
  id: string;
  type: BrokerType;
  rateLimit: BrokerRateLimitConfig;
  accounts: AccountConfig[];
  /** Readiness fails while a required broker is not connected. */
  required: boolean;
  /** Serve this broker from the in-process MockBrokerGateway instead of its transport. */
  mock: boolean;
  /** Per-call deadline (gRPC call, or REST request unless `rest.requestTimeoutMs` says otherwise). */
  deadlineMs?: number;
  /**
   * After an order of this broker was sent, how long "the broker does not know it" is not yet "it never arrived"
   * (the reconciliation grace). Unset: the worker's WORKER_RECONCILE_GRACE_MS.
   */
  reconcileGraceMs?: number;
}

/** A broker reached through the JTS gRPC server. */
export interface JtsBrokerConfig extends BrokerConfigBase {
  transport?: 'jts';
  grpc: GrpcEndpointConfig;
  /** Kept when the entry also describes its REST connection (switching transport is one word). */
  rest?: RestTransportConfig;
}

/** A broker (KIS, Kiwoom) reached directly over its REST API; its one account is the app key's. */
export interface RestBrokerConfig extends BrokerConfigBase {
  transport: 'rest';
  rest: RestTransportConfig;
  /** Kept when the entry also describes its JTS endpoint; unused while the transport is REST. */
  grpc?: GrpcEndpointConfig;
}

/**
 * One broker connection as configured. Plain data: the apps validate the YAML it comes from and fail at
 * start-up naming the bad field.
 */
export type BrokerConfig = JtsBrokerConfig | RestBrokerConfig;

/** The transport of a configured broker (JTS unless it says REST). */
export function brokerTransportOf(config: Pick<BrokerConfig, 'transport'>): BrokerTransport {
  return config.transport === 'rest' ? 'rest' : 'jts';
}

/** Whether a configured broker is reached over its REST API. */
export function isRestBrokerConfig(config: BrokerConfig): config is RestBrokerConfig {
  return config.transport === 'rest';
}

/** The account flagged isDefault (the first such), else the first account, else undefined. */
export function defaultAccount(config: Pick<BrokerConfig, 'accounts'>): AccountConfig | undefined {
  return config.accounts.find((account) => account.isDefault) ?? config.accounts[0];
}
