import { Decimal } from 'decimal.js';
import { KrxCalendar } from '../calendar/krx-calendar';
import { AccountConfig } from '../entities/broker-config';
import { Balance } from '../entities/balance';
import { Candle } from '../entities/candle';
import { Order } from '../entities/order';
import { Position } from '../entities/position';
import { Quote } from '../entities/quote';
import { StockSymbol } from '../entities/stock-symbol';
import { AccountType } from '../enums/account-type';
import { BrokerType } from '../enums/broker-type';
import { Timeframe } from '../enums/timeframe';
import { InvalidArgumentError, SymbolNotFoundError } from '../errors/broker-errors';
import { BrokerGateway, PlaceOrderCommand, StreamOptions } from '../ports/broker-gateway';
import { validatePlaceOrderCommand } from '../ports/validate-place-order-command';
import { hashSeed, hashString, unitFromHash } from './deterministic-hash';
import { MockCandleSeries } from './mock-candle-series';
import { MockMarketModel, SimulatedSymbol } from './mock-market-model';
import { MOCK_SYMBOL_CATALOG } from './mock-symbol-catalog';
import {
  DEFAULT_PAPER_ACCOUNT_ID,
  DEFAULT_PAPER_CASH,
  PaperAccountOptions,
  PaperTradingBook,
} from './paper-trading-book';
import { PeriodicBatchStream } from './periodic-batch-stream';

export interface MockBrokerGatewayOptions {
  /** Default 'mock'. */
  brokerId?: string;
  /** The broker the mock stands in for; default KIS. */
  brokerType?: BrokerType;
  /** Same seed, same market. Default 42. */
  seed?: number;
  /** Source of "now" for quotes and order timestamps; default the system clock. */
  clock?: () => Date;
  /** Default: one PAPER account 'MOCK-001' holding 100,000,000 KRW. */
  accounts?: PaperAccountOptions[];
  /** Interval between quote batches of streamQuotes; default 500 ms. */
  quoteIntervalMs?: number;
  /** Tradable symbols; default the built-in catalog of real KRX listings. */
  symbols?: StockSymbol[];
  /** KRX holidays as KST 'YYYY-MM-DD' (no bars, quotes rest at the previous close). */
  holidays?: string[];
}

export const DEFAULT_MOCK_SEED = 42;
export const DEFAULT_QUOTE_INTERVAL_MS = 500;

/** The built-in symbol catalog as domain entities. */
export function defaultMockSymbols(): StockSymbol[] {
  return MOCK_SYMBOL_CATALOG.map(
    (profile) =>
      new StockSymbol({
        code: profile.code,
        name: profile.name,
        englishName: profile.englishName,
        market: profile.market,
        sector: profile.sector,
      }),
  );
}

/**
 * A complete offline broker: a deterministic simulated KRX market (candles in every timeframe following
 * the regular session, quotes that move with the clock) and paper accounts with order matching.
 *
 * Candles are a pure function of (seed, symbol, timeframe, bar start): any two queries agree on their
 * overlap, whatever their ranges. The market model answers any range, past or future, without consulting
 * the clock. Whenever the mock computes a quote (getQuote, streamQuotes, balances, order calls,
 * matchOpenOrders) it first fills the resting orders that quote crosses.
 */
export class MockBrokerGateway implements BrokerGateway {
  readonly brokerId: string;
  readonly brokerType: BrokerType;
  readonly seed: number;
  readonly calendar: KrxCalendar;

  private readonly clock: () => Date;
  private readonly quoteIntervalMs: number;
  private readonly symbols: ReadonlyMap<string, StockSymbol>;
  private readonly simulated: ReadonlyMap<string, SimulatedSymbol>;
  private readonly model: MockMarketModel;
  private readonly candleSeries: MockCandleSeries;
  private readonly book: PaperTradingBook;

