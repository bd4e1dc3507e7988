// Order adapters (JTS, KIS REST, Kiwoom REST) and the broker error -> fail-safe table.

export { BROKER_FAIL_SAFE_TABLE, failSafeRuleOf } from './fail-safe/broker-fail-safe-table';
export type { BrokerFailSafeRule, TransportCondition } from './fail-safe/broker-fail-safe-table';
export { brokerRefusalError } from './fail-safe/broker-refusal-error';
export { UnclassifiedBrokerError, isUnclassifiedBrokerError } from './fail-safe/unclassified-broker-error';
export { hasPayloadBuilder } from './order-payload';
export type { OrderPayload, OrderPayloadBuilder } from './order-payload';
export { getBroker, getBrokerForConfig } from './get-broker';
export type { OrderAdapterDependencies, OrderAdapterKind } from './get-broker';
export type { AccessTokenProvider } from './rest/access-token-provider';
export { RestTransportError } from './rest/rest-transport-error';
export type { RestResponse } from './rest/rest-response';

// JTS
export { JtsOrderAdapter } from './jts/jts-order-adapter';

// KIS REST
export { KisOrderAdapter } from './kis/kis-order-adapter';
export type { KisOrderAdapterOptions, KisOrderCall } from './kis/kis-order-adapter';
export type { KisOrderClient } from './kis/kis-order-client';
export { FetchKisOrderClient } from './kis/fetch-kis-order-client';
export type { FetchKisOrderClientOptions } from './kis/fetch-kis-order-client';
export { buildKisOrderPayload, buildKisCancelPayload, KIS_ORDER_DIVISION } from './kis/kis-order-payload';
export type { KisOrderCashBody, KisCancelBody, KisCancelTarget } from './kis/kis-order-payload';
export { parseKisPlaceResponse } from './kis/kis-place-response';
export type { KisPlaceResult } from './kis/kis-place-response';
export { parseKisDailyOrders } from './kis/kis-daily-orders';
export { KIS_STATUS_TO_ORDER_STATUS, kisOrderState, kisOrderStatus } from './kis/kis-order-status';
export { KIS_ERROR_TO_SAFETY, mapKisErrorToFailSafe } from './kis/kis-error-to-fail-safe';
export type { KisErrorInput } from './kis/kis-error-to-fail-safe';
export {
  KIS_REAL_BASE_URL,
  KIS_PAPER_BASE_URL,
  KIS_ORDER_CASH_PATH,
  KIS_ORDER_REVISE_CANCEL_PATH,
  KIS_INQUIRE_DAILY_CCLD_PATH,
  KIS_TR_IDS,
  KIS_LEGACY_TR_IDS,
  kisOrderTrId,
  kisTrIds,
} from './kis/kis-endpoints';
export type { KisAccount } from './kis/kis-account';

// Kiwoom REST
export { KiwoomOrderAdapter } from './kiwoom/kiwoom-order-adapter';
export type { KiwoomOrderAdapterOptions } from './kiwoom/kiwoom-order-adapter';
export type { KiwoomOrderClient } from './kiwoom/kiwoom-order-client';
export { FetchKiwoomOrderClient } from './kiwoom/fetch-kiwoom-order-client';
export type { FetchKiwoomOrderClientOptions } from './kiwoom/fetch-kiwoom-order-client';
export {
  buildKiwoomOrderPayload,
  buildKiwoomCancelPayload,
  KIWOOM_TRADE_TYPE,
} from './kiwoom/kiwoom-order-payload';
export { parseKiwoomPlaceResponse } from './kiwoom/kiwoom-place-response';
export type { KiwoomPlaceResult } from './kiwoom/kiwoom-place-response';
export { parseKiwoomOrderDetails } from './kiwoom/kiwoom-order-details';
export {
  KIWOOM_STATUS_TO_ORDER_STATUS,
  kiwoomOrderState,
  kiwoomOrderStatus,
} from './kiwoom/kiwoom-order-status';
export {
  KIWOOM_ERROR_TO_SAFETY,
  mapKiwoomErrorToFailSafe,
  kiwoomMessageCode,
} from './kiwoom/kiwoom-error-to-fail-safe';
export type { KiwoomErrorInput } from './kiwoom/kiwoom-error-to-fail-safe';
export {
  KIWOOM_REAL_BASE_URL,
  KIWOOM_MOCK_BASE_URL,
  KIWOOM_ORDER_PATH,
  KIWOOM_API_IDS,
} from './kiwoom/kiwoom-endpoints';
export type { KiwoomExchange } from './kiwoom/kiwoom-endpoints';
