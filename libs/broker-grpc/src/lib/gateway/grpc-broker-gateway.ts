import { randomUUID } from 'node:crypto';
import {
  Balance,
  BrokerGateway,
  BrokerOperation,
  BrokerType,
  BrokerUnavailableError,
  Candle,
  ConnectionStatus,
  InvalidArgumentError,
  InvalidOrderError,
  requireDate,
  requireNonEmptyString,
  requireSymbolCode,
  isTimeframe,
  Order,
  OrderExpiredError,
  OrderNotFoundError,
  OrderSendOptions,
  PlaceOrderCommand,
  Position,
  Quote,
  RateLimitExceededError,
  StockSymbol,
  StreamOptions,
  Timeframe,
  validatePlaceOrderCommand,
} from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import type { RateLimitLease } from '@qts/rate-limit';
import { Metadata } from '@grpc/grpc-js';
import { BrokerConnection } from '../connection/broker-connection';
import { BrokerConnectionSource } from '../connection/broker-connection-manager';
import { grpcStatusName } from '../errors/grpc-service-error';
import { mapGrpcError } from '../errors/map-grpc-error';
import { candlesRequestToWire, placeOrderRequestToWire } from '../mapping/jts-request-mapping';
import {
  balanceFromWire,
  candleFromWire,
  orderFromWire,
  positionFromWire,
  quoteFromWire,
  symbolFromWire,
} from '../mapping/jts-response-mapping';
import { MalformedResponseError } from '../mapping/malformed-response-error';
import { abortableDelay } from '../timing/abortable-delay';
import { BackoffOptions, ExponentialBackoff } from '../timing/exponential-backoff';
import { RandomSource } from '../timing/seeded-random';
import {
  callMetadata,
  isConnectionLoss,
  isUnavailableStatus,
  readServerStream,
  suggestsConnectionTrouble,
  unaryCall,
  waitForChannelReady,
} from './grpc-calls';
import { leaseOutcomeOf } from './lease-outcome';
import { RateLimitPermits } from './rate-limit-permits';

export const DEFAULT_DEADLINE_MS = 5_000;
export const DEFAULT_STREAM_DEADLINE_MS = 60_000;
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_RETRIES = 2;

export interface GrpcBrokerGatewayOptions {
  brokerId: string;
  brokerType: BrokerType;
  /** Usually the BrokerConnectionManager the broker was connected with. */
  connections: BrokerConnectionSource;
  /** This broker's limiter; every call takes a lease for its BrokerOperation first and settles it when it ends. */
  limiter: RateLimitPermits;
  /**
   * The one deadline of a unary call, counted from when it is made: its rate-limit permit wait, the call and its
   * retries. A read waits for its permit at most nine tenths of it, an order without a send-by time at most half.
   * Default 5 s.
   */
  deadlineMs?: number;
  /** Deadline of a whole candle stream, its permit wait included. Default 60 s. */
  streamDeadlineMs?: number;
  /**
   * The longest a call may wait for its rate-limit permit, within its deadline (orders with a send-by time: until
   * that time). Default 10 s.
   */
  acquireTimeoutMs?: number;
  /** Retries of reads on UNAVAILABLE (never of orders). Default 2. */
  readRetries?: number;
  /** Backoff between read retries. Default 50 ms doubling to 400 ms, jittered. */
  retryBackoff?: Omit<BackoffOptions, 'random'>;
  /** Backoff between quote-stream resubscriptions. Default 250 ms doubling to 5 s, jittered. */
  resubscribeBackoff?: Omit<BackoffOptions, 'random'>;
  /**
   * Backoff between health checks sent to prove that calls which ended without an answer have reached
   * the broker (their slots stay held until then). Default 100 ms doubling to 2 s, jittered.
   */
  progressProbeBackoff?: Omit<BackoffOptions, 'random'>;
  random?: RandomSource;
  /** Idempotency key for orders placed without one. Default: a random UUID. */
  newClientOrderId?: () => string;
}

