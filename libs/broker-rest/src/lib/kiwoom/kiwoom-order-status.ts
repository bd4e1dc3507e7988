import { OrderStatus } from '@qts/broker-domain';

/**
 * Kiwoom order state -> OrderStatus, the one place Kiwoom states are normalised. Keys: the Korean states
 * of Kiwoom's order screens and inquiries (접수, 확인, 체결, ...), which kiwoomOrderState derives, and the
 * generic names. 'timeout' is UNKNOWN (not REJECTED: the order may be live); a return code such as '0' or
 * 'error' is not an order state and has no key.
 */
export const KIWOOM_STATUS_TO_ORDER_STATUS: Readonly<Record<string, OrderStatus>> = Object.freeze({
  접수: OrderStatus.ACCEPTED,
  확인: OrderStatus.ACCEPTED,
  부분체결: OrderStatus.PARTIAL,
  체결: OrderStatus.FILLED,
  취소: OrderStatus.CANCELLED,
  거부: OrderStatus.REJECTED,
  accepted: OrderStatus.ACCEPTED,
  open: OrderStatus.ACCEPTED,
  pending: OrderStatus.ACCEPTED,
  partial: OrderStatus.PARTIAL,
  partially_filled: OrderStatus.PARTIAL,
  filled: OrderStatus.FILLED,
  cancelled: OrderStatus.CANCELLED,
  canceled: OrderStatus.CANCELLED,
  rejected: OrderStatus.REJECTED,
  timeout: OrderStatus.UNKNOWN,
});

/** The fields of a kt00007 row that decide an order's state. */
export interface KiwoomOrderQuantities {
  /** ord_qty */
  ordered: number;
  /** cntr_qty */
  filled: number;
  /** ord_remnq */
  remaining: number;
  /** acpt_tp (접수구분), e.g. '접수', '확인', '거부'. */
  acceptance: string;
}

export type KiwoomOrderState = '접수' | '부분체결' | '체결' | '취소' | '거부';

/**
 * The state of a Kiwoom order from a kt00007 row. Fully filled -> 체결; refused (acpt_tp 거부) with
 * nothing filled -> 거부; nothing remaining yet not fully filled -> 취소 (the rest was cancelled);
 * some filled -> 부분체결; else 접수 (working).
 */
export function kiwoomOrderState(quantities: KiwoomOrderQuantities): KiwoomOrderState {
  const { ordered, filled, remaining, acceptance } = quantities;
  if (ordered > 0 && filled >= ordered) {
    return '체결';
  }
  if (acceptance.includes('거부') && filled === 0) {
    return '거부';
  }
  if (remaining === 0 && ordered > 0) {
    return '취소';
  }
  return filled > 0 ? '부분체결' : '접수';
}

export function kiwoomOrderStatus(state: string): OrderStatus {
  return KIWOOM_STATUS_TO_ORDER_STATUS[state] ?? OrderStatus.UNKNOWN;
}
