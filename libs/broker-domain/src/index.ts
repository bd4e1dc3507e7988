// Public API of @qts/broker-domain: framework-free entities, value objects, ports, errors, execution
// contracts and the deterministic MockBrokerGateway. Import only from here, never from src/lib/...

// Enums and small types
export { BrokerType } from './lib/enums/broker-type';
export { AccountType } from './lib/enums/account-type';
export { OrderSide } from './lib/enums/order-side';
export { OrderType } from './lib/enums/order-type';
export { OrderStatus, isFinalOrderStatus } from './lib/enums/order-status';
export { Market } from './lib/enums/market';
export { ConnectionStatus } from './lib/enums/connection-status';
export { TIMEFRAMES, isTimeframe, isIntradayTimeframe, timeframeDurationMs } from './lib/enums/timeframe';
export type { Timeframe } from './lib/enums/timeframe';
export { BROKER_OPERATIONS, isBrokerOperation } from './lib/enums/broker-operation';
export type { BrokerOperation } from './lib/enums/broker-operation';

// Decimals and value objects
export { Decimal, toDecimal, formatDecimal } from './lib/values/decimal-conversion';
export { krxTickSize, isOnKrxTick, roundToKrxTick } from './lib/values/krx-tick-size';
export type { TickRoundingMode } from './lib/values/krx-tick-size';
export { Price } from './lib/values/price';
export { Money, DEFAULT_CURRENCY } from './lib/values/money';
export type { Currency } from './lib/values/money';
export {
  EXECUTION_INTENT_ID_LIMITS,
  MAX_ORDER_QUANTITY,
  ORDER_PRICE_PATTERN,
  orderQuantityProblem,
} from './lib/values/order-limits';

// Entities
export { isSymbolCode, requireDate, requireNonEmptyString, requireSymbolCode } from './lib/entities/field-guards';
export type { DecimalInput } from './lib/entities/field-guards';
export { StockSymbol } from './lib/entities/stock-symbol';
export type { StockSymbolProps } from './lib/entities/stock-symbol';
export { Candle } from './lib/entities/candle';
export type { CandleProps, CandleJson } from './lib/entities/candle';
export { Quote } from './lib/entities/quote';
export type { QuoteProps, QuoteJson } from './lib/entities/quote';
export { Balance } from './lib/entities/balance';
export type { BalanceProps, BalanceJson } from './lib/entities/balance';
export { Position } from './lib/entities/position';
export type { PositionProps, PositionJson } from './lib/entities/position';
export { Order } from './lib/entities/order';
export type { OrderProps, OrderJson, OrderTransitionPatch } from './lib/entities/order';
export { ORDER_TRANSITIONS, canTransition } from './lib/entities/order-transitions';
export { brokerTransportOf, defaultAccount, isRestBrokerConfig } from './lib/entities/broker-config';
export type {
  AccountConfig,
  BrokerConfig,
  BrokerRateLimitConfig,
  BrokerTransport,
  CredentialSource,
  GrpcEndpointConfig,
  JtsBrokerConfig,
  RateLimitRuleConfig,
  RestBrokerConfig,
  RestCredentialSources,
  RestEnvironment,
  RestTransportConfig,
} from './lib/entities/broker-config';

// Errors
export { BROKER_ERROR_CODES, isBrokerErrorCode } from './lib/errors/broker-error-codes';
export type { BrokerErrorCode } from './lib/errors/broker-error-codes';
export { quoteCallerValue, QUOTED_VALUE_MAX_CHARS } from './lib/errors/caller-value';
export { BrokerError, isBrokerError } from './lib/errors/broker-error';
export type { BrokerErrorDetails, BrokerErrorOptions } from './lib/errors/broker-error';
export {
  AccountNotFoundError,
  AuthenticationError,
  BrokerNotFoundError,
  BrokerTimeoutError,
  BrokerUnavailableError,
  IllegalOrderTransitionError,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  NotSupportedError,
  OrderNotFoundError,
  OrderExpiredError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  RateLimitExceededError,
  SymbolNotFoundError,
} from './lib/errors/broker-errors';
export type {
  FieldErrorOptions,
  IllegalOrderTransitionErrorOptions,
  OrderOutcomeUnknownErrorOptions,
  OrderRejectedErrorOptions,
  RateLimitExceededErrorOptions,
} from './lib/errors/broker-errors';

// Port
export type {
  BrokerGateway,
  OrderSendOptions,
  OrderSendStage,
  PlaceOrderCommand,
  StreamOptions,
} from './lib/ports/broker-gateway';
export { validatePlaceOrderCommand } from './lib/ports/validate-place-order-command';

// Registry
export { BrokerRegistry } from './lib/registry/broker-registry';
export type { BrokerInfo, BrokerRegistration } from './lib/registry/broker-registry';
export type { ConnectionStatusEvent, ConnectionStatusListener } from './lib/registry/connection-status-event';
export type { BrokerRateLimitRuleUsage, BrokerRateLimitUsage } from './lib/registry/broker-rate-limit-usage';

// Execution contracts
export type {
  BrokerEngine,
  ExecutionIntent,
  ExecutionResponse,
  OrderAdapter,
  OrderReference,
  OrderRequest,
  PlacedOrderDescription,
  OrderResponse,
} from './lib/execution/execution-contracts';
export { validateExecutionIntent } from './lib/execution/validate-execution-intent';
export { orderRequestToCommand, requireOrderForBroker } from './lib/execution/order-request-command';
export { hasPayloadBuilder } from './lib/execution/order-payload';
export type { OrderPayload, OrderPayloadBuilder } from './lib/execution/order-payload';
export { FailSafeCode, FAIL_SAFE_CODES, isFailSafeCode } from './lib/execution/fail-safe-code';
export { failSafeCodeForError } from './lib/execution/fail-safe-code-for-error';

// Calendar
export { KrxCalendar, KST_OFFSET_MS } from './lib/calendar/krx-calendar';
export type { KrxCalendarOptions } from './lib/calendar/krx-calendar';
export { TradingBars } from './lib/calendar/trading-bars';

// Mock broker
export {
  MockBrokerGateway,
  DEFAULT_MOCK_SEED,
  DEFAULT_QUOTE_INTERVAL_MS,
  defaultMockSymbols,
} from './lib/mock/mock-broker-gateway';
export type { MockBrokerGatewayOptions } from './lib/mock/mock-broker-gateway';
export { MAX_CANDLES_PER_REQUEST } from './lib/mock/mock-candle-series';
export { MOCK_SYMBOL_CATALOG } from './lib/mock/mock-symbol-catalog';
export type { MockSymbolProfile } from './lib/mock/mock-symbol-catalog';
export { DEFAULT_PAPER_ACCOUNT_ID, DEFAULT_PAPER_CASH } from './lib/mock/paper-trading-book';
export type { PaperAccountOptions } from './lib/mock/paper-trading-book';