/**
 * The BrokerGateway of a broker behind the JTS gRPC server.
 *
 * Every call: fail fast if the connection manager reports the broker DISCONNECTED (BrokerUnavailable at
 * once, nothing sent); take a rate-limit lease (RateLimitExceeded if none comes within the call's deadline
 * or acquireTimeoutMs); call within what is left of that one deadline; map the answer to domain entities (decimals stay decimal
 * strings -> Decimal, never a float) and any failure through mapGrpcError.
 *
 * The lease is settled in every path: answered when the answer (or a status the server sent) arrives,
 * or the first message of a stream; unsent when nothing left; abandoned when the call ended without
 * an answer (deadline, cancel, lost connection). An abandoned request may still reach a stalled
 * broker, so its slot stays held until a health check sent after it on the same connection is
 * answered: the gateway sends those checks, with backoff, while such leases exist.
 *
 * Reads are retried on UNAVAILABLE, a new permit per retry, within the same overall deadline. Orders are
 * NEVER retried and are only sent on a READY channel; see mapGrpcError for why their failures may be
 * OrderOutcomeUnknownError, which callers reconcile with findOrderByClientOrderId. An order placed
 * without a clientOrderId gets one, so that every order can be reconciled.
 */
export class GrpcBrokerGateway implements BrokerGateway {
  readonly brokerId: string;
  readonly brokerType: BrokerType;
  private readonly connections: BrokerConnectionSource;
  private readonly limiter: RateLimitPermits;
  private readonly deadlineMs: number;
  private readonly streamDeadlineMs: number;
  private readonly acquireTimeoutMs: number;
  private readonly readRetries: number;
  private readonly retryBackoff: Omit<BackoffOptions, 'random'>;
  private readonly resubscribeBackoff: Omit<BackoffOptions, 'random'>;
  private readonly progressProbeBackoff: Omit<BackoffOptions, 'random'>;
  private readonly random: RandomSource;
  private readonly newClientOrderId: () => string;
  private probingProgress = false;

  constructor(options: GrpcBrokerGatewayOptions) {
    this.brokerId = options.brokerId;
    this.brokerType = options.brokerType;
    this.connections = options.connections;
    this.limiter = options.limiter;
    this.deadlineMs = positiveMs(options.deadlineMs ?? DEFAULT_DEADLINE_MS, 'deadlineMs');
    this.streamDeadlineMs = positiveMs(options.streamDeadlineMs ?? DEFAULT_STREAM_DEADLINE_MS, 'streamDeadlineMs');
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
    if (!(this.acquireTimeoutMs >= 0)) {
      throw new InvalidArgumentError('acquireTimeoutMs must not be negative', { field: 'acquireTimeoutMs' });
    }
    this.readRetries = options.readRetries ?? DEFAULT_READ_RETRIES;
    if (!Number.isSafeInteger(this.readRetries) || this.readRetries < 0) {
      throw new InvalidArgumentError('readRetries must be a non-negative integer', { field: 'readRetries' });
    }
    this.retryBackoff = options.retryBackoff ?? { initialMs: 50, maxMs: 400 };
    this.resubscribeBackoff = options.resubscribeBackoff ?? { initialMs: 250, maxMs: 5_000 };
    this.progressProbeBackoff = options.progressProbeBackoff ?? { initialMs: 100, maxMs: 2_000 };
    this.random = options.random ?? Math.random;
    this.newClientOrderId = options.newClientOrderId ?? randomUUID;
  }

  async getSymbols(): Promise<StockSymbol[]> {
    return this.read('getSymbols', async (connection, deadline) => {
      const response = await unaryCall<jtsV1.GetSymbolsResponse>((done) =>
        connection.marketData.getSymbols({}, callMetadata(), { deadline }, done),
      );
      return response.symbols.map(symbolFromWire);
    });
  }

