import { Decimal } from 'decimal.js';
import { OrderSide } from '../enums/order-side';
import { OrderStatus } from '../enums/order-status';
import { OrderType } from '../enums/order-type';
import type { OrderSendOptions } from '../ports/broker-gateway';
import { FailSafeCode } from './fail-safe-code';

/** What a strategy wants executed. `intentId` is the idempotency key: one intent, at most one order. */
export interface ExecutionIntent {
  intentId: string;
  strategyId: string;
  brokerId: string;
  accountId: string;
  symbol: string;
  side: OrderSide;
  quantity: number;
  orderType: OrderType;
  /** Required for LIMIT (on the KRX tick grid), absent for MARKET. */
  limitPrice?: Decimal;
  createdAt?: Date;
}

export interface ExecutionResponse {
  intentId: string;
  accepted: boolean;
  /** The broker that handled the intent, or 'failsafe' / 'noop' when the execution layer refused it. */
  broker: string;
  orderId?: string;
  status?: OrderStatus;
  failSafeCode?: FailSafeCode;
  message: string;
  /** True when the payload was built and validated but nothing was sent. */
  dryRun?: boolean;
  /**
   * True when the platform itself refused the order before anything was sent, for a reason that says nothing about
   * the broker's health: no rate-limit permit in time, or the intent expired while it waited. Such refusals never
   * count toward the consecutive-failure guard.
   */
  refusedBeforeSending?: boolean;
}

/** An order as an order adapter (KIS REST, Kiwoom REST, JTS) receives it. */
export interface OrderRequest {
  /** Idempotency key sent to (or remembered for) the broker; derived from the intent. */
  clientOrderId: string;
  brokerId: string;
  accountId: string;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  quantity: number;
  price?: Decimal;
}

export interface OrderResponse {
  clientOrderId: string;
  orderId?: string;
  accepted: boolean;
  status: OrderStatus;
  filledQuantity: number;
  avgFillPrice?: Decimal;
  /** The broker's own result code (e.g. KIS msg_cd, Kiwoom return_code). */
  brokerCode?: string;
  message: string;
}

/**
 * What was sent for an order: brokers without a client order id (KIS and Kiwoom REST) find an order whose
 * outcome is unknown by matching these against their daily order list.
 */
export interface PlacedOrderDescription {
  accountId: string;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  quantity: number;
  price?: Decimal;
  /** When the request was sent (or about to be). */
  sentAt: Date;
}

export interface OrderReference {
  orderId?: string;
  clientOrderId?: string;
  /** The order as it was sent; lets a REST adapter reconcile an order it did not see answered (restart, timeout). */
  placed?: PlacedOrderDescription;
}

export interface OrderAdapter {
  readonly brokerId: string;
  /** `options.sendBy`: never sent after it (OrderExpiredError instead); `options.onStage`: progress on the way out. */
  placeOrder(request: OrderRequest, options?: OrderSendOptions): Promise<OrderResponse>;
  /** null when the broker knows no such order (used to reconcile unknown outcomes). */
  getOrder(ref: OrderReference): Promise<OrderResponse | null>;
  cancelOrder(orderId: string): Promise<OrderResponse>;
}

/** Turns intents into broker orders (LiveBroker, NoopBroker, the order-adapter bridge). */
export interface BrokerEngine {
  readonly name: string;
  /** `options` bound and follow the order on its way out (see OrderSendOptions); engines that send nothing ignore them. */
  submitIntent(intent: ExecutionIntent, options?: OrderSendOptions): Promise<ExecutionResponse>;
}