  constructor(options: MockBrokerGatewayOptions = {}) {
    this.brokerId = options.brokerId ?? 'mock';
    if (typeof this.brokerId !== 'string' || this.brokerId.trim().length === 0) {
      throw new InvalidArgumentError('brokerId must be a non-empty string', { field: 'brokerId' });
    }
    this.brokerType = options.brokerType ?? BrokerType.KIS;
    if (!Object.values(BrokerType).includes(this.brokerType)) {
      throw new InvalidArgumentError('brokerType must be KIS, CREON or KIWOOM', { field: 'brokerType' });
    }
    this.seed = options.seed ?? DEFAULT_MOCK_SEED;
    if (!Number.isSafeInteger(this.seed)) {
      throw new InvalidArgumentError('seed must be an integer', { field: 'seed' });
    }
    this.quoteIntervalMs = options.quoteIntervalMs ?? DEFAULT_QUOTE_INTERVAL_MS;
    if (!Number.isFinite(this.quoteIntervalMs) || this.quoteIntervalMs < 1) {
      throw new InvalidArgumentError('quoteIntervalMs must be at least 1', { field: 'quoteIntervalMs' });
    }
    this.clock = options.clock ?? (() => new Date());
    this.calendar = new KrxCalendar({ holidays: options.holidays ?? [] });

    const symbols = options.symbols ?? defaultMockSymbols();
    if (symbols.length === 0) {
      throw new InvalidArgumentError('symbols must not be empty', { field: 'symbols' });
    }
    this.symbols = new Map(symbols.map((symbol) => [symbol.code, symbol]));
    if (this.symbols.size !== symbols.length) {
      throw new InvalidArgumentError('symbols must not repeat a code', { field: 'symbols' });
    }
    this.simulated = new Map(symbols.map((symbol) => [symbol.code, simulate(symbol.code)]));

    this.model = new MockMarketModel(this.seed, this.calendar);
    this.candleSeries = new MockCandleSeries(this.model, this.calendar);
    this.book = new PaperTradingBook(
      options.accounts ?? [
        { id: DEFAULT_PAPER_ACCOUNT_ID, type: AccountType.PAPER, initialCash: DEFAULT_PAPER_CASH },
      ],
      this.brokerId,
      () => this.now(),
    );
  }

  /**
   * Opens an account at the mock broker (DEFAULT_PAPER_CASH unless given), as a real broker has every account its
   * customer opened: an account added to the platform at run time is then known here too. Returns whether it was
   * new; an existing account is left as it is.
   */
  openAccount(options: PaperAccountOptions): boolean {
    return this.book.openAccount(options);
  }

  /** The paper accounts, as broker configuration would list them (the first is the default). */
  getAccounts(): AccountConfig[] {
    return this.book.listAccounts().map((account, index) => ({
      id: account.id,
      name:
        account.type === AccountType.PAPER
          ? `Mock paper account ${account.id}`
          : `Mock account ${account.id}`,
      type: account.type,
      isDefault: index === 0,
    }));
  }

  async getSymbols(): Promise<StockSymbol[]> {
    return [...this.symbols.values()];
  }

