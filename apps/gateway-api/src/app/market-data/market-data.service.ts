import { Injectable } from '@nestjs/common';
import {
  BROKER_ERROR_CODES,
  BrokerUnavailableError,
  isBrokerError,
  TradingBars,
  type BrokerGateway,
  type Candle,
  type Quote,
  type StockSymbol,
} from '@qts/broker-domain';
import { BrokerCallRunner } from '../brokers/broker-call-runner';
import { OfflineModeTracker } from '../brokers/offline-mode-tracker';
import { CandleCache } from './candle-cache';
import type { CandleRange } from './candle-range';

/** Where candles came from: the broker now, or the cache because the broker is unavailable. */
export type CandleSource = 'broker' | 'cache';

export interface CandleAnswer {
  source: CandleSource;
  candles: Candle[];
}

/** One page of a candle query: its candles, and where the next page starts when there is one. */
export interface CandlePage extends CandleAnswer {
  next?: Date;
}

/** An open candle stream: where its candles come from, and the candles oldest first, in chunks. */
export interface CandleStream {
  source: CandleSource;
  chunks: AsyncIterator<Candle[]>;
}

/**
 * Answers of at most this many bars are cached for offline mode. A longer stream is served as it comes and not
 * cached: writing it would cost more than serving it, and hold it all in memory.
 */
export const MAX_CACHED_CANDLES = 10_000;

/** Bars per broker request for a broker that answers candles as whole lists (no stream): a stream asks window by window. */
const LIST_WINDOW_BARS = 5_000;

/** An open quote stream whose first quote already arrived (so a bad symbol fails before anything is sent). */
export interface OpenQuoteStream {
  first: Quote;
  rest: AsyncIterator<Quote>;
}

/** Market data for REST and gRPC alike. */
@Injectable()
export class MarketDataService {
  private readonly bars = new TradingBars();

  constructor(
    private readonly calls: BrokerCallRunner,
    private readonly cache: CandleCache,
    private readonly offline: OfflineModeTracker,
  ) {}

  getSymbols(brokerId: string): Promise<StockSymbol[]> {
    return this.calls.run(brokerId, 'getSymbols', (gateway) => gateway.getSymbols());
  }

  /**
   * Candles from the broker, cached on the way; while the broker is unavailable, from the cache (the broker
   * is then in offline mode). Nothing cached for the range: the BrokerUnavailableError stands (503).
   */
  async getCandles(brokerId: string, symbol: string, range: CandleRange): Promise<CandleAnswer> {
    try {
      const candles = await this.calls.run(brokerId, 'getCandles', (gateway) =>
        gateway.getCandles(symbol, range.timeframe, range.start, range.end),
      );
      await this.cache.store(brokerId, candles);
      return { source: 'broker', candles };
    } catch (error) {
      if (!isBrokerError(error) || error.code !== BROKER_ERROR_CODES.BROKER_UNAVAILABLE) throw error;
      const cached = await this.cache.find(brokerId, symbol, range.timeframe, range.start, range.end);
      if (cached.length === 0) throw error;
      this.offline.markOffline(brokerId);
      return { source: 'cache', candles: cached };
    }
  }

  /**
   * One page of a candle query: at most `limit` bars counted in trading time (fewer on holidays), from `after` (a
   * cursor's instant) or the start of the range; `next` when bars may follow. Each page is one broker request, cached
   * and served from the cache while the broker is unavailable, as getCandles.
   */
  async getCandlePage(brokerId: string, symbol: string, range: CandleRange, limit: number, after?: Date): Promise<CandlePage> {
    const from = after ?? range.start;
    const window = this.bars.window(range.timeframe, from, range.end, limit);
    const answer = await this.getCandles(brokerId, symbol, { timeframe: range.timeframe, start: from, end: window.last });
    return window.more ? { ...answer, next: new Date(window.last.getTime() + 1) } : answer;
  }

