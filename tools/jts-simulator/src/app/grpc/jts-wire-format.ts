import { formatDecimal, Market, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import type { Balance, Candle, Decimal, Order, Position, Quote, StockSymbol } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';

// Domain entities -> jts.v1 messages. Decimals leave as plain decimal strings (formatDecimal, never
// exponent notation), timestamps as RFC 3339 UTC with 'Z' (toISOString), absent values as ''.

const WIRE_MARKET: Readonly<Record<Market, jtsV1.Market>> = {
  [Market.KOSPI]: jtsV1.Market.KOSPI,
  [Market.KOSDAQ]: jtsV1.Market.KOSDAQ,
};

export const WIRE_ORDER_SIDE: Readonly<Record<OrderSide, jtsV1.OrderSide>> = {
  [OrderSide.BUY]: jtsV1.OrderSide.BUY,
  [OrderSide.SELL]: jtsV1.OrderSide.SELL,
};

export const WIRE_ORDER_TYPE: Readonly<Record<OrderType, jtsV1.OrderType>> = {
  [OrderType.MARKET]: jtsV1.OrderType.MARKET,
  [OrderType.LIMIT]: jtsV1.OrderType.LIMIT,
};

const WIRE_ORDER_STATUS: Readonly<Record<OrderStatus, jtsV1.OrderStatus>> = {
  [OrderStatus.PENDING]: jtsV1.OrderStatus.PENDING,
  [OrderStatus.ACCEPTED]: jtsV1.OrderStatus.ACCEPTED,
  [OrderStatus.PARTIAL]: jtsV1.OrderStatus.PARTIAL,
  [OrderStatus.FILLED]: jtsV1.OrderStatus.FILLED,
  [OrderStatus.CANCELLED]: jtsV1.OrderStatus.CANCELLED,
  [OrderStatus.REJECTED]: jtsV1.OrderStatus.REJECTED,
  [OrderStatus.UNKNOWN]: jtsV1.OrderStatus.UNKNOWN,
};

function optionalDecimal(value: Decimal | undefined): string {
  return value === undefined ? '' : formatDecimal(value);
}

export function toSymbolMessage(symbol: StockSymbol): jtsV1.Symbol {
  return { code: symbol.code, name: symbol.name, market: WIRE_MARKET[symbol.market], sector: symbol.sector ?? '' };
}

export function toCandleData(candle: Candle): jtsV1.CandleData {
  return {
    symbol: candle.symbol,
    timeframe: candle.timeframe,
    timestamp: candle.timestamp.toISOString(),
    open: formatDecimal(candle.open),
    high: formatDecimal(candle.high),
    low: formatDecimal(candle.low),
    close: formatDecimal(candle.close),
    volume: candle.volume,
  };
}

export function toQuoteData(quote: Quote): jtsV1.QuoteData {
  return {
    symbol: quote.symbol,
    price: formatDecimal(quote.price),
    open: optionalDecimal(quote.open),
    high: optionalDecimal(quote.high),
    low: optionalDecimal(quote.low),
    previousClose: optionalDecimal(quote.previousClose),
    change: formatDecimal(quote.change),
    changeRate: formatDecimal(quote.changeRate),
    bid: formatDecimal(quote.bid),
    ask: formatDecimal(quote.ask),
    bidSize: quote.bidSize,
    askSize: quote.askSize,
    volume: quote.volume,
    timestamp: quote.timestamp.toISOString(),
  };
}

export function toBalanceResponse(balance: Balance): jtsV1.BalanceResponse {
  return {
    accountId: balance.accountId,
    totalEquity: formatDecimal(balance.totalEquity),
    cashBalance: formatDecimal(balance.cashBalance),
    buyingPower: formatDecimal(balance.buyingPower),
    currency: balance.currency,
  };
}

export function toPositionMessage(position: Position): jtsV1.Position {
  return {
    accountId: position.accountId,
    symbol: position.symbol,
    symbolName: position.symbolName,
    quantity: position.quantity,
    avgPrice: formatDecimal(position.avgPrice),
    currentPrice: formatDecimal(position.currentPrice),
    marketValue: formatDecimal(position.marketValue),
    unrealizedPnl: formatDecimal(position.unrealizedPnl),
    unrealizedPnlPct: formatDecimal(position.unrealizedPnlPct),
  };
}

export function toOrderMessage(order: Order): jtsV1.Order {
  return {
    orderId: order.id,
    clientOrderId: order.clientOrderId ?? '',
    accountId: order.accountId,
    symbol: order.symbol,
    side: WIRE_ORDER_SIDE[order.side],
    orderType: WIRE_ORDER_TYPE[order.orderType],
    quantity: order.quantity,
    price: optionalDecimal(order.price),
    status: WIRE_ORDER_STATUS[order.status],
    filledQuantity: order.filledQuantity,
    avgFillPrice: optionalDecimal(order.avgFillPrice),
    message: order.message ?? '',
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
