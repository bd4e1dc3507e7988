import { OrderStatus } from '../enums/order-status';

/**
 * The order state machine: for each status, the statuses it may move to.
 * - PENDING (sent, not yet acknowledged) may be acknowledged, refused, filled at once, or end UNKNOWN
 *   when the acknowledgement never arrived.
 * - PARTIAL -> PARTIAL records further partial fills.
 * - UNKNOWN is resolved by reconciliation; the broker may report the order still open (ACCEPTED/PARTIAL).
 * - FILLED, CANCELLED and REJECTED are final.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  [OrderStatus.PENDING]: Object.freeze([
    OrderStatus.ACCEPTED,
    OrderStatus.REJECTED,
    OrderStatus.FILLED,
    OrderStatus.PARTIAL,
    OrderStatus.UNKNOWN,
  ]),
  [OrderStatus.ACCEPTED]: Object.freeze([
    OrderStatus.PARTIAL,
    OrderStatus.FILLED,
    OrderStatus.CANCELLED,
    OrderStatus.REJECTED,
  ]),
  [OrderStatus.PARTIAL]: Object.freeze([OrderStatus.PARTIAL, OrderStatus.FILLED, OrderStatus.CANCELLED]),
  [OrderStatus.UNKNOWN]: Object.freeze([
    OrderStatus.ACCEPTED,
    OrderStatus.PARTIAL,
    OrderStatus.FILLED,
    OrderStatus.CANCELLED,
    OrderStatus.REJECTED,
  ]),
  [OrderStatus.FILLED]: Object.freeze([]),
  [OrderStatus.CANCELLED]: Object.freeze([]),
  [OrderStatus.REJECTED]: Object.freeze([]),
});

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  const allowed = ORDER_TRANSITIONS[from];
  return allowed !== undefined && allowed.includes(to);
}
