import { Decimal, ExecutionIntent, InvalidArgumentError, ORDER_PRICE_PATTERN, OrderSide, OrderType, quoteCallerValue } from '@qts/broker-domain';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import type { IntentExpiryRequest } from '../processing/intent-expiry';

/** An RFC 3339 date-time with an explicit offset, e.g. 2024-01-02T09:00:05.250Z or 2024-01-02T18:00:05+09:00. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

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
  expiry: IntentExpiryRequest;
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
    expiry: expiryOfRequest(request),
  };
}

/** The expiry the request asks for: expires_at (RFC 3339), max_delay_ms (> 0), or neither (the default). */
function expiryOfRequest(request: qtsExecutionV1.SubmitIntentRequest): IntentExpiryRequest {
  const rawExpiresAt = (request.expiresAt ?? '').trim();
  const maxDelayMs = request.maxDelayMs ?? 0;
  const expiry: IntentExpiryRequest = {};
  if (rawExpiresAt !== '') {
    const parsed = RFC3339.test(rawExpiresAt) ? new Date(rawExpiresAt) : new Date(Number.NaN);
    if (Number.isNaN(parsed.getTime())) {
      throw new InvalidArgumentError(
        `expires_at ${quoteCallerValue(request.expiresAt)} is not an RFC 3339 time such as '2024-01-02T00:00:05Z'`,
        { field: 'expiresAt' },
      );
    }
    expiry.expiresAt = parsed;
  }
  if (maxDelayMs !== 0) expiry.maxDelayMs = maxDelayMs;
  return expiry;
}
