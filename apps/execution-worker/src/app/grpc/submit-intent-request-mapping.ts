import { Decimal, ExecutionIntent, InvalidArgumentError, ORDER_PRICE_PATTERN, OrderSide, OrderType, quoteCallerValue } from '@qts/broker-domain';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';

const SIDES: ReadonlyMap<qtsTypeV1.OrderSide, OrderSide> = new Map([
  [qtsTypeV1.OrderSide.BUY, OrderSide.BUY],
  [qtsTypeV1.OrderSide.SELL, OrderSide.SELL],
]);

const ORDER_TYPES: ReadonlyMap<qtsTypeV1.OrderType, OrderType> = new Map([
  [qtsTypeV1.OrderType.MARKET, OrderType.MARKET],
  [qtsTypeV1.OrderType.LIMIT, OrderType.LIMIT],
]);

/**
 * The domain intent of a SubmitIntentRequest. Only the wire format is checked here (enums set, decimal syntax);
 * validateExecutionIntent checks the rest. Throws InvalidArgumentError naming the proto field.
 */
export function intentFromSubmitRequest(request: qtsExecutionV1.SubmitIntentRequest): {
  intent: ExecutionIntent;
  dryRun: boolean;
} {
  const side = SIDES.get(request.side);
  if (side === undefined) {
    throw new InvalidArgumentError('side must be ORDER_SIDE_BUY or ORDER_SIDE_SELL', { field: 'side' });
  }
  const orderType = ORDER_TYPES.get(request.orderType);
  if (orderType === undefined) {
    throw new InvalidArgumentError('order_type must be ORDER_TYPE_MARKET or ORDER_TYPE_LIMIT', { field: 'orderType' });
  }
  let limitPrice: Decimal | undefined;
  const rawPrice = request.limitPrice.trim();
  if (rawPrice !== '') {
    // The gateway's price rule: a plain decimal, at most 15 integer and 8 fraction digits.
    if (!ORDER_PRICE_PATTERN.test(rawPrice)) {
      throw new InvalidArgumentError(
        `limit_price ${quoteCallerValue(request.limitPrice)} is not a decimal string such as '70100' (at most 15 integer and 8 fraction digits)`,
        { field: 'limitPrice' },
      );
    }
    limitPrice = new Decimal(rawPrice);
  }
  return {
    intent: {
      intentId: request.intentId,
      strategyId: request.strategyId,
      brokerId: request.brokerId,
      accountId: request.accountId,
      symbol: request.symbol,
      side,
      quantity: request.quantity,
      orderType,
      ...(limitPrice === undefined ? {} : { limitPrice }),
    },
    dryRun: request.dryRun,
  };
}
