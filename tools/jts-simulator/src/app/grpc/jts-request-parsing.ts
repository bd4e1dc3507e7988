import {
  Decimal,
  InvalidArgumentError,
  InvalidOrderError,
  isSymbolCode,
  isTimeframe,
  OrderSide,
  OrderType,
} from '@qts/broker-domain';
import type { PlaceOrderCommand, Timeframe } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';

// jts.v1 requests -> domain inputs. Every refusal is a domain error naming the proto field (snake_case,
// as the client wrote it), which the error mapping turns into INVALID_ARGUMENT: a bad request never
// reaches the mock broker and never crashes the server.

const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

type FieldError = (message: string, field: string) => Error;

const argumentError: FieldError = (message, field) => new InvalidArgumentError(message, { field });
const orderError: FieldError = (message, field) => new InvalidOrderError(message, { field });

export function requireText(value: string, field: string, fail: FieldError = argumentError): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw fail(`${field} is required`, field);
  }
  return value;
}

export function requireSymbol(value: string, field = 'symbol', fail: FieldError = argumentError): string {
  requireText(value, field, fail);
  if (!isSymbolCode(value)) {
    throw fail(`${field} must be a 6-character KRX code such as '005930' (got ${JSON.stringify(value)})`, field);
  }
  return value;
}

/** An RFC 3339 timestamp with any offset, e.g. 2024-01-02T00:00:00.000Z or 2024-01-02T09:00:00+09:00. */
export function parseTimestamp(value: string, field: string): Date {
  requireText(value, field);
  const match = RFC_3339.exec(value);
  const parsed = Date.parse(value);
  if (match === null || Number.isNaN(parsed) || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw argumentError(`${field} must be an RFC 3339 timestamp such as 2024-01-02T00:00:00Z (got ${JSON.stringify(value)})`, field);
  }
  return new Date(parsed);
}

/** Date.parse rolls 2024-02-30 over to March; the wire contract refuses it instead. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function parseTimeframe(value: string, field = 'timeframe'): Timeframe {
  requireText(value, field);
  if (!isTimeframe(value)) {
    throw argumentError(`${field} must be one of 1m, 5m, 15m, 30m, 60m, 1d, 1w (got ${JSON.stringify(value)})`, field);
  }
  return value;
}

export interface CandleQuery {
  symbol: string;
  timeframe: Timeframe;
  start: Date;
  end: Date;
}

export function parseCandlesRequest(request: jtsV1.GetCandlesRequest): CandleQuery {
  return {
    symbol: requireSymbol(request.symbol),
    timeframe: parseTimeframe(request.timeframe),
    start: parseTimestamp(request.startTime, 'start_time'),
    end: parseTimestamp(request.endTime, 'end_time'),
  };
}

export function parseQuoteSymbols(request: jtsV1.StreamQuotesRequest): string[] {
  if (!Array.isArray(request.symbols) || request.symbols.length === 0) {
    throw argumentError('symbols must name at least one symbol', 'symbols');
  }
  return request.symbols.map((symbol, index) => requireSymbol(symbol, `symbols[${index}]`));
}

const DOMAIN_SIDE: Readonly<Partial<Record<jtsV1.OrderSide, OrderSide>>> = {
  [jtsV1.OrderSide.BUY]: OrderSide.BUY,
  [jtsV1.OrderSide.SELL]: OrderSide.SELL,
};

const DOMAIN_ORDER_TYPE: Readonly<Partial<Record<jtsV1.OrderType, OrderType>>> = {
  [jtsV1.OrderType.MARKET]: OrderType.MARKET,
  [jtsV1.OrderType.LIMIT]: OrderType.LIMIT,
};

/** A PlaceOrderRequest as the domain command; malformed fields throw InvalidOrderError naming them. */
export function parsePlaceOrderRequest(request: jtsV1.PlaceOrderRequest): PlaceOrderCommand {
  const side = DOMAIN_SIDE[request.side];
  if (side === undefined) {
    throw orderError(`side must be ORDER_SIDE_BUY or ORDER_SIDE_SELL (got ${String(request.side)})`, 'side');
  }
  const orderType = DOMAIN_ORDER_TYPE[request.orderType];
  if (orderType === undefined) {
    throw orderError(`order_type must be ORDER_TYPE_MARKET or ORDER_TYPE_LIMIT (got ${String(request.orderType)})`, 'order_type');
  }
  if (!Number.isSafeInteger(request.quantity) || request.quantity <= 0) {
    throw orderError(`quantity must be a positive integer (got ${String(request.quantity)})`, 'quantity');
  }
  return {
    accountId: requireText(request.accountId, 'account_id', orderError),
    symbol: requireSymbol(request.symbol, 'symbol', orderError),
    side,
    orderType,
    quantity: request.quantity,
    price: parseOrderPrice(request.price, orderType),
    clientOrderId: request.clientOrderId === '' ? undefined : requireText(request.clientOrderId, 'client_order_id', orderError),
  };
}

function parseOrderPrice(price: string, orderType: OrderType): Decimal | undefined {
  if (orderType === OrderType.MARKET) {
    if (price !== '') {
      throw orderError('price must be empty for a MARKET order', 'price');
    }
    return undefined;
  }
  if (price === '') {
    throw orderError('price is required for a LIMIT order', 'price');
  }
  if (!DECIMAL.test(price)) {
    throw orderError(`price must be a decimal string such as "71500" (got ${JSON.stringify(price)})`, 'price');
  }
  return new Decimal(price);
}

export type OrderLookup = { orderId: string } | { clientOrderId: string };

/** GetOrderStatus's oneof: exactly one of order_id and client_order_id, non-empty. */
export function parseOrderLookup(request: jtsV1.GetOrderStatusRequest): OrderLookup {
  const byOrderId = request.orderId !== undefined;
  const byClientOrderId = request.clientOrderId !== undefined;
  if (byOrderId === byClientOrderId) {
    throw argumentError('exactly one of order_id and client_order_id must be set', 'lookup');
  }
  return byOrderId
    ? { orderId: requireText(request.orderId as string, 'order_id') }
    : { clientOrderId: requireText(request.clientOrderId as string, 'client_order_id') };
}
