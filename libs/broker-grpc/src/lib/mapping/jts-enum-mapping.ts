import { Market, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { MalformedResponseError } from './malformed-response-error';

/**
 * Domain <-> jts.v1 enums. The wire enums are ts-proto string enums ('ORDER_SIDE_BUY'); UNSPECIFIED and
 * UNRECOGNIZED values coming back from the server are contract violations, never guessed at.
 */

const SIDE_TO_WIRE: Readonly<Record<OrderSide, jtsV1.OrderSide>> = {
  [OrderSide.BUY]: jtsV1.OrderSide.BUY,
  [OrderSide.SELL]: jtsV1.OrderSide.SELL,
};

const TYPE_TO_WIRE: Readonly<Record<OrderType, jtsV1.OrderType>> = {
  [OrderType.MARKET]: jtsV1.OrderType.MARKET,
  [OrderType.LIMIT]: jtsV1.OrderType.LIMIT,
};

const SIDE_FROM_WIRE = invert(SIDE_TO_WIRE);
const TYPE_FROM_WIRE = invert(TYPE_TO_WIRE);

const STATUS_FROM_WIRE: ReadonlyMap<string, OrderStatus> = new Map([
  [jtsV1.OrderStatus.PENDING, OrderStatus.PENDING],
  [jtsV1.OrderStatus.ACCEPTED, OrderStatus.ACCEPTED],
  [jtsV1.OrderStatus.PARTIAL, OrderStatus.PARTIAL],
  [jtsV1.OrderStatus.FILLED, OrderStatus.FILLED],
  [jtsV1.OrderStatus.CANCELLED, OrderStatus.CANCELLED],
  [jtsV1.OrderStatus.REJECTED, OrderStatus.REJECTED],
  [jtsV1.OrderStatus.UNKNOWN, OrderStatus.UNKNOWN],
]);

const MARKET_FROM_WIRE: ReadonlyMap<string, Market> = new Map([
  [jtsV1.Market.KOSPI, Market.KOSPI],
  [jtsV1.Market.KOSDAQ, Market.KOSDAQ],
]);

export function orderSideToWire(side: OrderSide): jtsV1.OrderSide {
  return SIDE_TO_WIRE[side];
}

export function orderTypeToWire(orderType: OrderType): jtsV1.OrderType {
  return TYPE_TO_WIRE[orderType];
}

export function orderSideFromWire(side: jtsV1.OrderSide, field = 'side'): OrderSide {
  return fromWire(SIDE_FROM_WIRE, side, field);
}

export function orderTypeFromWire(orderType: jtsV1.OrderType, field = 'orderType'): OrderType {
  return fromWire(TYPE_FROM_WIRE, orderType, field);
}

export function orderStatusFromWire(status: jtsV1.OrderStatus, field = 'status'): OrderStatus {
  return fromWire(STATUS_FROM_WIRE, status, field);
}

export function marketFromWire(market: jtsV1.Market, field = 'market'): Market {
  return fromWire(MARKET_FROM_WIRE, market, field);
}

function fromWire<T>(table: ReadonlyMap<string, T>, value: string, field: string): T {
  const mapped = table.get(value);
  if (mapped === undefined) {
    throw new MalformedResponseError(field, `has no usable value (got '${String(value)}')`);
  }
  return mapped;
}

function invert<K extends string, V extends string>(table: Readonly<Record<K, V>>): ReadonlyMap<string, K> {
  return new Map(Object.entries(table).map(([key, value]) => [value as string, key as K]));
}
