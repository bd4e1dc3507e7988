import { createHash, randomUUID } from 'node:crypto';
import { Decimal, OrderSide, OrderType, type PlaceOrderCommand } from '@qts/broker-domain';

/**
 * A manual order as a caller sent it to the gateway (REST body or gRPC message, validated): the price is the
 * caller's decimal string, and there is no client order id yet (the gateway derives it). The domain's
 * OrderRequest is what an order adapter sends to a broker.
 */
export interface ManualOrderRequest {
  brokerId: string;
  accountId: string;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  quantity: number;
  /** Decimal string for LIMIT orders, absent for MARKET. */
  price?: string;
}

/**
 * Hex SHA-256 of the request in a canonical form: key order fixed and the price normalised ("71500.0" and
 * "71500" are the same order), so only a different order conflicts with a stored key.
 */
export function orderFingerprint(request: ManualOrderRequest): string {
  const canonical = JSON.stringify([
    request.brokerId,
    request.accountId,
    request.symbol,
    request.side,
    request.orderType,
    request.quantity,
    request.price === undefined ? null : new Decimal(request.price).toFixed(),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * The client_order_id sent to the broker for an idempotency key: the same (API key, Idempotency-Key) always
 * yields the same id, so even a retry after a crash cannot create a second order at the broker.
 */
export function clientOrderIdFor(scope: string, idempotencyKey: string): string {
  return `gw-${createHash('sha256').update(`${scope}\u0000${idempotencyKey}`, 'utf8').digest('hex').slice(0, 32)}`;
}

/** A fresh client_order_id for an order without an idempotency key (still lets it be reconciled). */
export function randomClientOrderId(): string {
  return `gw-${randomUUID().replace(/-/g, '')}`;
}

export function toPlaceOrderCommand(request: ManualOrderRequest, clientOrderId: string): PlaceOrderCommand {
  return {
    accountId: request.accountId,
    symbol: request.symbol,
    side: request.side,
    orderType: request.orderType,
    quantity: request.quantity,
    ...(request.price === undefined ? {} : { price: new Decimal(request.price) }),
    clientOrderId,
  };
}
