import { OrderStatus } from '@qts/broker-domain';

/**
 * KIS order state -> OrderStatus, the one place KIS states are normalised. The keys are the states
 * kisOrderState derives from an inquire-daily-ccld row, the Korean labels KIS screens use, and the generic
 * names. 'timeout' is UNKNOWN, not REJECTED: a timed-out order may be live at the broker and must be
 * reconciled.
 */
export const KIS_STATUS_TO_ORDER_STATUS: Readonly<Record<string, OrderStatus>> = Object.freeze({
  received: OrderStatus.ACCEPTED,
  accepted: OrderStatus.ACCEPTED,
  open: OrderStatus.ACCEPTED,
  pending: OrderStatus.ACCEPTED,
  partially_filled: OrderStatus.PARTIAL,
  partial: OrderStatus.PARTIAL,
  filled: OrderStatus.FILLED,
  cancelled: OrderStatus.CANCELLED,
  canceled: OrderStatus.CANCELLED,
  rejected: OrderStatus.REJECTED,
  timeout: OrderStatus.UNKNOWN,
  접수: OrderStatus.ACCEPTED,
  부분체결: OrderStatus.PARTIAL,
  체결: OrderStatus.FILLED,
  취소: OrderStatus.CANCELLED,
  거부: OrderStatus.REJECTED,
});

/** The quantities of an order row of inquire-daily-ccld that decide its state. */
export interface KisOrderQuantities {
  /** ord_qty */
  ordered: number;
  /** tot_ccld_qty */
  filled: number;
  /** rmn_qty */
  remaining: number;
  /** rjct_qty */
  rejected: number;
  /** cnc_cfrm_qty */
  cancelConfirmed: number;
  /** cncl_yn === 'Y' */
  cancelFlag: boolean;
}

export type KisOrderState = 'received' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';

/**
 * The state of a KIS order from its quantities (KIS reports no status field). Fully filled -> filled;
 * nothing left and nothing filled, with a rejected quantity -> rejected; nothing left otherwise (the rest
 * was cancelled, or refused after a partial fill) -> cancelled; some filled -> partially_filled; else
 * received (working at the exchange).
 */
export function kisOrderState(quantities: KisOrderQuantities): KisOrderState {
  const { ordered, filled, remaining, rejected, cancelConfirmed, cancelFlag } = quantities;
  if (ordered > 0 && filled >= ordered) {
    return 'filled';
  }
  if (remaining === 0) {
    if (filled === 0 && rejected > 0) {
      return 'rejected';
    }
    if (filled > 0 || cancelConfirmed > 0 || cancelFlag || rejected > 0) {
      return 'cancelled';
    }
  }
  return filled > 0 ? 'partially_filled' : 'received';
}

export function kisOrderStatus(state: string): OrderStatus {
  return KIS_STATUS_TO_ORDER_STATUS[state] ?? OrderStatus.UNKNOWN;
}
