import {
  BrokerGateway,
  InvalidArgumentError,
  isBrokerError,
  BROKER_ERROR_CODES,
  Order,
  OrderAdapter,
  OrderOutcomeUnknownError,
  OrderPayload,
  OrderPayloadBuilder,
  orderRequestToCommand,
  requireOrderForBroker,
  OrderReference,
  OrderRequest,
  OrderResponse,
  OrderSendOptions,
} from '@qts/broker-domain';
import { orderToOrderResponse } from './order-to-order-response';

/**
 * Orders through the JTS server: a thin adapter over the domain BrokerGateway (GrpcBrokerGateway in
 * production, MockBrokerGateway offline). The gateway already speaks domain errors and never retries an
 * order, so errors pass through untouched; OrderOutcomeUnknownError in particular must reach the caller
 * so the order is reconciled (findOrderByClientOrderId), never re-sent.
 */
export class JtsOrderAdapter implements OrderAdapter, OrderPayloadBuilder {
  readonly brokerId: string;

  constructor(private readonly gateway: BrokerGateway) {
    this.brokerId = gateway.brokerId;
  }

  buildPayload(request: OrderRequest): OrderPayload {
    requireOrderForBroker(request, this.brokerId);
    return {
      endpoint: `jts.v1.TradingService/PlaceOrder (broker ${this.brokerId})`,
      body: orderRequestToCommand(request),
    };
  }

  async placeOrder(request: OrderRequest, options?: OrderSendOptions): Promise<OrderResponse> {
    const command = orderRequestToCommand(request);
    requireOrderForBroker(request, this.brokerId);
    const order = await this.gateway.placeOrder(command, options);
    if (order.clientOrderId !== undefined && order.clientOrderId !== request.clientOrderId) {
      // The gateway answered with somebody else's order: we cannot tell what happened to ours.
      throw new OrderOutcomeUnknownError(
        `broker '${this.brokerId}' answered order ${order.id} with clientOrderId '${order.clientOrderId}' for '${request.clientOrderId}'`,
        { clientOrderId: request.clientOrderId, details: { brokerId: this.brokerId, orderId: order.id } },
      );
    }
    return orderToOrderResponse(order, request.clientOrderId);
  }

  /** By orderId when given (clientOrderId, if also given, must match), else by clientOrderId. */
  async getOrder(ref: OrderReference): Promise<OrderResponse | null> {
    if (ref.orderId !== undefined && ref.orderId !== '') {
      const order = await this.orderOrNull(() => this.gateway.getOrderStatus(ref.orderId as string));
      if (order === null) {
        return null;
      }
      if (
        ref.clientOrderId !== undefined &&
        order.clientOrderId !== undefined &&
        order.clientOrderId !== ref.clientOrderId
      ) {
        throw new InvalidArgumentError(
          `order ${order.id} of broker '${this.brokerId}' belongs to clientOrderId '${order.clientOrderId}', not '${ref.clientOrderId}'`,
          { field: 'clientOrderId' },
        );
      }
      return orderToOrderResponse(order, ref.clientOrderId ?? order.clientOrderId ?? '');
    }
    if (ref.clientOrderId !== undefined && ref.clientOrderId !== '') {
      const order = await this.gateway.findOrderByClientOrderId(ref.clientOrderId);
      return order === null ? null : orderToOrderResponse(order, ref.clientOrderId);
    }
    throw new InvalidArgumentError('getOrder needs an orderId or a clientOrderId', { field: 'orderId' });
  }

  async cancelOrder(orderId: string): Promise<OrderResponse> {
    const order = await this.gateway.cancelOrder(orderId);
    return orderToOrderResponse(order, order.clientOrderId ?? '');
  }

  private async orderOrNull(lookup: () => Promise<Order>): Promise<Order | null> {
    try {
      return await lookup();
    } catch (error) {
      if (isBrokerError(error) && error.code === BROKER_ERROR_CODES.ORDER_NOT_FOUND) {
        return null;
      }
      throw error;
    }
  }
}
