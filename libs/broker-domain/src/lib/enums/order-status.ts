/**
 * Lifecycle of an order. UNKNOWN means we could not learn the outcome (e.g. a timeout after sending):
 * such an order must be reconciled with the broker, never re-sent blindly.
 */
export enum OrderStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  PARTIAL = 'PARTIAL',
  FILLED = 'FILLED',
  CANCELLED = 'CANCELLED',
  REJECTED = 'REJECTED',
  UNKNOWN = 'UNKNOWN',
}

const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  OrderStatus.FILLED,
  OrderStatus.CANCELLED,
  OrderStatus.REJECTED,
]);

/** FILLED, CANCELLED and REJECTED are final: no transition leaves them. */
export function isFinalOrderStatus(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.has(status);
}
