import type { Decimal, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';

/**
 * One order as a broker's daily order inquiry lists it (KIS inquire-daily-ccld output1, Kiwoom kt00007
 * acnt_ord_cntr_prps_dtl), in the terms both adapters share.
 */
export interface BrokerOrderRow {
  orderNo: string;
  symbol: string;
  /** Absent when the row does not say (an unreadable side code). */
  side?: OrderSide;
  /** Absent when the row does not say. */
  orderType?: OrderType;
  /** Shares ordered. */
  quantity: number;
  /** The limit price; absent for a market order or when the row shows none. */
  price?: Decimal;
  filledQuantity: number;
  /** Average fill price; absent while nothing is filled. */
  avgFillPrice?: Decimal;
  /** When the broker took the order (its clock, KST on the wire, UTC here); absent when unreadable. */
  orderedAt?: Date;
  /** The order a cancel or amend row refers to; absent for an original order. */
  originalOrderNo?: string;
  status: OrderStatus;
  /** The broker's state word the status was derived from ('received', '체결' ...), for messages. */
  stateLabel: string;
}
