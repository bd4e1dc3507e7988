import { Injectable } from '@nestjs/common';
import {
  BROKER_ERROR_CODES,
  BrokerUnavailableError,
  isBrokerError,
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

/** An open quote stream whose first quote already arrived (so a bad symbol fails before anything is sent). */
export interface OpenQuoteStream {
  first: Quote;
  rest: AsyncIterator<Quote>;
}

/** Market data for REST and gRPC alike. */
@Injectable()
export class MarketDataService {
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