  async getCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]> {
    const candles: Candle[] = [];
    for await (const candle of this.streamCandles(symbol, timeframe, start, end)) {
      candles.push(candle);
    }
    return candles;
  }

  /**
   * The candles as the server streams them, mapped one at a time (a month of 1m bars never sits in
   * memory twice). One permit and one `streamDeadlineMs` for the whole stream; retried on UNAVAILABLE
   * only before the first candle arrived (after that a retry would repeat candles already yielded).
   */
  async *streamCandles(
    symbol: string,
    timeframe: Timeframe,
    start: Date,
    end: Date,
    options: StreamOptions = {},
  ): AsyncIterable<Candle> {
    const operation: BrokerOperation = 'getCandles';
    requireSymbolCode(symbol, 'symbol');
    if (typeof timeframe !== 'string' || !isTimeframe(timeframe)) {
      throw new InvalidArgumentError('timeframe must be one of 1m, 5m, 15m, 30m, 60m, 1d, 1w', { field: 'timeframe' });
    }
    requireDate(start, 'start');
    requireDate(end, 'end');
    if (start.getTime() > end.getTime()) {
      throw new InvalidArgumentError('start must not be after end', { field: 'start' });
    }
    const { signal } = options;
    if (signal?.aborted) return;
    this.requireConnection(operation);
    const deadline = Date.now() + this.streamDeadlineMs;
    let lease = await this.takeLease(operation, signal, deadline);
    if (!lease) return;
    let connection = this.connectionFor(operation, lease);
    const request = candlesRequestToWire(symbol, timeframe, start, end);
    const backoff = this.backoff(this.retryBackoff);

    for (let attempt = 0; ; attempt++) {
      let received = 0;
      let previous: Candle | undefined;
      const attemptLease = lease;
      attemptLease.markSent();
      try {
        const call = connection.marketData.getCandles(request, callMetadata(), { deadline });
        for await (const message of readServerStream(call, signal, connection.closed)) {
          // The first message proves the broker took the request.
          attemptLease.settle('answered');
          const candle = candleFromWire(message);
          checkCandleBelongs(candle, request, start, end, previous);
          previous = candle;
          received++;
          yield candle;
        }
        attemptLease.settle('answered');
        return;
      } catch (error) {
        if (signal?.aborted) return;
        this.settleAfterFailure(attemptLease, error);
        if (connection.closed.aborted) throw this.disconnected(operation);
        const mapped = mapGrpcError(error, operation, { brokerId: this.brokerId });
        this.reportConnectionTrouble(operation, error);
        if (!isUnavailableStatus(error) || received > 0) throw mapped;
        const next = await this.prepareRetry(operation, attempt, backoff, deadline);
        if (!next) throw mapped;
        ({ connection, lease } = next);
      } finally {
        // The consumer stopped (or aborted) before the first message: it may still reach the broker.
        this.settleAfterFailure(attemptLease, ABANDONED);
      }
    }
  }

  async getQuote(symbol: string): Promise<Quote> {
    requireSymbolCode(symbol, 'symbol');
    return this.read('getQuote', async (connection, deadline) => {
      const response = await unaryCall<jtsV1.QuoteData>((done) =>
        connection.marketData.getQuote({ symbol }, callMetadata(), { deadline }, done),
      );
      const quote = quoteFromWire(response);
      if (quote.symbol !== symbol) {
        throw new MalformedResponseError('quote.symbol', `is '${quote.symbol}', expected '${symbol}'`);
      }
      return quote;
    });
  }

  /**
   * Quotes until `options.signal` aborts or the consumer stops iterating (either cancels the gRPC call).
   * When the stream breaks because the connection went away (UNAVAILABLE, or CANCELLED that we did not
   * ask for: a JTS server shutting down cancels its streams) it waits for the connection to come back,
   * with backoff, and subscribes again, taking a new permit: consumers see a gap, not an error. A
   * stream the server ends normally ends the iteration; other failures end it with the mapped error.
   */
  async *streamQuotes(symbols: string[], options: StreamOptions = {}): AsyncIterable<Quote> {
    const operation: BrokerOperation = 'streamQuotes';
    if (!Array.isArray(symbols) || symbols.length === 0) {
      throw new InvalidArgumentError('symbols must list at least one symbol', { field: 'symbols' });
    }
    symbols.forEach((symbol) => requireSymbolCode(symbol, 'symbols'));
    const { signal } = options;
    if (signal?.aborted) return;
    this.requireConnection(operation);
    const first = await this.takeLease(operation, signal);
    if (!first) return;
    let subscription: { connection: BrokerConnection; lease: RateLimitLease } | undefined = {
      connection: this.connectionFor(operation, first),
      lease: first,
    };
    const backoff = this.backoff(this.resubscribeBackoff);
    const request: jtsV1.StreamQuotesRequest = { symbols: [...symbols] };

    while (subscription) {
      const { connection, lease } = subscription;
      lease.markSent();
      try {
        // No deadline: a quote stream lives until it is cancelled.
        const call = connection.marketData.streamQuotes(request, callMetadata());
        for await (const message of readServerStream(call, signal, connection.closed)) {
          lease.settle('answered');
          backoff.reset();
          yield quoteFromWire(message);
        }
        lease.settle('answered');
        return;
      } catch (error) {
        if (signal?.aborted) return;
        this.settleAfterFailure(lease, error);
        if (connection.closed.aborted) throw this.disconnected(operation);
        if (!isConnectionLoss(error)) throw mapGrpcError(error, operation, { brokerId: this.brokerId });
        this.connections.reportFailure(this.brokerId, `${operation} stream broke`);
      } finally {
        this.settleAfterFailure(lease, ABANDONED);
      }
      subscription = await this.awaitResubscription(operation, backoff, signal);
    }
  }

  async getBalance(accountId: string): Promise<Balance> {
    requireNonEmptyString(accountId, 'accountId');
    return this.read('getBalance', async (connection, deadline) => {
      const response = await unaryCall<jtsV1.BalanceResponse>((done) =>
        connection.trading.getBalance({ accountId }, callMetadata(), { deadline }, done),
      );
      return balanceFromWire(response);
    });
  }

  async getPositions(accountId: string): Promise<Position[]> {
    requireNonEmptyString(accountId, 'accountId');
    return this.read('getPositions', async (connection, deadline) => {
      const response = await unaryCall<jtsV1.PositionsResponse>((done) =>
        connection.trading.getPositions({ accountId }, callMetadata(), { deadline }, done),
      );
      return response.positions.map(positionFromWire);
    });
  }

  /**
   * `options.sendBy` bounds the wait for the permit and for a READY channel: the order never leaves after it
   * (OrderExpiredError, nothing sent). `options.onStage` hears 'awaiting-permit' and then 'sending'.
   */
  async placeOrder(command: PlaceOrderCommand, options: OrderSendOptions = {}): Promise<Order> {
    validatePlaceOrderCommand(command);
    const clientOrderId = command.clientOrderId ?? this.newClientOrderId();
    const request = placeOrderRequestToWire(command, clientOrderId);
    return this.mutateOrder(
      'placeOrder',
      { clientOrderId },
      async (connection, deadline) => {
        const response = await unaryCall<jtsV1.OrderResponse>((done) =>
          connection.trading.placeOrder(request, callMetadata(), { deadline }, done),
        );
        return orderFromWire(response.order, this.brokerId);
      },
      options,
    );
  }

  async cancelOrder(orderId: string): Promise<Order> {
    if (typeof orderId !== 'string' || orderId.trim().length === 0) {
      throw new InvalidOrderError('orderId must be a non-empty string', { field: 'orderId' });
    }
    return this.mutateOrder('cancelOrder', {}, async (connection, deadline) => {
      const response = await unaryCall<jtsV1.OrderResponse>((done) =>
        connection.trading.cancelOrder({ orderId, accountId: '' }, callMetadata(), { deadline }, done),
      );
      return orderFromWire(response.order, this.brokerId);
    });
  }

  async getOrderStatus(orderId: string): Promise<Order> {
    requireNonEmptyString(orderId, 'orderId');
    return this.lookUpOrder({ orderId });
  }

  /** GetOrderStatus by client_order_id; null when the broker has no such order (NOT_FOUND). */
  async findOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    requireNonEmptyString(clientOrderId, 'clientOrderId');
    try {
      return await this.lookUpOrder({ clientOrderId });
    } catch (error) {
      if (error instanceof OrderNotFoundError) return null;
      throw error;
    }
  }

  private lookUpOrder(lookup: jtsV1.GetOrderStatusRequest): Promise<Order> {
    return this.read('getOrderStatus', async (connection, deadline) => {
      const response = await unaryCall<jtsV1.OrderStatusResponse>((done) =>
        connection.trading.getOrderStatus(lookup, callMetadata(), { deadline }, done),
      );
      return orderFromWire(response.order, this.brokerId);
    });
  }

  /** A unary read: fail fast, lease, call; retried on UNAVAILABLE within the deadline, a new lease per retry. */
  private async read<T>(
    operation: BrokerOperation,
    invoke: (connection: BrokerConnection, deadline: number) => Promise<T>,
  ): Promise<T> {
    this.requireConnection(operation);
    // One deadline for the whole call: the permit wait, the call and its retries. The permit must come before the
    // last tenth of it, so that a granted call is never sent with no time left to be answered.
    const deadline = Date.now() + this.deadlineMs;
    let lease = (await this.takeLease(operation, undefined, deadline - this.deadlineMs / 10)) as RateLimitLease;
    let connection = this.connectionFor(operation, lease);
    const backoff = this.backoff(this.retryBackoff);
    for (let attempt = 0; ; attempt++) {
      lease.markSent();
      try {
        const result = await invoke(connection, deadline);
        lease.settle('answered');
        return result;
      } catch (error) {
        this.settleAfterFailure(lease, error);
        const mapped = mapGrpcError(error, operation, { brokerId: this.brokerId });
        this.reportConnectionTrouble(operation, error);
        if (!isUnavailableStatus(error)) throw mapped;
        const next = await this.prepareRetry(operation, attempt, backoff, deadline);
        if (!next) throw mapped;
        ({ connection, lease } = next);
      }
    }
  }

  /**
   * Before retry `attempt + 1` of a read: within budget, wait the backoff, the broker not DISCONNECTED,
   * and a new lease before the deadline. Returns the connection and lease to retry with, or undefined.
   */
  private async prepareRetry(
    operation: BrokerOperation,
    attempt: number,
    backoff: ExponentialBackoff,
    deadline: number,
  ): Promise<{ connection: BrokerConnection; lease: RateLimitLease } | undefined> {
    if (attempt >= this.readRetries) return undefined;
    const delayMs = backoff.next();
    if (Date.now() + delayMs >= deadline) return undefined;
    await abortableDelay(delayMs).promise;
    const connection = this.connections.getConnection(this.brokerId);
    if (!connection || this.connections.getStatus(this.brokerId) === ConnectionStatus.DISCONNECTED) return undefined;
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) return undefined;
    const lease = await this.limiter.acquireLease(operation, { timeoutMs: Math.min(remainingMs, this.acquireTimeoutMs) });
    return lease ? { connection, lease } : undefined;
  }

  /**
   * placeOrder / cancelOrder: fail fast, permit, then send only on a READY channel (a channel that
   * cannot connect fails the order as BrokerUnavailable: nothing was sent). Never retried.
   */
  private async mutateOrder(
    operation: BrokerOperation,
    context: { clientOrderId?: string },
    invoke: (connection: BrokerConnection, deadline: number) => Promise<Order>,
    send: OrderSendOptions = {},
  ): Promise<Order> {
    this.requireConnection(operation);
    const sendBy = send.sendBy?.getTime();
    if (sendBy !== undefined && Date.now() >= sendBy) throw this.expired(operation, sendBy, context);
    send.onStage?.('awaiting-permit');
    // Without a send-by time (a caller waiting on the answer) the permit wait and the call share one deadline; the
    // permit must come within its first half, so that the broker always has the other half to answer the order.
    const overall = sendBy === undefined ? Date.now() + this.deadlineMs : undefined;
    const lease = await this.takeOrderLease(operation, sendBy, context, overall === undefined ? undefined : overall - this.deadlineMs / 2);
    const connection = this.connectionFor(operation, lease);
    const deadline = overall ?? Date.now() + this.deadlineMs;
    const readyBy = sendBy === undefined ? deadline : Math.min(deadline, sendBy);
    if (!(await waitForChannelReady(connection.channel, readyBy))) {
      lease.settle('unsent');
      // A channel still connecting at the send-by time may be fine: that is the order's deadline, not the broker's.
      if (sendBy !== undefined && Date.now() >= sendBy) throw this.expired(operation, sendBy, context);
      this.connections.reportFailure(this.brokerId, `${operation}: channel not ready`);
      throw new BrokerUnavailableError(`Broker '${this.brokerId}' is unavailable (${operation} was not sent)`, {
        details: { brokerId: this.brokerId, operation, ...context },
      });
    }
    send.onStage?.('sending');
    lease.markSent();
    try {
      const order = await invoke(connection, deadline);
      lease.settle('answered');
      return order;
    } catch (error) {
      this.settleAfterFailure(lease, error);
      this.reportConnectionTrouble(operation, error);
      throw mapGrpcError(error, operation, { brokerId: this.brokerId, ...context, sentOnReadyChannel: true });
    }
  }

  /** Waits, with backoff, until the broker is reachable again and a lease is granted; undefined when aborted. */
  private async awaitResubscription(
    operation: BrokerOperation,
    backoff: ExponentialBackoff,
    signal: AbortSignal | undefined,
  ): Promise<{ connection: BrokerConnection; lease: RateLimitLease } | undefined> {
    for (;;) {
      const delay = abortableDelay(backoff.next(), signal);
      const stopListening = this.connections.onStatusChange((event) => {
        if (event.brokerId === this.brokerId && event.current === ConnectionStatus.CONNECTED) delay.wake();
      });
      await delay.promise;
      stopListening();
      if (signal?.aborted) return undefined;
      const connection = this.connections.getConnection(this.brokerId);
      if (!connection) throw this.disconnected(operation);
      if (this.connections.getStatus(this.brokerId) === ConnectionStatus.DISCONNECTED) continue;
      const lease = await this.limiter.acquireLease(operation, { timeoutMs: this.acquireTimeoutMs, signal });
      if (lease) return { connection, lease };
      if (signal?.aborted) return undefined;
    }
  }

  /** Tells the connection manager about UNAVAILABLE / DEADLINE_EXCEEDED, so it re-probes at once. */
  private reportConnectionTrouble(operation: BrokerOperation, error: unknown): void {
    if (suggestsConnectionTrouble(error)) {
      this.connections.reportFailure(this.brokerId, `${operation} failed with ${grpcStatusName(error.code)}`);
    }
  }

  /** The connection was closed on purpose (shutdown), not just lost: nothing will come back on it. */
  private disconnected(operation: BrokerOperation): BrokerUnavailableError {
    return new BrokerUnavailableError(`Broker '${this.brokerId}' was disconnected`, {
      details: { brokerId: this.brokerId, operation },
    });
  }

  /** The broker's connection, or BrokerUnavailable at once while the manager reports it DISCONNECTED. */
  private requireConnection(operation: BrokerOperation): BrokerConnection {
    const connection = this.connections.getConnection(this.brokerId);
    const status = this.connections.getStatus(this.brokerId);
    if (!connection || status === ConnectionStatus.DISCONNECTED) {
      throw new BrokerUnavailableError(`Broker '${this.brokerId}' is disconnected`, {
        details: { brokerId: this.brokerId, operation, status },
      });
    }
    return connection;
  }

  /**
   * Takes the call's lease, waiting at most acquireTimeoutMs and never past `by` (epoch ms: the call's deadline);
   * null only when the signal aborted the wait. No permit in time: RateLimitExceededError, nothing sent.
   */
  private async takeLease(operation: BrokerOperation, signal?: AbortSignal, by?: number): Promise<RateLimitLease | null> {
    const waitMs = this.permitWaitMs(by);
    const lease = await this.limiter.acquireLease(operation, { timeoutMs: waitMs, signal });
    if (!lease && !signal?.aborted) {
      throw await this.noPermit(operation, waitMs);
    }
    return lease;
  }

  /** How long a permit may be waited for: acquireTimeoutMs, cut at `by` (epoch ms) when given. */
  private permitWaitMs(by: number | undefined): number {
    return by === undefined ? this.acquireTimeoutMs : Math.max(0, Math.min(this.acquireTimeoutMs, by - Date.now()));
  }

  /**
   * The lease of an order that must leave by `sendBy` (epoch ms): the wait ends there at the latest, with
   * OrderExpiredError when it was that bound (not the acquire timeout) that ended it.
   */
  private async takeOrderLease(
    operation: BrokerOperation,
    sendBy: number | undefined,
    context: { clientOrderId?: string },
    permitBy?: number,
  ): Promise<RateLimitLease> {
    if (sendBy === undefined) return (await this.takeLease(operation, undefined, permitBy)) as RateLimitLease;
    const remainingMs = sendBy - Date.now();
    if (remainingMs <= 0) throw this.expired(operation, sendBy, context);
    const cutBySendBy = remainingMs < this.acquireTimeoutMs;
    const lease = await this.limiter.acquireLease(operation, {
      timeoutMs: cutBySendBy ? remainingMs : this.acquireTimeoutMs,
    });
    if (lease) return lease;
    throw cutBySendBy ? this.expired(operation, sendBy, context) : await this.noPermit(operation);
  }

  private expired(operation: BrokerOperation, sendBy: number, context: { clientOrderId?: string }): OrderExpiredError {
    return new OrderExpiredError(
      `${operation} on broker '${this.brokerId}' was not sent: its send-by time ${new Date(sendBy).toISOString()} passed first`,
      { details: { brokerId: this.brokerId, operation, ...context, sendBy: new Date(sendBy).toISOString() } },
    );
  }

  /** No permit within the time the call could wait: refused here, nothing sent (`source: 'client'`). */
  private async noPermit(operation: BrokerOperation, waitedMs = this.acquireTimeoutMs): Promise<RateLimitExceededError> {
    return new RateLimitExceededError(
      `No rate-limit permit for ${operation} on broker '${this.brokerId}' within ${Math.round(waitedMs)} ms`,
      {
        retryAfterMs: await this.limiter.estimateWaitMs(operation),
        details: { brokerId: this.brokerId, operation, source: 'client' },
      },
    );
  }

  /** The connection to send on; when there is none any more, the lease is given back (nothing was sent). */
  private connectionFor(operation: BrokerOperation, lease: RateLimitLease): BrokerConnection {
    try {
      return this.requireConnection(operation);
    } catch (error) {
      lease.settle('unsent');
      throw error;
    }
  }

  /** Settles a failed call's lease; one abandoned (no answer) starts proving the broker processed it. */
  private settleAfterFailure(lease: RateLimitLease, error: unknown): void {
    if (lease.settled) return;
    const outcome = error === ABANDONED ? 'abandoned' : leaseOutcomeOf(error);
    lease.settle(outcome);
    if (outcome === 'abandoned') void this.proveProgress();
  }

  /**
   * While leases of this broker are held without an answer, asks the broker's health service over the
   * same connection, with backoff: the broker reads a connection in order, so an answer to a check sent
   * after those requests proves they have reached it (their slots then stay held for one more window
   * only). Ends when none are left or the broker was disconnected for good.
   */
  private async proveProgress(): Promise<void> {
    if (this.probingProgress) return;
    this.probingProgress = true;
    try {
      const backoff = this.backoff(this.progressProbeBackoff);
      while (this.limiter.unanswered > 0) {
        await abortableDelay(backoff.next()).promise;
        const connection = this.connections.getConnection(this.brokerId);
        if (!connection || connection.closed.aborted) return;
        const sentAt = this.limiter.now();
        if (await answersHealthCheck(connection, this.deadlineMs)) {
          this.limiter.confirmProgress(sentAt);
          backoff.reset();
        }
      }
    } finally {
      this.probingProgress = false;
    }
  }

  private backoff(options: Omit<BackoffOptions, 'random'>): ExponentialBackoff {
    return new ExponentialBackoff({ ...options, random: this.random });
  }
}

