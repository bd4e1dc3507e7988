import {
  Balance,
  Candle,
  Decimal,
  DEFAULT_CURRENCY,
  InvalidArgumentError,
  isTimeframe,
  Order,
  OrderType,
  Position,
  Quote,
  StockSymbol,
} from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import {
  marketFromWire,
  orderSideFromWire,
  orderStatusFromWire,
  orderTypeFromWire,
} from './jts-enum-mapping';
import {
  readCount,
  readDecimal,
  readOptionalDecimal,
  readText,
  readTimestamp,
} from './jts-wire-values';
import { MalformedResponseError } from './malformed-response-error';

/**
 * jts.v1 response messages -> domain entities. Decimal strings go straight into Decimal (no float on the
 * way), so '71500.00' stays '71500.00'. Anything that breaks the wire contract or an entity invariant
 * throws MalformedResponseError naming the field; derived wire fields (market_value, unrealized_pnl ...)
 * are ignored because the domain entities compute them.
 */

export function symbolFromWire(message: jtsV1.Symbol): StockSymbol {
  return entity('symbol', () =>
    new StockSymbol({
      code: message.code,
      name: message.name,
      market: marketFromWire(message.market, 'symbol.market'),
      sector: message.sector === '' ? undefined : message.sector,
    }),
  );
}

export function candleFromWire(message: jtsV1.CandleData): Candle {
  if (!isTimeframe(message.timeframe)) {
    throw new MalformedResponseError('candle.timeframe', `is not a timeframe (got '${message.timeframe}')`);
  }
  const timeframe = message.timeframe;
  return entity('candle', () =>
    new Candle({
      symbol: message.symbol,
      timeframe,
      timestamp: readTimestamp(message.timestamp, 'candle.timestamp'),
      open: readDecimal(message.open, 'candle.open'),
      high: readDecimal(message.high, 'candle.high'),
      low: readDecimal(message.low, 'candle.low'),
      close: readDecimal(message.close, 'candle.close'),
      volume: readCount(message.volume, 'candle.volume'),
    }),
  );
}

export function quoteFromWire(message: jtsV1.QuoteData): Quote {
  return entity('quote', () =>
    new Quote({
      symbol: message.symbol,
      price: readDecimal(message.price, 'quote.price'),
      open: readOptionalDecimal(message.open, 'quote.open'),
      high: readOptionalDecimal(message.high, 'quote.high'),
      low: readOptionalDecimal(message.low, 'quote.low'),
      previousClose: readOptionalDecimal(message.previousClose, 'quote.previousClose'),
      change: readDecimal(message.change, 'quote.change'),
      changeRate: readDecimal(message.changeRate, 'quote.changeRate'),
      // An empty side of the book ('' on the wire) is 0, as the domain Quote documents.
      bid: readOptionalDecimal(message.bid, 'quote.bid') ?? new Decimal(0),
      ask: readOptionalDecimal(message.ask, 'quote.ask') ?? new Decimal(0),
      bidSize: readCount(message.bidSize, 'quote.bidSize'),
      askSize: readCount(message.askSize, 'quote.askSize'),
      volume: readCount(message.volume, 'quote.volume'),
      timestamp: readTimestamp(message.timestamp, 'quote.timestamp'),
    }),
  );
}

export function balanceFromWire(message: jtsV1.BalanceResponse): Balance {
  if (message.currency !== '' && message.currency !== DEFAULT_CURRENCY) {
    throw new MalformedResponseError('balance.currency', `must be ${DEFAULT_CURRENCY} (got '${message.currency}')`);
  }
  return entity('balance', () =>
    new Balance({
      accountId: readText(message.accountId, 'balance.accountId'),
      totalEquity: readDecimal(message.totalEquity, 'balance.totalEquity'),
      cashBalance: readDecimal(message.cashBalance, 'balance.cashBalance'),
      buyingPower: readDecimal(message.buyingPower, 'balance.buyingPower'),
      currency: DEFAULT_CURRENCY,
    }),
  );
}

export function positionFromWire(message: jtsV1.Position): Position {
  return entity('position', () =>
    new Position({
      accountId: readText(message.accountId, 'position.accountId'),
      symbol: message.symbol,
      symbolName: message.symbolName,
      quantity: readCount(message.quantity, 'position.quantity'),
      avgPrice: readDecimal(message.avgPrice, 'position.avgPrice'),
      currentPrice: readDecimal(message.currentPrice, 'position.currentPrice'),
    }),
  );
}

/** The order inside an OrderResponse / OrderStatusResponse, attributed to the broker connection. */
export function orderFromWire(message: jtsV1.Order | undefined, brokerId: string): Order {
  if (message === undefined) {
    throw new MalformedResponseError('order', 'is missing');
  }
  const orderType = orderTypeFromWire(message.orderType, 'order.orderType');
  const createdAt = readTimestamp(message.createdAt, 'order.createdAt');
  return entity('order', () =>
    new Order({
      id: readText(message.orderId, 'order.orderId'),
      clientOrderId: message.clientOrderId === '' ? undefined : message.clientOrderId,
      brokerId,
      accountId: readText(message.accountId, 'order.accountId'),
      symbol: message.symbol,
      side: orderSideFromWire(message.side, 'order.side'),
      orderType,
      quantity: readCount(message.quantity, 'order.quantity'),
      // A MARKET order has no price; some brokers echo '0' for it, which means the same.
      price: orderType === OrderType.MARKET ? undefined : readDecimal(message.price, 'order.price'),
      status: orderStatusFromWire(message.status, 'order.status'),
      filledQuantity: readCount(message.filledQuantity, 'order.filledQuantity'),
      avgFillPrice: readOptionalDecimal(message.avgFillPrice, 'order.avgFillPrice'),
      message: message.message === '' ? undefined : message.message,
      createdAt,
      updatedAt: message.updatedAt === '' ? createdAt : readTimestamp(message.updatedAt, 'order.updatedAt'),
    }),
  );
}

/** Runs an entity constructor, reporting a violated invariant as a malformed response of that entity. */
function entity<T>(name: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw new MalformedResponseError(`${name}.${error.field ?? 'value'}`, `is invalid: ${error.message}`);
    }
    throw error;
  }
}
