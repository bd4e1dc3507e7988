import {
  AccountType,
  BrokerType,
  ConnectionStatus,
  Market,
  OrderSide,
  OrderStatus,
  OrderType,
  type BalanceJson,
  type CandleJson,
  type OrderJson,
  type PositionJson,
  type QuoteJson,
  type StockSymbolProps,
} from '@qts/broker-domain';
import { qtsGatewayV1, qtsTypeV1 } from '@qts/grpc-contracts';
import type { BrokerView } from '../brokers/broker-view';

/**
 * Domain/REST shapes <-> qts.gateway.v1 messages. The REST JSON is the source (decimals already strings),
 * so both APIs answer with the same values; absent optional decimals become "" as the proto documents.
 */

const BROKER_TYPES: Readonly<Record<BrokerType, qtsGatewayV1.BrokerType>> = {
  [BrokerType.KIS]: qtsGatewayV1.BrokerType.KIS,
  [BrokerType.CREON]: qtsGatewayV1.BrokerType.CREON,
  [BrokerType.KIWOOM]: qtsGatewayV1.BrokerType.KIWOOM,
};

const CONNECTION_STATUSES: Readonly<Record<ConnectionStatus, qtsGatewayV1.ConnectionStatus>> = {
  [ConnectionStatus.CONNECTING]: qtsGatewayV1.ConnectionStatus.CONNECTING,
  [ConnectionStatus.CONNECTED]: qtsGatewayV1.ConnectionStatus.CONNECTED,
  [ConnectionStatus.DEGRADED]: qtsGatewayV1.ConnectionStatus.DEGRADED,
  [ConnectionStatus.DISCONNECTED]: qtsGatewayV1.ConnectionStatus.DISCONNECTED,
};

const ACCOUNT_TYPES: Readonly<Record<AccountType, qtsGatewayV1.AccountType>> = {
  [AccountType.REAL]: qtsGatewayV1.AccountType.REAL,
  [AccountType.PAPER]: qtsGatewayV1.AccountType.PAPER,
};

const MARKETS: Readonly<Record<Market, qtsTypeV1.Market>> = {
  [Market.KOSPI]: qtsTypeV1.Market.KOSPI,
  [Market.KOSDAQ]: qtsTypeV1.Market.KOSDAQ,
};

const ORDER_SIDES: Readonly<Record<OrderSide, qtsTypeV1.OrderSide>> = {
  [OrderSide.BUY]: qtsTypeV1.OrderSide.BUY,
  [OrderSide.SELL]: qtsTypeV1.OrderSide.SELL,
};

const ORDER_TYPES: Readonly<Record<OrderType, qtsTypeV1.OrderType>> = {
  [OrderType.MARKET]: qtsTypeV1.OrderType.MARKET,
  [OrderType.LIMIT]: qtsTypeV1.OrderType.LIMIT,
};

const ORDER_STATUSES: Readonly<Record<OrderStatus, qtsTypeV1.OrderStatus>> = {
  [OrderStatus.PENDING]: qtsTypeV1.OrderStatus.PENDING,
  [OrderStatus.ACCEPTED]: qtsTypeV1.OrderStatus.ACCEPTED,
  [OrderStatus.PARTIAL]: qtsTypeV1.OrderStatus.PARTIAL,
  [OrderStatus.FILLED]: qtsTypeV1.OrderStatus.FILLED,
  [OrderStatus.CANCELLED]: qtsTypeV1.OrderStatus.CANCELLED,
  [OrderStatus.REJECTED]: qtsTypeV1.OrderStatus.REJECTED,
  [OrderStatus.UNKNOWN]: qtsTypeV1.OrderStatus.UNKNOWN,
};

export function brokerToProto(view: BrokerView): qtsGatewayV1.Broker {
  return {
    id: view.id,
    type: BROKER_TYPES[view.type] ?? qtsGatewayV1.BrokerType.UNSPECIFIED,
    status: CONNECTION_STATUSES[view.status] ?? qtsGatewayV1.ConnectionStatus.UNSPECIFIED,
    offline: view.offline,
    mock: view.mock,
    transport: view.transport,
    accounts: view.accounts.map((account) => ({
      id: account.id,
      name: account.name,
      type: ACCOUNT_TYPES[account.type] ?? qtsGatewayV1.AccountType.UNSPECIFIED,
      isDefault: account.isDefault,
    })),
    rateLimit:
      view.rateLimit === null
        ? undefined
        : {
            ratio: view.rateLimit.ratio,
            rules: view.rateLimit.rules.map((rule) => ({
              ruleId: rule.ruleId,
              limit: rule.limit,
              windowMs: rule.windowMs,
              used: rule.used,
              ratio: rule.ratio,
              waiters: rule.waiters,
            })),
          },
  };
}

export function symbolToProto(symbol: StockSymbolProps): qtsGatewayV1.StockSymbol {
  return {
    code: symbol.code,
    name: symbol.name,
    market: MARKETS[symbol.market] ?? qtsTypeV1.Market.UNSPECIFIED,
    sector: symbol.sector ?? '',
  };
}

export function candleToProto(candle: CandleJson): qtsGatewayV1.Candle {
  return { ...candle };
}

export function quoteToProto(quote: QuoteJson): qtsGatewayV1.Quote {
  return {
    symbol: quote.symbol,
    price: quote.price,
    open: quote.open ?? '',
    high: quote.high ?? '',
    low: quote.low ?? '',
    previousClose: quote.previousClose ?? '',
    change: quote.change,
    changeRate: quote.changeRate,
    bid: quote.bid,
    ask: quote.ask,
    bidSize: quote.bidSize,
    askSize: quote.askSize,
    volume: quote.volume,
    timestamp: quote.timestamp,
  };
}

export function balanceToProto(balance: BalanceJson): qtsGatewayV1.Balance {
  return { ...balance };
}

export function positionToProto(position: PositionJson): qtsGatewayV1.Position {
  return { ...position };
}

export function orderToProto(order: OrderJson, brokerId: string): qtsGatewayV1.Order {
  return {
    orderId: order.id,
    clientOrderId: order.clientOrderId ?? '',
    brokerId: order.brokerId ?? brokerId,
    accountId: order.accountId,
    symbol: order.symbol,
    side: ORDER_SIDES[order.side] ?? qtsTypeV1.OrderSide.UNSPECIFIED,
    orderType: ORDER_TYPES[order.orderType] ?? qtsTypeV1.OrderType.UNSPECIFIED,
    quantity: order.quantity,
    price: order.price ?? '',
    status: ORDER_STATUSES[order.status] ?? qtsTypeV1.OrderStatus.UNSPECIFIED,
    filledQuantity: order.filledQuantity,
    avgFillPrice: order.avgFillPrice ?? '',
    message: order.message ?? '',
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** The domain side of a proto enum value; other values (UNSPECIFIED ...) pass through and fail validation. */
export function orderSideFromProto(side: qtsTypeV1.OrderSide): string {
  return reverseLookup(ORDER_SIDES, side) ?? String(side);
}

export function orderTypeFromProto(orderType: qtsTypeV1.OrderType): string {
  return reverseLookup(ORDER_TYPES, orderType) ?? String(orderType);
}

function reverseLookup<K extends string, V>(table: Readonly<Record<K, V>>, value: V): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === value);
}
