// Public API of @qts/broker-rest: KIS and Kiwoom reached directly over their REST APIs. The BrokerGateway of
// each (market data, accounts, orders), their order adapters for the execution worker, access tokens,
// credentials, rate-limit permits and the broker error -> fail-safe table.

// Credentials and transport configuration
export { SecretText } from './lib/credentials/secret-text';
export type { CredentialSource, RestCredentialSources } from './lib/credentials/credential-source';
export { CredentialError } from './lib/credentials/credential-error';
export { readCredential, requireCredentialSource, resolveRestCredentials } from './lib/credentials/resolve-credentials';
export type { CredentialReaders, RestBrokerCredentials } from './lib/credentials/resolve-credentials';

// Rate-limit permits
export { permitsFromRateLimiter } from './lib/permits/rest-call-permits';
export type {
  LeasingLimiter,
  RestCallOutcome,
  RestCallPermit,
  RestCallPermitOptions,
  RestCallPermits,
} from './lib/permits/rest-call-permits';

// Connection health (REST brokers have no health endpoint)
export {
  DEFAULT_REST_HEALTH_INTERVAL_MS,
  RestConnectionHealth,
  tcpReachability,
} from './lib/health/rest-connection-health';
export type { ReachabilityProbe, RestConnectionHealthOptions, RestRequestObserver } from './lib/health/rest-connection-health';

// Access tokens
export { AccessTokenManager, DEFAULT_REFRESH_MARGIN_MS } from './lib/tokens/access-token-manager';
export type { AccessTokenManagerOptions, AccessTokenSource } from './lib/tokens/access-token-manager';
export type { IssuedAccessToken, TokenIssuer } from './lib/tokens/token-issuer';
export type { StoredAccessToken, TokenStore } from './lib/tokens/token-store';
export { TokenLockTimeoutError } from './lib/tokens/token-store';
export { InMemoryTokenStore } from './lib/tokens/in-memory-token-store';
export { RedisTokenStore } from './lib/tokens/redis-token-store';
export { SqliteTokenStore } from './lib/tokens/sqlite-token-store';
export type { SqliteTokenStoreOptions } from './lib/tokens/sqlite-token-store';
export type { RedisTokenStoreOptions } from './lib/tokens/redis-token-store';
export { tokenSealingKey, tokenStoreKey } from './lib/tokens/token-sealing';