/** Marks a call that ended without an error and without an answer (stopped by its consumer). */
const ABANDONED = Symbol('abandoned');

/** Whether the server answered a health check at all (any status it sent itself counts). */
function answersHealthCheck(connection: BrokerConnection, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    connection.health.check(
      { service: '' },
      new Metadata({ waitForReady: false }),
      { deadline: Date.now() + timeoutMs },
      (error) => resolve(!error || leaseOutcomeOf(error) === 'answered'),
    );
  });
}

/** Candles must be the requested series, in range and strictly ascending: anything else is a server bug. */
function checkCandleBelongs(
  candle: Candle,
  request: jtsV1.GetCandlesRequest,
  start: Date,
  end: Date,
  previous: Candle | undefined,
): void {
  if (candle.symbol !== request.symbol || candle.timeframe !== request.timeframe) {
    throw new MalformedResponseError('candle', `is ${candle.symbol}/${candle.timeframe}, not the requested series`);
  }
  const at = candle.timestamp.getTime();
  if (at < start.getTime() || at > end.getTime()) {
    throw new MalformedResponseError('candle.timestamp', `${candle.timestamp.toISOString()} is outside the range`);
  }
  if (previous !== undefined && at <= previous.timestamp.getTime()) {
    throw new MalformedResponseError('candle.timestamp', 'is not after the previous candle');
  }
}




function positiveMs(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${field} must be a positive number of milliseconds`, { field });
  }
  return value;
}
