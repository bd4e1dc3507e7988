import { randomUUID } from 'node:crypto';
import {
  AccountNotFoundError,
  Balance,
  BrokerGateway,
  BrokerType,
  BrokerUnavailableError,
  Candle,
  InvalidArgumentError,
  InvalidOrderError,
  requireDate,
  requireNonEmptyString,
  requireSymbolCode,
  isTimeframe,
  Order,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  OrderRequest,
  OrderStatus,
  OrderType,
  PlaceOrderCommand,
  Position,
  Quote,
  StockSymbol,
  StreamOptions,
  Timeframe,
  validatePlaceOrderCommand,
} from '@qts/broker-domain';
import { isUnclassifiedBrokerError } from '../fail-safe/unclassified-broker-error';
import type { BrokerOrderRow } from '../orders/broker-order-row';
import type { RestOrderAdapter } from '../orders/rest-order-adapter';
import { pollQuotes } from './polling-quote-stream';

export interface RestBrokerGatewayOptions<TRow extends BrokerOrderRow> {
  brokerId: string;
  /** The order adapter of the same connection: orders go through it, so the worker and the gateway share one order path. */
  orders: RestOrderAdapter<TRow>;
  clock?: () => Date;
  /** Least time between two polls of the same symbol in streamQuotes. Default 1000 ms. */
  quotePollIntervalMs?: number;
  /** How long a symbol list is reused. Default 12 hours (listings change between sessions, not during one). */
  symbolCacheMs?: number;
  /** Idempotency key for orders placed without one. Default: a random UUID. */
  newClientOrderId?: () => string;
}

export const DEFAULT_QUOTE_POLL_INTERVAL_MS = 1_000;
const DEFAULT_SYMBOL_CACHE_MS = 12 * 60 * 60_000;
const MAX_QUOTE_BACKOFF_MS = 30_000;

/**
 * The BrokerGateway of a broker reached over its REST API, what KIS and Kiwoom share: argument checks,
 * the account of the connection, orders through the REST order adapter (never sent twice, reconciled without
 * a client order id), quote streaming by polling within the rate budget, and a cached symbol list. The
 * broker-specific gateways read market data and accounts.
 */
export abstract class RestBrokerGateway<TRow extends BrokerOrderRow> implements BrokerGateway {
  readonly brokerId: string;
  abstract readonly brokerType: BrokerType;
  protected readonly orders: RestOrderAdapter<TRow>;
  protected readonly clock: () => Date;
  private readonly quotePollIntervalMs: number;
  private readonly symbolCacheMs: number;
  private readonly newClientOrderId: () => string;
  private symbols?: { at: number; list: Promise<StockSymbol[]> };

  protected constructor(options: RestBrokerGatewayOptions<TRow>) {
    this.brokerId = options.brokerId;
    this.orders = options.orders;
    this.clock = options.clock ?? (() => new Date());
    this.quotePollIntervalMs = options.quotePollIntervalMs ?? DEFAULT_QUOTE_POLL_INTERVAL_MS;
    this.symbolCacheMs = options.symbolCacheMs ?? DEFAULT_SYMBOL_CACHE_MS;
    this.newClientOrderId = options.newClientOrderId ?? randomUUID;
    if (!(this.quotePollIntervalMs >= 1)) {
      throw new InvalidArgumentError('quotePollIntervalMs must be at least 1', { field: 'quotePollIntervalMs' });
    }
  }

  /** The account of this connection (one app key trades one account). */
  get accountId(): string {
    return this.orders.accountId;
  }

