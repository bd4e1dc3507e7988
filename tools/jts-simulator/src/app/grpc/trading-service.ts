import { status } from '@grpc/grpc-js';
import { BROKER_ERROR_CODES, InvalidOrderError, OrderNotFoundError } from '@qts/broker-domain';
import type { MockBrokerGateway, Order } from '@qts/broker-domain';
import type { jtsV1 } from '@qts/grpc-contracts';
import type { BrokerCallStats } from '../stats/broker-call-stats';
import type { BrokerCallPipeline } from './broker-call-pipeline';
import { GrpcStatusError } from './grpc-status-error';
import { parseOrderLookup, parsePlaceOrderRequest, requireText } from './jts-request-parsing';
import { toBalanceResponse, toOrderMessage, toPositionMessage } from './jts-wire-format';

/** jts.v1.TradingService backed by a mock broker's paper accounts. */
export function createTradingService(
  gateway: MockBrokerGateway,
  pipeline: BrokerCallPipeline,
  stats: BrokerCallStats,
): jtsV1.TradingServiceServer {
  return {
    getBalance: pipeline.unary<jtsV1.GetBalanceRequest, jtsV1.BalanceResponse>('GetBalance', async (request) =>
      toBalanceResponse(await gateway.getBalance(requireText(request.accountId, 'account_id'))),
    ),

    getPositions: pipeline.unary<jtsV1.GetPositionsRequest, jtsV1.PositionsResponse>(
      'GetPositions',
      async (request) => ({
        positions: (await gateway.getPositions(requireText(request.accountId, 'account_id'))).map(toPositionMessage),
      }),
    ),

    // Idempotent on client_order_id: the mock returns the order already placed under that id.
    placeOrder: pipeline.unary<jtsV1.PlaceOrderRequest, jtsV1.OrderResponse>('PlaceOrder', async (request) => {
      const order = await gateway.placeOrder(parsePlaceOrderRequest(request));
      stats.recordOrderPlaced(order.id);
      return { order: toOrderMessage(order) };
    }),

    cancelOrder: pipeline.unary<jtsV1.CancelOrderRequest, jtsV1.OrderResponse>('CancelOrder', async (request) => {
      const orderId = requireText(request.orderId, 'order_id');
      await ownedOrder(gateway, orderId, request.accountId);
      try {
        return { order: toOrderMessage(await gateway.cancelOrder(orderId)) };
      } catch (error) {
        throw await finalOrderAsPrecondition(gateway, orderId, error);
      }
    }),

    getOrderStatus: pipeline.unary<jtsV1.GetOrderStatusRequest, jtsV1.OrderStatusResponse>(
      'GetOrderStatus',
      async (request) => {
        const lookup = parseOrderLookup(request);
        if ('orderId' in lookup) {
          return { order: toOrderMessage(await gateway.getOrderStatus(lookup.orderId)) };
        }
        const order = await gateway.findOrderByClientOrderId(lookup.clientOrderId);
        if (order === null) {
          throw new OrderNotFoundError(`no order with client_order_id '${lookup.clientOrderId}'`, {
            details: { clientOrderId: lookup.clientOrderId },
          });
        }
        return { order: toOrderMessage(order) };
      },
    ),
  };
}

/** The order, or NOT_FOUND when it does not exist or belongs to another account than the one given. */
async function ownedOrder(gateway: MockBrokerGateway, orderId: string, accountId: string): Promise<Order> {
  const order = await gateway.getOrderStatus(orderId);
  if (accountId !== '' && order.accountId !== accountId) {
    throw new OrderNotFoundError(`order '${orderId}' not found in account '${accountId}'`, {
      details: { orderId, accountId },
    });
  }
  return order;
}

/**
 * The mock refuses to cancel a final order with InvalidOrderError; the jts.v1 contract answers that with
 * FAILED_PRECONDITION (the request was well formed, the order's state forbids it). The state is read
 * after the refusal, so an order that filled between the lookup and the cancel is reported correctly.
 */
async function finalOrderAsPrecondition(gateway: MockBrokerGateway, orderId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof InvalidOrderError)) {
    return error;
  }
  const order = await gateway.getOrderStatus(orderId);
  if (order.isActive) {
    return error;
  }
  return new GrpcStatusError(
    status.FAILED_PRECONDITION,
    `order '${orderId}' is ${order.status} and cannot be cancelled`,
    { errorCode: BROKER_ERROR_CODES.INVALID_ORDER },
  );
}