  async getCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]> {
    const plan = this.candleSeries.plan(this.simulatedSymbol(symbol), timeframe, start, end);
    return Array.from(this.candleSeries.candles(plan));
  }

  /** The candles of getCandles, generated lazily; errors surface on the first iteration. */
  async *streamCandles(
    symbol: string,
    timeframe: Timeframe,
    start: Date,
    end: Date,
    options: StreamOptions = {},
  ): AsyncGenerator<Candle, void, undefined> {
    const plan = this.candleSeries.plan(this.simulatedSymbol(symbol), timeframe, start, end);
    for (const candle of this.candleSeries.candles(plan)) {
      if (options.signal?.aborted) {
        return;
      }
      yield candle;
    }
  }

  async getQuote(symbol: string): Promise<Quote> {
    return this.quoteFor(symbol);
  }

  /**
   * A quote per symbol at once, then every quoteIntervalMs, until the signal aborts or the consumer
   * stops. Unknown symbols (or an empty list) fail the first next().
   */
  streamQuotes(symbols: string[], options: StreamOptions = {}): AsyncIterableIterator<Quote> {
    const codes = Array.isArray(symbols) ? [...new Set(symbols)] : [];
    return new PeriodicBatchStream<Quote>(
      () => {
        if (codes.length === 0) {
          throw new InvalidArgumentError('symbols must name at least one symbol', { field: 'symbols' });
        }
        return codes.map((code) => this.quoteFor(code));
      },
      this.quoteIntervalMs,
      options.signal,
    );
  }

  async getBalance(accountId: string): Promise<Balance> {
    this.book.requireAccount(accountId);
    this.matchOpenOrders();
    return this.book.balance(accountId, (code) => this.lastPrice(code));
  }

  async getPositions(accountId: string): Promise<Position[]> {
    this.book.requireAccount(accountId);
    this.matchOpenOrders();
    return this.book.positions(
      accountId,
      (code) => this.lastPrice(code),
      (code) => this.symbols.get(code)?.name ?? code,
    );
  }

  /**
   * Validates (validatePlaceOrderCommand), then places against the current quote. Idempotent on
   * clientOrderId. Refusals throw: InsufficientFundsError for missing cash or holdings,
   * AccountNotFoundError, SymbolNotFoundError, InvalidOrderError.
   */
  async placeOrder(command: PlaceOrderCommand): Promise<Order> {
    validatePlaceOrderCommand(command);
    const existing = this.book.replay(command);
    if (existing !== null) {
      this.matchSymbolOf(existing.id);
      return this.book.get(existing.id);
    }
    this.book.requireAccount(command.accountId);
    return this.book.place(command, this.quoteFor(command.symbol));
  }

  /** Cancels a resting order; a final order throws InvalidOrderError, an unknown one OrderNotFoundError. */
  async cancelOrder(orderId: string): Promise<Order> {
    this.matchSymbolOf(orderId);
    return this.book.cancel(orderId);
  }

  async getOrderStatus(orderId: string): Promise<Order> {
    this.matchSymbolOf(orderId);
    return this.book.get(orderId);
  }

  async findOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    const order = this.book.findByClientOrderId(clientOrderId);
    if (order === null) {
      return null;
    }
    this.matchSymbolOf(order.id);
    return this.book.get(order.id);
  }

  /** Orders in placement order, optionally of one account (after matching resting orders). */
  listOrders(accountId?: string): Order[] {
    this.matchOpenOrders();
    return this.book.list(accountId);
  }

  /** Re-evaluates every resting order against the quote at the current clock time. */
  matchOpenOrders(): void {
    for (const code of this.book.symbolsWithOpenOrders()) {
      this.quoteFor(code);
    }
  }

  private matchSymbolOf(orderId: string): void {
    const order = this.book.get(orderId);
    if (order.isActive) {
      this.quoteFor(order.symbol);
    }
  }

  /** Computes the quote at the clock's time and lets resting orders react to it. */
  private quoteFor(code: string): Quote {
    const symbol = this.simulatedSymbol(code);
    const now = this.now();
    const raw = this.model.quoteAt(symbol, now.getTime());
    const price = new Decimal(raw.price);
    const previousClose = new Decimal(raw.previousClose);
    const change = price.minus(previousClose);
    const quote = new Quote({
      symbol: code,
      price,
      open: new Decimal(raw.open),
      high: new Decimal(raw.high),
      low: new Decimal(raw.low),
      previousClose,
      change,
      changeRate: change.dividedBy(previousClose).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
      bid: new Decimal(raw.bid),
      ask: new Decimal(raw.ask),
      bidSize: raw.bidSize,
      askSize: raw.askSize,
      volume: raw.volume,
      timestamp: now,
    });
    this.book.match(quote);
    return quote;
  }

  private lastPrice(code: string): Decimal {
    return this.quoteFor(code).price;
  }

  private simulatedSymbol(code: string): SimulatedSymbol {
    const simulated = typeof code === 'string' ? this.simulated.get(code) : undefined;
    if (simulated === undefined) {
      throw new SymbolNotFoundError(`symbol '${String(code)}' is not listed`, { details: { symbol: code } });
    }
    return simulated;
  }

  private now(): Date {
    const now = this.clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new InvalidArgumentError('clock must return a valid Date', { field: 'clock' });
    }
    return now;
  }
}

/** Catalog parameters for a known code; a stable, hash-derived profile for any other symbol. */
function simulate(code: string): SimulatedSymbol {
  const known = MOCK_SYMBOL_CATALOG.find((profile) => profile.code === code);
  if (known !== undefined) {
    return { code, basePrice: known.basePrice, averageDailyVolume: known.averageDailyVolume };
  }
  const draw = unitFromHash(hashSeed(hashString(code)));
  return {
    code,
    basePrice: Math.round(5_000 + draw * 145_000),
    averageDailyVolume: Math.round(100_000 + draw * 1_900_000),
  };
}
