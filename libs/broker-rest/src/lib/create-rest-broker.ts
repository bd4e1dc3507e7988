import { BrokerType, InvalidArgumentError } from '@qts/broker-domain';
import { resolveRestCredentials, CredentialReaders, RestBrokerCredentials } from './credentials/resolve-credentials';
import type { FetchFunction } from './http/send-json-request';
import { KIS_PAPER_BASE_URL, KIS_REAL_BASE_URL } from './kis/kis-endpoints';
import { KisHttpClient } from './kis/kis-http-client';
import { KisOrderAdapter } from './kis/kis-order-adapter';
import { KisRestBrokerGateway } from './kis/kis-rest-broker-gateway';
import { KisTokenIssuer } from './kis/kis-token-issuer';
import { KIWOOM_MOCK_BASE_URL, KIWOOM_REAL_BASE_URL } from './kiwoom/kiwoom-endpoints';
import { KiwoomHttpClient } from './kiwoom/kiwoom-http-client';
import { KiwoomOrderAdapter } from './kiwoom/kiwoom-order-adapter';
import { KiwoomRestBrokerGateway } from './kiwoom/kiwoom-rest-broker-gateway';
import { KiwoomTokenIssuer } from './kiwoom/kiwoom-token-issuer';
import { RestConnectionHealth, type ReachabilityProbe } from './health/rest-connection-health';
import type { AmbiguousOrderMatch } from './orders/rest-order-adapter';
import type { RestCallPermits } from './permits/rest-call-permits';
import { AccessTokenManager } from './tokens/access-token-manager';
import { tokenSealingKey, tokenStoreKey } from './tokens/token-sealing';
import type { TokenStore } from './tokens/token-store';
import type { RestTransportConfig } from './transport/rest-transport-config';

export interface CreateRestBrokerOptions {
  brokerId: string;
  brokerType: BrokerType;
  /** The configured account of the broker entry (its id is what callers send). */
  accountId: string;
  transport: RestTransportConfig;
  /** This broker's rate limiter as leases; every request and every token issuance takes one. */
  permits: RestCallPermits;
  /** InMemoryTokenStore in one process, RedisTokenStore to share one token per app key across replicas. */
  tokenStore: TokenStore;
  /** Default: read from transport.credentials (environment variables, files). */
  credentials?: RestBrokerCredentials;
  credentialReaders?: CredentialReaders;
  fetch?: FetchFunction;
  clock?: () => Date;
  onAmbiguousMatch?: (match: AmbiguousOrderMatch) => void;
  /** Where credential errors point, e.g. `brokers[3].rest.credentials`. Default `<brokerId>.credentials`. */
  credentialsField?: string;
  /** The connection's health: reachability checks while idle (default 30 s apart), the probe itself (tests). */
  health?: { intervalMs?: number; probe?: ReachabilityProbe };
}

export type RestBrokerConnection =
  | {
      brokerType: BrokerType.KIS;
      gateway: KisRestBrokerGateway;
      orders: KisOrderAdapter;
      tokens: AccessTokenManager;
      client: KisHttpClient;
      health: RestConnectionHealth;
    }
  | {
      brokerType: BrokerType.KIWOOM;
      gateway: KiwoomRestBrokerGateway;
      orders: KiwoomOrderAdapter;
      tokens: AccessTokenManager;
      client: KiwoomHttpClient;
      health: RestConnectionHealth;
    };

/**
 * Everything of one REST broker connection, wired: credentials read from their sources, the access-token
 * manager of the app key (sharing the store), the HTTP client taking a permit for every request, the order
 * adapter (what the worker uses) and the BrokerGateway (what the gateway serves) on the same order path.
 */
