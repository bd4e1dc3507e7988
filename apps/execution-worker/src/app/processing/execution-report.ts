import type { Decimal, FailSafeCode, OrderStatus } from '@qts/broker-domain';

/** A change of the order behind an intent, as streamed to strategy engines (qts.execution.v1.ExecutionReport). */
export interface ExecutionReport {
  /** The order event id: strictly increasing over every report, also across restarts. */
  sequence: number;
  intentId: string;
  strategyId: string;
  brokerId: string;
  /** The broker's order id, once known. */
  orderId?: string;
  status: OrderStatus;
  filledQuantity: number;
  avgFillPrice?: Decimal;
  message: string;
  timestamp: Date;
  /** The intent's fail-safe code as of this change (e.g. FS050 when it expired); absent when it has none. */
  failSafeCode?: FailSafeCode;
}