// HTTP
export type { RestBrokerClient, RestCall, RestOperation } from './lib/http/rest-call';
export type { RestResponse } from './lib/http/rest-response';
export { RestTransportError, isRestTransportError } from './lib/http/rest-transport-error';
export { AuthorizedRestClient, DEFAULT_PERMIT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './lib/http/authorized-rest-client';
export type { AuthorizedRestClientOptions } from './lib/http/authorized-rest-client';
export type { FetchFunction } from './lib/http/send-json-request';

// Fail-safe classification
export {
  BROKER_FAIL_SAFE_TABLE,
  failSafeRuleOf,
  isBusinessRefusalCode,
} from './lib/fail-safe/broker-fail-safe-table';
export type { BrokerFailSafeRule, TransportCondition } from './lib/fail-safe/broker-fail-safe-table';
export { brokerRefusalError } from './lib/fail-safe/broker-refusal-error';
export { UnclassifiedBrokerError, isUnclassifiedBrokerError } from './lib/fail-safe/unclassified-broker-error';

// Orders: what the KIS and Kiwoom adapters share
export { AMBIGUOUS_MATCH_CODE, RestOrderAdapter } from './lib/orders/rest-order-adapter';
export type {
  AmbiguousOrderMatch,
  ClientOrderResolution,
  OrderListQuery,
  RestOrderAdapterOptions,
  RestOrderPayload,
} from './lib/orders/rest-order-adapter';
export { DEFAULT_RECONCILIATION_WINDOW, matchPlacedOrder } from './lib/orders/order-match';
export type { OrderMatch, ReconciliationWindow } from './lib/orders/order-match';
export type { BrokerOrderRow } from './lib/orders/broker-order-row';

// KIS
export { KisOrderAdapter } from './lib/kis/kis-order-adapter';
export type { KisOrderAdapterOptions } from './lib/kis/kis-order-adapter';
export { KisHttpClient, KIS_TOKEN_REJECTION_CODES } from './lib/kis/kis-http-client';
export type { KisHttpClientOptions } from './lib/kis/kis-http-client';
export { KisTokenIssuer, KIS_TOKEN_ISSUANCE_LIMIT_CODE } from './lib/kis/kis-token-issuer';
export { buildKisOrderPayload, buildKisCancelPayload, KIS_ORDER_DIVISION } from './lib/kis/kis-order-payload';
export type { KisOrderCashBody, KisCancelBody, KisCancelTarget } from './lib/kis/kis-order-payload';
export { parseKisPlaceResponse } from './lib/kis/kis-place-response';
export type { KisPlaceResult } from './lib/kis/kis-place-response';
export { parseKisDailyOrders } from './lib/kis/kis-daily-orders';
export type { KisDailyOrder } from './lib/kis/kis-daily-orders';
export { KIS_STATUS_TO_ORDER_STATUS, kisOrderState, kisOrderStatus } from './lib/kis/kis-order-status';
export { KIS_ERROR_TO_SAFETY, mapKisErrorToFailSafe } from './lib/kis/kis-error-to-fail-safe';
export type { KisErrorInput } from './lib/kis/kis-error-to-fail-safe';
export {
  KIS_REAL_BASE_URL,
  KIS_PAPER_BASE_URL,
  KIS_TOKEN_PATH,
  KIS_ORDER_CASH_PATH,
  KIS_ORDER_REVISE_CANCEL_PATH,
  KIS_INQUIRE_DAILY_CCLD_PATH,
  KIS_TR_IDS,
  KIS_LEGACY_TR_IDS,
  KIS_QUOTATION_TR_IDS,
  kisOrderTrId,
  kisTrIds,
} from './lib/kis/kis-endpoints';
export type { KisAccount } from './lib/kis/kis-account';

// Kiwoom
export { KiwoomOrderAdapter } from './lib/kiwoom/kiwoom-order-adapter';
export type { KiwoomOrderAdapterOptions } from './lib/kiwoom/kiwoom-order-adapter';
export { KiwoomHttpClient, KIWOOM_TOKEN_REJECTION_CODES } from './lib/kiwoom/kiwoom-http-client';
export { KiwoomTokenIssuer } from './lib/kiwoom/kiwoom-token-issuer';
export { buildKiwoomOrderPayload, buildKiwoomCancelPayload, KIWOOM_TRADE_TYPE } from './lib/kiwoom/kiwoom-order-payload';
export { parseKiwoomPlaceResponse } from './lib/kiwoom/kiwoom-place-response';
export type { KiwoomPlaceResult } from './lib/kiwoom/kiwoom-place-response';
export { parseKiwoomOrderDetails } from './lib/kiwoom/kiwoom-order-details';
export type { KiwoomOrderDetail } from './lib/kiwoom/kiwoom-order-details';
export { KIWOOM_STATUS_TO_ORDER_STATUS, kiwoomOrderState, kiwoomOrderStatus } from './lib/kiwoom/kiwoom-order-status';
export {
  KIWOOM_ERROR_TO_SAFETY,
  mapKiwoomErrorToFailSafe,
  kiwoomMessageCode,
} from './lib/kiwoom/kiwoom-error-to-fail-safe';
export type { KiwoomErrorInput } from './lib/kiwoom/kiwoom-error-to-fail-safe';
export {
  KIWOOM_REAL_BASE_URL,
  KIWOOM_MOCK_BASE_URL,
  KIWOOM_TOKEN_PATH,
  KIWOOM_ORDER_PATH,
  KIWOOM_API_IDS,
} from './lib/kiwoom/kiwoom-endpoints';
export type { KiwoomExchange } from './lib/kiwoom/kiwoom-endpoints';

// Gateways (the BrokerGateway port over REST) and the wiring of one REST broker connection
export { RestBrokerGateway, DEFAULT_QUOTE_POLL_INTERVAL_MS } from './lib/gateway/rest-broker-gateway';
export type { RestBrokerGatewayOptions } from './lib/gateway/rest-broker-gateway';
export { KisRestBrokerGateway, KIS_BUYING_POWER_REFERENCE_SYMBOL } from './lib/kis/kis-rest-broker-gateway';
export type { KisRestBrokerGatewayOptions } from './lib/kis/kis-rest-broker-gateway';
export { KiwoomRestBrokerGateway } from './lib/kiwoom/kiwoom-rest-broker-gateway';
export type { KiwoomRestBrokerGatewayOptions } from './lib/kiwoom/kiwoom-rest-broker-gateway';
export { createRestBroker, kisAccountOf } from './lib/create-rest-broker';
export type { CreateRestBrokerOptions, RestBrokerConnection } from './lib/create-rest-broker';
export { parseRestTransportConfig, RestConfigError } from './lib/transport/rest-transport-config';
export type { RestEnvironment, RestTransportConfig } from './lib/transport/rest-transport-config';
