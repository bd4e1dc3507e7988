// Order adapters of the worker. The JTS adapter lives here (it wraps the gRPC gateway); the direct KIS and
// Kiwoom REST adapters, their payload builders, parsers, status maps and the broker error -> fail-safe table
// live in @qts/broker-rest and are re-exported for the worker's callers.

export {
  BROKER_FAIL_SAFE_TABLE,
  failSafeRuleOf,
  isBusinessRefusalCode,
  brokerRefusalError,
  UnclassifiedBrokerError,
  isUnclassifiedBrokerError,
  // KIS REST
  KisOrderAdapter,
  KisHttpClient,
  buildKisOrderPayload,
  buildKisCancelPayload,
  KIS_ORDER_DIVISION,
  parseKisPlaceResponse,
  parseKisDailyOrders,
  KIS_STATUS_TO_ORDER_STATUS,
  kisOrderState,
  kisOrderStatus,
  KIS_ERROR_TO_SAFETY,
  mapKisErrorToFailSafe,
  KIS_REAL_BASE_URL,
  KIS_PAPER_BASE_URL,
  KIS_ORDER_CASH_PATH,
  KIS_ORDER_REVISE_CANCEL_PATH,
  KIS_INQUIRE_DAILY_CCLD_PATH,
  KIS_TR_IDS,
  KIS_LEGACY_TR_IDS,
  kisOrderTrId,
  kisTrIds,
  // Kiwoom REST
  KiwoomOrderAdapter,
  KiwoomHttpClient,
  buildKiwoomOrderPayload,
  buildKiwoomCancelPayload,
  KIWOOM_TRADE_TYPE,
  parseKiwoomPlaceResponse,
  parseKiwoomOrderDetails,
  KIWOOM_STATUS_TO_ORDER_STATUS,
  kiwoomOrderState,
  kiwoomOrderStatus,
  KIWOOM_ERROR_TO_SAFETY,
  mapKiwoomErrorToFailSafe,
  kiwoomMessageCode,
  KIWOOM_REAL_BASE_URL,
  KIWOOM_MOCK_BASE_URL,
  KIWOOM_ORDER_PATH,
  KIWOOM_API_IDS,
} from '@qts/broker-rest';
export type {
  BrokerFailSafeRule,
  TransportCondition,
  RestBrokerClient,
  RestResponse,
  KisOrderAdapterOptions,
  KisOrderCashBody,
  KisCancelBody,
  KisCancelTarget,
  KisPlaceResult,
  KisErrorInput,
  KisAccount,
  KiwoomOrderAdapterOptions,
  KiwoomPlaceResult,
  KiwoomErrorInput,
  KiwoomExchange,
} from '@qts/broker-rest';
export { RestTransportError } from '@qts/broker-rest';
export { hasPayloadBuilder } from '@qts/broker-domain';
export type { OrderPayload, OrderPayloadBuilder } from '@qts/broker-domain';
export { getBroker, getBrokerForConfig } from './get-broker';
export type { OrderAdapterDependencies, OrderAdapterKind } from './get-broker';

// JTS
export { JtsOrderAdapter } from './jts/jts-order-adapter';
