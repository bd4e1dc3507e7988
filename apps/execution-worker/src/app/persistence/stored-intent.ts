import type { Decimal, ExecutionIntent, FailSafeCode, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';

/** The answer given to an intent (SubmitIntentResponse without the order fields). */
export interface IntentAnswer {
  accepted: boolean;
  /** The engine that answered: 'live', 'noop', 'failsafe'. */
  handledBy: string;
  failSafeCode?: FailSafeCode;
  message: string;
  answeredAt: Date;
}

export interface StoredOrder {
  id: number;
  intentId: string;
  clientOrderId: string;
  brokerId: string;
  accountId: string;
  symbol: string;
  brokerOrderId?: string;
  status: OrderStatus;
  filledQuantity: number;
  avgFillPrice?: Decimal;
  /** Set just before the broker call: without it the order was never sent. */
  submittedAt?: Date;
  /** The order as sent; undefined for orders stored before it was recorded. */
  placed?: { side: OrderSide; orderType: OrderType; quantity: number; price?: Decimal };
  /** Why only an operator can settle this order (AMBIGUOUS_MATCH). */
  operatorFlag?: string;
  message?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredIntent {
  /** Arrival order. */
  seq: number;
  intent: ExecutionIntent;
  dryRun: boolean;
  /** Undefined until the intent is answered. */
  answer?: IntentAnswer;
  /** Undefined for a dry run: nothing is ever sent for it. */
  order?: StoredOrder;
  /** After this the order is not sent any more. Undefined for a dry run and for rows stored before expiry existed. */
  expiresAt?: Date;
  /** The worker that sends, reconciles and follows it (WorkerInstance id); undefined when handed back. */
  ownerId?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A new state of an order, as the broker (or the worker on its behalf) reports it. */
export interface OrderUpdate {
  status: OrderStatus;
  /** Set (or, with null, cleared) the order's operator flag. */
  operatorFlag?: string | null;
  brokerOrderId?: string;
  filledQuantity?: number;
  avgFillPrice?: Decimal;
  message?: string;
}

/** What caused an order change, kept in order_events.source. */
export type OrderEventSource = 'intent' | 'broker' | 'reconciliation' | 'recovery' | 'open_order_poll' | 'expiry' | 'operator';

/**
 * What an operator found at the broker for an order only they can settle (AMBIGUOUS_MATCH): the broker order it is
 * (the worker then follows that order like any open one), or that it never reached the broker.
 */
export type OperatorSettlement =
  | { kind: 'at_broker'; brokerOrderId: string; note: string }
  | { kind: 'never_reached'; note: string };