  /**
   * The candles of a range as the broker streams them, in chunks of at most `chunkSize`, pulled as the consumer reads
   * (memory stays bounded whatever the range). Resolves once the first chunk arrived, so that a refusal comes before
   * anything is sent. While the broker is unavailable the cached candles of the range are streamed instead (source
   * 'cache'); nothing cached: the BrokerUnavailableError stands. Ranges of at most MAX_CACHED_CANDLES bars are cached.
   */
  async openCandleStream(brokerId: string, symbol: string, range: CandleRange, chunkSize: number, signal: AbortSignal): Promise<CandleStream> {
    const chunks = this.calls
      .runStream(brokerId, 'getCandles', (gateway) => inChunks(this.brokerCandles(gateway, symbol, range, signal), chunkSize))
      [Symbol.asyncIterator]();
    let first: IteratorResult<Candle[]>;
    try {
      first = await chunks.next();
    } catch (error) {
      if (!isBrokerError(error) || error.code !== BROKER_ERROR_CODES.BROKER_UNAVAILABLE) throw error;
      const cached = this.cachedChunks(brokerId, symbol, range, chunkSize)[Symbol.asyncIterator]();
      const firstCached = await cached.next();
      if (firstCached.done) throw error;
      this.offline.markOffline(brokerId);
      return { source: 'cache', chunks: startingWith(firstCached, cached) };
    }
    const cacheable = this.bars.count(range.timeframe, range.start, range.end) <= MAX_CACHED_CANDLES;
    const served = startingWith(first, chunks);
    return { source: 'broker', chunks: cacheable ? this.cachedOnTheWay(brokerId, served) : served };
  }

  /** The broker's candles of the range, one at a time: its stream, or its lists window by window. */
  private async *brokerCandles(gateway: BrokerGateway, symbol: string, range: CandleRange, signal: AbortSignal): AsyncIterable<Candle> {
    if (gateway.streamCandles !== undefined) {
      yield* gateway.streamCandles(symbol, range.timeframe, range.start, range.end, { signal });
      return;
    }
    let from = range.start;
    for (;;) {
      const window = this.bars.window(range.timeframe, from, range.end, LIST_WINDOW_BARS);
      yield* await gateway.getCandles(symbol, range.timeframe, from, window.last);
      if (!window.more || signal.aborted) return;
      from = new Date(window.last.getTime() + 1);
    }
  }

  /** The cached candles of a range, read a chunk at a time. */
  private async *cachedChunks(brokerId: string, symbol: string, range: CandleRange, chunkSize: number): AsyncIterable<Candle[]> {
    let from = range.start;
    for (;;) {
      const window = this.bars.window(range.timeframe, from, range.end, chunkSize);
      const candles = await this.cache.find(brokerId, symbol, range.timeframe, from, window.last);
      if (candles.length > 0) yield candles;
      if (!window.more) return;
      from = new Date(window.last.getTime() + 1);
    }
  }

  /** Passes the chunks through and caches them once the stream has been read to its end. */
  private async *cachedOnTheWay(brokerId: string, chunks: AsyncIterator<Candle[]>): AsyncIterator<Candle[]> {
    const seen: Candle[] = [];
    try {
      for (;;) {
        const next = await chunks.next();
        if (next.done) break;
        seen.push(...next.value);
        yield next.value;
      }
    } finally {
      // A consumer that stops early ends the broker stream; only a complete answer is cached.
      await chunks.return?.();
    }
    // Not awaited: the caller's stream is complete; the cache never throws.
    void this.cache.store(brokerId, seen);
  }

  getQuote(brokerId: string, symbol: string): Promise<Quote> {
    return this.calls.run(brokerId, 'getQuote', (gateway) => gateway.getQuote(symbol));
  }

  /**
   * Opens a quote stream and waits for its first quote. Aborting `signal` ends the broker stream; so does
   * `rest.return()`.
   */
  async openQuoteStream(brokerId: string, symbols: string[], signal: AbortSignal): Promise<OpenQuoteStream> {
    return this.calls.run(
      brokerId,
      'streamQuotes',
      async (gateway) => {
        const iterator = gateway.streamQuotes(symbols, { signal })[Symbol.asyncIterator]();
        let first: IteratorResult<Quote>;
        try {
          first = await iterator.next();
        } catch (error) {
          await iterator.return?.();
          throw error;
        }
        if (first.done) {
          throw new BrokerUnavailableError('the broker ended the quote stream before the first quote');
        }
        return { first: first.value, rest: iterator };
      },
      signal,
    );
  }
}

/** Groups an iterable's items into arrays of at most `size`. */
async function* inChunks<T>(items: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** An iterator that yields `first` (already read from `rest`), then the rest of `rest`. */
async function* startingWith<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncIterator<T> {
  if (first.done) return;
  try {
    yield first.value;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}