export function createRestBroker(options: CreateRestBrokerOptions): RestBrokerConnection {
  const { transport, brokerId } = options;
  const credentials =
    options.credentials ??
    resolveRestCredentials(transport.credentials, options.credentialsField ?? `${brokerId}.credentials`, options.credentialReaders ?? {});
  const paper = transport.environment === 'paper';
  const now = options.clock === undefined ? Date.now : () => (options.clock as () => Date)().getTime();
  const storeKey = tokenStoreKey(options.brokerType, transport.environment, credentials.appKey);
  const baseUrlFor = (real: string, paperUrl: string) => transport.baseUrl ?? (paper ? paperUrl : real);
  const healthOf = (baseUrl: string) =>
    new RestConnectionHealth({
      brokerId,
      baseUrl,
      ...(options.health?.intervalMs === undefined ? {} : { intervalMs: options.health.intervalMs }),
      ...(options.health?.probe === undefined ? {} : { probe: options.health.probe }),
    });
  const common = {
    brokerId,
    permits: options.permits,
    ...(transport.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: transport.requestTimeoutMs }),
    ...(transport.permitTimeoutMs === undefined ? {} : { permitTimeoutMs: transport.permitTimeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const tokensFor = (issuer: KisTokenIssuer | KiwoomTokenIssuer) =>
    new AccessTokenManager({
      brokerId,
      storeKey,
      sealingKey: tokenSealingKey(credentials.appSecret, storeKey),
      issuer,
      store: options.tokenStore,
      permits: options.permits,
      now,
      ...(transport.tokenRefreshMarginMs === undefined ? {} : { refreshMarginMs: transport.tokenRefreshMarginMs }),
    });
  const gatewayOptions = {
    brokerId,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(transport.quotePollIntervalMs === undefined ? {} : { quotePollIntervalMs: transport.quotePollIntervalMs }),
  };
  const adapterOptions = {
    brokerId,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onAmbiguousMatch === undefined ? {} : { onAmbiguousMatch: options.onAmbiguousMatch }),
  };

  if (options.brokerType === BrokerType.KIS) {
    const baseUrl = baseUrlFor(KIS_REAL_BASE_URL, KIS_PAPER_BASE_URL);
    const health = healthOf(baseUrl);
    const issuer = new KisTokenIssuer({
      brokerId,
      baseUrl,
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      now,
    });
    const tokens = tokensFor(issuer);
    const client = new KisHttpClient({
      ...common,
      baseUrl,
      paper,
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      tokens,
      observer: health,
    });
    const account = kisAccountOf(credentials.accountNumber ?? options.accountId, credentials.accountProductCode);
    const orders = new KisOrderAdapter(client, { ...adapterOptions, ...account, paper, accountId: options.accountId });
    const gateway = new KisRestBrokerGateway({
      ...gatewayOptions,
      client,
      orders,
      paper,
      ...(transport.symbols === undefined ? {} : { symbols: transport.symbols }),
    });
    return { brokerType: BrokerType.KIS, gateway, orders, tokens, client, health };
  }
  if (options.brokerType === BrokerType.KIWOOM) {
    const baseUrl = baseUrlFor(KIWOOM_REAL_BASE_URL, KIWOOM_MOCK_BASE_URL);
    const health = healthOf(baseUrl);
    const issuer = new KiwoomTokenIssuer({
      brokerId,
      baseUrl,
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    const tokens = tokensFor(issuer);
    const client = new KiwoomHttpClient({ ...common, baseUrl, tokens, observer: health });
    const orders = new KiwoomOrderAdapter(client, { ...adapterOptions, accountId: options.accountId });
    const gateway = new KiwoomRestBrokerGateway({ ...gatewayOptions, client, orders });
    return { brokerType: BrokerType.KIWOOM, gateway, orders, tokens, client, health };
  }
  throw new InvalidArgumentError(`${options.brokerType} has no REST API; reach it through JTS`, { field: 'brokerType' });
}

/** CANO and ACNT_PRDT_CD from "50012345-01", "5001234501", or "50012345" with a separate product code. */
export function kisAccountOf(accountNumber: string, productCode?: string): { cano: string; acntPrdtCd: string } {
  const digits = accountNumber.replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(digits) && productCode === undefined) {
    return { cano: digits.slice(0, 8), acntPrdtCd: digits.slice(8) };
  }
  if (/^\d{8}$/.test(digits) && productCode !== undefined && /^\d{2}$/.test(productCode)) {
    return { cano: digits, acntPrdtCd: productCode };
  }
  if (/^\d{10}$/.test(digits) && productCode !== undefined && digits.slice(8) === productCode) {
    return { cano: digits.slice(0, 8), acntPrdtCd: productCode };
  }
  throw new InvalidArgumentError(
    'the KIS account must be "CANO-ACNT_PRDT_CD" (8 and 2 digits), or an 8-digit CANO with accountProductCode',
    { field: 'accountNumber' },
  );
}
