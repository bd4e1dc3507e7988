import { Decimal } from 'decimal.js';
import { BrokerType } from '../enums/broker-type';
import { OrderSide } from '../enums/order-side';
import { OrderType } from '../enums/order-type';
import { Timeframe } from '../enums/timeframe';
import { Balance } from '../entities/balance';
import { Candle } from '../entities/candle';
import { Order } from '../entities/order';
import { Position } from '../entities/position';
import { Quote } from '../entities/quote';
import { StockSymbol } from '../entities/stock-symbol';

export interface PlaceOrderCommand {
  accountId: string;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  /** Shares, a positive integer. */
  quantity: number;
  /** Limit price on the KRX tick grid: required for LIMIT, absent for MARKET. */
  price?: Decimal;
  /** Idempotency key: placing the same clientOrderId twice yields one order. */
  clientOrderId?: string;
}

/** Where an order is on its way out, as reported to `OrderSendOptions.onStage`. */
export type OrderSendStage = 'awaiting-permit' | 'sending';

/** How a caller bounds and follows one order on its way to the broker. */
export interface OrderSendOptions {
  /**
   * The latest instant at which the order may leave for the broker. Whoever waits before sending (for a rate-limit
   * permit, for a connection) never sends it later: past it, nothing is sent and OrderExpiredError is thrown.
   */
  sendBy?: Date;
  /** Told when the order starts waiting for its rate-limit permit, and when it is being written to the broker. */
  onStage?: (stage: OrderSendStage) => void;
}

export interface StreamOptions {
  /** Aborting ends the stream and releases its timers and subscriptions. */
  signal?: AbortSignal;
}

/**
 * The port every broker adapter implements (gRPC to JTS, the in-process mock). Failures are domain
 * errors (BrokerError subclasses) so callers can map them once.
 */
export interface BrokerGateway {
  readonly brokerId: string;
  readonly brokerType: BrokerType;

  getSymbols(): Promise<StockSymbol[]>;
  /** Bars whose start timestamp lies in [start, end] (both inclusive), oldest first. */
  getCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]>;
  /** The same bars as getCandles, produced lazily. Optional. */
  streamCandles?(
    symbol: string,
    timeframe: Timeframe,
    start: Date,
    end: Date,
    options?: StreamOptions,
  ): AsyncIterable<Candle>;
  getQuote(symbol: string): Promise<Quote>;
  /** Quotes for the symbols until `options.signal` aborts or the consumer stops iterating. */
  streamQuotes(symbols: string[], options?: StreamOptions): AsyncIterable<Quote>;
  getBalance(accountId: string): Promise<Balance>;
  getPositions(accountId: string): Promise<Position[]>;
  placeOrder(command: PlaceOrderCommand, options?: OrderSendOptions): Promise<Order>;
  cancelOrder(orderId: string): Promise<Order>;
  getOrderStatus(orderId: string): Promise<Order>;
  /** For reconciling an unknown outcome: the order placed with this clientOrderId, or null if none was. */
  findOrderByClientOrderId(clientOrderId: string): Promise<Order | null>;
}
