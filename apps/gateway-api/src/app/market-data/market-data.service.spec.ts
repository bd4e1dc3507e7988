import { BrokerRegistry, BrokerUnavailableError, MockBrokerGateway, type Candle, type StreamOptions, type Timeframe } from '@qts/broker-domain';
import { Registry } from 'prom-client';
import { BrokerCallRunner } from '../brokers/broker-call-runner';
import { OfflineModeTracker } from '../brokers/offline-mode-tracker';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { CandleCache } from './candle-cache';
import { MarketDataService, MAX_CACHED_CANDLES } from './market-data.service';

/** The mock broker, its candle stream counted: how many candles it produced, and whether it was ended. */
class CountingBroker extends MockBrokerGateway {
  produced = 0;
  streamsEnded = 0;
  unavailable = false;

  override async *streamCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date, options: StreamOptions = {}): AsyncGenerator<Candle> {
    if (this.unavailable) throw new BrokerUnavailableError('the broker is down');
    try {
      for await (const candle of super.streamCandles(symbol, timeframe, start, end, options)) {
        this.produced += 1;
        yield candle;
      }
    } finally {
      this.streamsEnded += 1;
    }
  }
}

describe('MarketDataService candle streams', () => {
  let broker: CountingBroker;
  let stored: Candle[][];
  let cached: Candle[];
  let offline: OfflineModeTracker;
  let service: MarketDataService;

  beforeEach(() => {
    broker = new CountingBroker({ brokerId: 'kis' });
    const registry = new BrokerRegistry();
    registry.register(broker);
    offline = new OfflineModeTracker();
    stored = [];
    cached = [];
    const cache = {
      store: async (_brokerId: string, candles: readonly Candle[]) => void stored.push([...candles]),
      find: async (_brokerId: string, _symbol: string, _timeframe: Timeframe, start: Date, end: Date) =>
        cached.filter((candle) => candle.timestamp >= start && candle.timestamp <= end),
    } as unknown as CandleCache;
    service = new MarketDataService(new BrokerCallRunner(registry, new GatewayMetrics(new Registry()), offline), cache, offline);
  });

  const range = (start: string, end: string, timeframe: Timeframe = '1m') => ({ timeframe, start: new Date(start), end: new Date(end) });

  async function drain(chunks: AsyncIterator<Candle[]>): Promise<Candle[][]> {
    const all: Candle[][] = [];
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) all.push(next.value);
    return all;
  }

  it('pulls the broker stream only as the consumer reads, and ends it when the consumer stops', async () => {
    const stream = await service.openCandleStream('kis', '005930', range('2026-01-01', '2026-06-30T23:59:00Z'), 500, new AbortController().signal);
    expect(stream.source).toBe('broker');
    // The first chunk (and at most a chunk more) was produced: not the 50,000 bars of the range.
    expect(broker.produced).toBeLessThanOrEqual(1_001);

    await stream.chunks.next();
    await stream.chunks.return?.();

    expect(broker.streamsEnded).toBe(1);
    expect(broker.produced).toBeLessThanOrEqual(1_501);
    // Not read to its end: nothing cached.
    expect(stored).toEqual([]);
  });

  it(`caches a complete stream of at most ${MAX_CACHED_CANDLES} bars, not a longer one`, async () => {
    const short = await service.openCandleStream('kis', '005930', range('2026-11-02', '2026-11-06T23:00:00Z'), 500, new AbortController().signal);
    const shortChunks = await drain(short.chunks);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toHaveLength(shortChunks.flat().length);

    const long = await service.openCandleStream('kis', '005930', range('2026-01-01', '2026-03-31T23:59:00Z'), 500, new AbortController().signal);
    const longChunks = await drain(long.chunks);
    await new Promise((resolve) => setImmediate(resolve));
    expect(longChunks.flat().length).toBeGreaterThan(MAX_CACHED_CANDLES);
    expect(stored).toHaveLength(1);
  });

  it('streams the cached candles in chunks while the broker is unavailable, and marks it offline', async () => {
    const fresh = await service.openCandleStream('kis', '005930', range('2026-11-02', '2026-11-03T23:00:00Z'), 100, new AbortController().signal);
    cached = (await drain(fresh.chunks)).flat();
    broker.unavailable = true;

    const fromCache = await service.openCandleStream('kis', '005930', range('2026-11-02', '2026-11-03T23:00:00Z'), 100, new AbortController().signal);

    expect(fromCache.source).toBe('cache');
    const chunks = await drain(fromCache.chunks);
    expect(chunks.every((chunk) => chunk.length <= 100)).toBe(true);
    expect(chunks.flat().map((candle) => candle.timestamp.getTime())).toEqual(cached.map((candle) => candle.timestamp.getTime()));
    expect(offline.isOffline('kis')).toBe(true);
  });

  it('keeps the BrokerUnavailableError when nothing of the range is cached', async () => {
    broker.unavailable = true;
    await expect(
      service.openCandleStream('kis', '005930', range('2026-11-02', '2026-11-03T23:00:00Z'), 100, new AbortController().signal),
    ).rejects.toBeInstanceOf(BrokerUnavailableError);
  });
});
