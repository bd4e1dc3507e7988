import { Order, OrderResponse, OrderStatus } from '@qts/broker-domain';

/**
 * A domain Order (what the JTS gateway answers) as an OrderResponse. `accepted` is false only for a
 * REJECTED order: every other status means the broker holds (or held) the order.
 */
export function orderToOrderResponse(order: Order, clientOrderId: string): OrderResponse {
  return {
    clientOrderId,
    orderId: order.id,
    accepted: order.status !== OrderStatus.REJECTED,
    status: order.status,
    filledQuantity: order.filledQuantity,
    ...(order.avgFillPrice === undefined ? {} : { avgFillPrice: order.avgFillPrice }),
    message: order.message ?? `order ${order.id} is ${order.status}`,
  };
}
