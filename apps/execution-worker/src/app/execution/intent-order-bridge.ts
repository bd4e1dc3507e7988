import {
  ExecutionIntent,
  ExecutionResponse,
  FailSafeCode,
  InvalidArgumentError,
  OrderRequest,
  OrderResponse,
  OrderStatus,
} from '@qts/broker-domain';

/**
 * ExecutionIntent -> OrderRequest. The intent id is the order's idempotency key (clientOrderId), so a
 * reconciliation can always find the order of an intent. The limit price is passed through as the same
 * Decimal (never through a number). Pure mapping: validation is validateExecutionIntent's and the
 * adapters' job.
 */
export function intentToOrderRequest(intent: ExecutionIntent): OrderRequest {
  return {
    clientOrderId: intent.intentId,
    brokerId: intent.brokerId,
    accountId: intent.accountId,
    symbol: intent.symbol,
    side: intent.side,
    orderType: intent.orderType,
    quantity: intent.quantity,
    ...(intent.limitPrice === undefined || intent.limitPrice === null ? {} : { price: intent.limitPrice }),
  };
}

/**
 * OrderResponse -> ExecutionResponse for the intent the order was placed for. Not accepted when the
 * adapter says so or the order is REJECTED (fail-safe FS040, a broker refusal) or UNKNOWN (FS042).
 * Throws when the response belongs to another clientOrderId: attributing someone else's order to an
 * intent would be worse than failing.
 */
export function orderResponseToExecutionResponse(
  intent: ExecutionIntent,
  response: OrderResponse,
  broker: string,
): ExecutionResponse {
  if (response.clientOrderId !== intent.intentId) {
    throw new InvalidArgumentError(
      `order response for clientOrderId '${response.clientOrderId}' cannot answer intent '${intent.intentId}'`,
      { field: 'clientOrderId' },
    );
  }
  const unknown = response.status === OrderStatus.UNKNOWN;
  const accepted = response.accepted && response.status !== OrderStatus.REJECTED && !unknown;
  return {
    intentId: intent.intentId,
    accepted,
    broker,
    ...(response.orderId === undefined || response.orderId === '' ? {} : { orderId: response.orderId }),
    status: response.status,
    ...(accepted ? {} : { failSafeCode: unknown ? FailSafeCode.FS042 : FailSafeCode.FS040 }),
    message:
      response.message !== ''
        ? response.message
        : `order ${response.orderId ?? '(no id)'} is ${response.status}`,
  };
}