  protected abstract fetchSymbols(): Promise<StockSymbol[]>;
  protected abstract fetchQuote(symbol: string, signal?: AbortSignal): Promise<Quote>;
  /** Bars of the range, any order; the base keeps those starting in [start, end], oldest first. */
  protected abstract fetchCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]>;
  protected abstract fetchBalance(accountId: string): Promise<Balance>;
  protected abstract fetchPositions(accountId: string): Promise<Position[]>;

  async getSymbols(): Promise<StockSymbol[]> {
    const now = this.clock().getTime();
    if (this.symbols === undefined || now - this.symbols.at >= this.symbolCacheMs) {
      const list = this.fetchSymbols();
      this.symbols = { at: now, list };
      list.catch(() => {
        if (this.symbols?.list === list) {
          this.symbols = undefined;
        }
      });
    }
    return [...(await this.symbols.list)];
  }

  async getCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]> {
    requireSymbolCode(symbol, 'symbol');
    if (typeof timeframe !== 'string' || !isTimeframe(timeframe)) {
      throw new InvalidArgumentError('timeframe must be one of 1m, 5m, 15m, 30m, 60m, 1d, 1w', { field: 'timeframe' });
    }
    requireDate(start, 'start');
    requireDate(end, 'end');
    if (start.getTime() > end.getTime()) {
      throw new InvalidArgumentError('start must not be after end', { field: 'start' });
    }
    const candles = await this.fetchCandles(symbol, timeframe, start, end);
    return candles
      .filter((candle) => candle.timestamp >= start && candle.timestamp <= end)
      .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }

  async getQuote(symbol: string): Promise<Quote> {
    requireSymbolCode(symbol, 'symbol');
    return this.fetchQuote(symbol);
  }

  streamQuotes(symbols: string[], options: StreamOptions = {}): AsyncIterable<Quote> {
    if (!Array.isArray(symbols) || symbols.length === 0) {
      throw new InvalidArgumentError('symbols must list at least one symbol', { field: 'symbols' });
    }
    symbols.forEach((symbol) => requireSymbolCode(symbol, 'symbols'));
    return pollQuotes([...new Set(symbols)], {
      fetchQuote: (symbol, signal) => this.fetchQuote(symbol, signal),
      intervalMs: this.quotePollIntervalMs,
      maxBackoffMs: Math.max(this.quotePollIntervalMs, MAX_QUOTE_BACKOFF_MS),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  async getBalance(accountId: string): Promise<Balance> {
    this.requireAccount(accountId);
    return this.fetchBalance(accountId);
  }

  async getPositions(accountId: string): Promise<Position[]> {
    this.requireAccount(accountId);
    return this.fetchPositions(accountId);
  }

  /**
   * Places through the order adapter: validated, never sent twice for one clientOrderId, a timeout is
   * OrderOutcomeUnknownError (reconcile with findOrderByClientOrderId, never re-send). An order placed
   * without a clientOrderId gets one, so that every order can be reconciled.
   */
  async placeOrder(command: PlaceOrderCommand): Promise<Order> {
    validatePlaceOrderCommand(command);
    this.requireAccount(command.accountId);
    const request: OrderRequest = {
      clientOrderId: command.clientOrderId ?? this.newClientOrderId(),
      brokerId: this.brokerId,
      accountId: command.accountId,
      symbol: command.symbol,
      side: command.side,
      orderType: command.orderType,
      quantity: command.quantity,
      ...(command.price === undefined ? {} : { price: command.price }),
    };
    const response = await this.asDomainError(() => this.orders.placeOrder(request));
    if (response.orderId === undefined) {
      throw new OrderOutcomeUnknownError(`${this.brokerId}: the broker accepted the order without an order number`, {
        clientOrderId: request.clientOrderId,
        details: { brokerId: this.brokerId },
      });
    }
    const now = this.clock();
    return new Order({
      id: response.orderId,
      clientOrderId: request.clientOrderId,
      brokerId: this.brokerId,
      accountId: command.accountId,
      symbol: command.symbol,
      side: command.side,
      orderType: command.orderType,
      quantity: command.quantity,
      ...(command.price === undefined ? {} : { price: command.price }),
      status: OrderStatus.PENDING,
      createdAt: now,
    }).transitionTo(OrderStatus.ACCEPTED, { at: now, message: response.message });
  }

  async cancelOrder(orderId: string): Promise<Order> {
    if (typeof orderId !== 'string' || orderId.trim().length === 0) {
      throw new InvalidOrderError('orderId must be a non-empty string', { field: 'orderId' });
    }
    const response = await this.asDomainError(() => this.orders.cancelOrder(orderId));
    const row = await this.orders.findOrderRow(orderId).catch(() => null);
    if (row !== null) {
      return this.orderOf(row, response.clientOrderId === '' ? undefined : response.clientOrderId);
    }
    throw new OrderOutcomeUnknownError(
      `${this.brokerId}: ${response.message}; the order's state could not be read afterwards`,
      { details: { brokerId: this.brokerId, orderId } },
    );
  }

  async getOrderStatus(orderId: string): Promise<Order> {
    requireNonEmptyString(orderId, 'orderId');
    const row = await this.orders.findOrderRow(orderId);
    if (row === null) {
      throw new OrderNotFoundError(`${this.brokerId}: no order ${orderId}`, { details: { brokerId: this.brokerId, orderId } });
    }
    return this.orderOf(row);
  }

  /**
   * The order of a clientOrderId, matched through the broker's daily order list when its outcome was
   * unknown. An ambiguous match is never answered null (which would read as "never placed"): it is
   * OrderOutcomeUnknownError, for an operator to settle.
   */
  async findOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    requireNonEmptyString(clientOrderId, 'clientOrderId');
    const resolution = await this.orders.resolveClientOrderId(clientOrderId);
    switch (resolution.kind) {
      case 'found':
        return this.orderOf(resolution.row, clientOrderId);
      case 'none':
        return null;
      case 'not-yet-visible': {
        const record = resolution.record;
        const createdAt = record.sentAt ?? this.clock();
        return new Order({
          id: record.orderId as string,
          clientOrderId,
          brokerId: this.brokerId,
          accountId: this.accountId,
          symbol: record.symbol,
          side: record.side,
          orderType: record.orderType,
          quantity: record.quantity,
          ...(record.price === undefined ? {} : { price: record.price }),
          status: OrderStatus.ACCEPTED,
          createdAt,
          message: `accepted as ${record.orderId}; not in the broker's order inquiry yet`,
        });
      }
      case 'ambiguous':
        throw new OrderOutcomeUnknownError(
          `${this.brokerId}: ${resolution.candidates.length} broker orders (${resolution.candidates
            .map((row) => row.orderNo)
            .join(', ')}) match clientOrderId '${clientOrderId}'; an operator must settle it`,
          { clientOrderId, details: { brokerId: this.brokerId } },
        );
    }
  }

  /** A broker order row as a domain Order. */
  protected orderOf(row: TRow, clientOrderId?: string): Order {
    if (row.side === undefined) {
      throw new BrokerUnavailableError(`${this.brokerId}: order ${row.orderNo} has no readable side`, {
        details: { brokerId: this.brokerId, orderId: row.orderNo },
      });
    }
    const limit = row.orderType !== OrderType.MARKET && row.price !== undefined;
    const owner = clientOrderId ?? this.orders.ownerOf(row.orderNo);
    return new Order({
      id: row.orderNo,
      ...(owner === undefined ? {} : { clientOrderId: owner }),
      brokerId: this.brokerId,
      accountId: this.accountId,
      symbol: row.symbol,
      side: row.side,
      orderType: limit ? OrderType.LIMIT : OrderType.MARKET,
      quantity: row.quantity,
      ...(limit ? { price: row.price } : {}),
      status: row.status,
      filledQuantity: Math.min(row.filledQuantity, row.quantity),
      ...(row.avgFillPrice === undefined ? {} : { avgFillPrice: row.avgFillPrice }),
      message: `${row.stateLabel}`,
      createdAt: row.orderedAt ?? this.clock(),
    });
  }

  protected requireAccount(accountId: string): void {
    requireNonEmptyString(accountId, 'accountId');
    if (!this.orders.isOwnAccount(accountId)) {
      throw new AccountNotFoundError(`account '${accountId}' is not the account of broker '${this.brokerId}'`, {
        details: { brokerId: this.brokerId, accountId },
      });
    }
  }

  /** The gateway speaks domain errors only: a refusal with a code the table does not know is a rejection. */
  private async asDomainError<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isUnclassifiedBrokerError(error)) {
        throw new OrderRejectedError(error.message, {
          ...(error.brokerCode === undefined ? {} : { brokerCode: error.brokerCode }),
          details: { brokerId: this.brokerId, ...(error.brokerCode === undefined ? {} : { brokerCode: error.brokerCode }) },
          cause: error,
        });
      }
      throw error;
    }
  }
}



