import { PlaceOrderCommand, Timeframe } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { orderSideToWire, orderTypeToWire } from './jts-enum-mapping';
import { writeDecimal, writeTimestamp } from './jts-wire-values';

/** Domain inputs -> jts.v1 request messages. Inputs are validated by the gateway before they get here. */

export function placeOrderRequestToWire(command: PlaceOrderCommand, clientOrderId: string): jtsV1.PlaceOrderRequest {
  return {
    accountId: command.accountId,
    symbol: command.symbol,
    side: orderSideToWire(command.side),
    orderType: orderTypeToWire(command.orderType),
    quantity: command.quantity,
    // '' is the wire's "no price" (MARKET).
    price: command.price === undefined ? '' : writeDecimal(command.price),
    clientOrderId,
  };
}

export function candlesRequestToWire(
  symbol: string,
  timeframe: Timeframe,
  start: Date,
  end: Date,
): jtsV1.GetCandlesRequest {
  return { symbol, timeframe, startTime: writeTimestamp(start), endTime: writeTimestamp(end) };
}
