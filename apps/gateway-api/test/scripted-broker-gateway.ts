import {
  MockBrokerGateway,
  type Balance,
  type BrokerGateway,
  type BrokerOperation,
  type BrokerType,
  type Candle,
  type Order,
  type PlaceOrderCommand,
  type Position,
  type Quote,
  type StockSymbol,
  type StreamOptions,
  type Timeframe,
} from '@qts/broker-domain';

type Failure = Error | (() => Error);

/**
 * A BrokerGateway for tests: the domain's MockBrokerGateway underneath, with scripted failures per
 * operation (every call, or the next N) and call counters, so tests can drive every error path.
 */
export class ScriptedBrokerGateway implements BrokerGateway {
  readonly calls = new Map<BrokerOperation | 'findOrderByClientOrderId', number>();
  private readonly failures = new Map<string, { failure: Failure; remaining: number }>();
  private readonly delays = new Map<string, number>();
  private readonly failuresAfter = new Map<string, { failure: Failure; remaining: number }>();
  /** Quote streams opened and not yet closed. */
  openQuoteStreams = 0;

  constructor(readonly inner: MockBrokerGateway) {}

  get brokerId(): string {
    return this.inner.brokerId;
  }

  get brokerType(): BrokerType {
    return this.inner.brokerType;
  }

  /** The operation fails with `failure` `times` times (Infinity: until cleared). */
  fail(operation: string, failure: Failure, times = Number.POSITIVE_INFINITY): void {
    this.failures.set(operation, { failure, remaining: times });
  }

  /** The operation runs (the broker acts) and then fails: how a timeout after placement looks. */
  failAfter(operation: string, failure: Failure, times = 1): void {
    this.failuresAfter.set(operation, { failure, remaining: times });
  }

  /** The operation waits `ms` before running (lets tests overlap concurrent calls). */
  delay(operation: string, ms: number): void {
    this.delays.set(operation, ms);
  }

  /** Forgets scripted failures, delays and call counts. */
  clear(): void {
    this.calls.clear();
    this.failures.clear();
    this.failuresAfter.clear();
    this.delays.clear();
  }

  count(operation: BrokerOperation | 'findOrderByClientOrderId'): number {
    return this.calls.get(operation) ?? 0;
  }

  getSymbols(): Promise<StockSymbol[]> {
    return this.run('getSymbols', () => this.inner.getSymbols());
  }

  getCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]> {
    return this.run('getCandles', () => this.inner.getCandles(symbol, timeframe, start, end));
  }

  getQuote(symbol: string): Promise<Quote> {
    return this.run('getQuote', () => this.inner.getQuote(symbol));
  }

  streamQuotes(symbols: string[], options?: StreamOptions): AsyncIterable<Quote> {
    this.bump('streamQuotes');
    const scripted = this.takeFailure('streamQuotes');
    if (scripted !== undefined) {
      return {
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.reject(scripted),
          return: () => Promise.resolve({ done: true, value: undefined }),
        }),
      };
    }
    const inner = this.inner.streamQuotes(symbols, options)[Symbol.asyncIterator]();
    this.openQuoteStreams += 1;
    let open = true;
    const close = (): void => {
      if (open) this.openQuoteStreams -= 1;
      open = false;
    };
    return {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          try {
            const result = await inner.next();
            if (result.done) close();
            return result;
          } catch (error) {
            close();
            throw error;
          }
        },
        return: async () => {
          close();
          return (await inner.return?.()) ?? { done: true, value: undefined };
        },
      }),
    };
  }

  getBalance(accountId: string): Promise<Balance> {
    return this.run('getBalance', () => this.inner.getBalance(accountId));
  }

  getPositions(accountId: string): Promise<Position[]> {
    return this.run('getPositions', () => this.inner.getPositions(accountId));
  }

  placeOrder(command: PlaceOrderCommand): Promise<Order> {
    return this.run('placeOrder', () => this.inner.placeOrder(command));
  }

  cancelOrder(orderId: string): Promise<Order> {
    return this.run('cancelOrder', () => this.inner.cancelOrder(orderId));
  }

  getOrderStatus(orderId: string): Promise<Order> {
    return this.run('getOrderStatus', () => this.inner.getOrderStatus(orderId));
  }

  findOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    return this.run('findOrderByClientOrderId', () => this.inner.findOrderByClientOrderId(clientOrderId));
  }

  private bump(operation: string): void {
    this.calls.set(operation as BrokerOperation, (this.calls.get(operation as BrokerOperation) ?? 0) + 1);
  }

  private takeFailure(operation: string, from = this.failures): Error | undefined {
    const entry = from.get(operation);
    if (entry === undefined || entry.remaining <= 0) return undefined;
    entry.remaining -= 1;
    return typeof entry.failure === 'function' ? entry.failure() : entry.failure;
  }

  private async run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    this.bump(operation);
    const delay = this.delays.get(operation);
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    const failure = this.takeFailure(operation);
    if (failure !== undefined) throw failure;
    const result = await call();
    const after = this.takeFailure(operation, this.failuresAfter);
    if (after !== undefined) throw after;
    return result;
  }
}
