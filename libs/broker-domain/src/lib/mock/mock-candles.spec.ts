import fc from 'fast-check';
import { KrxCalendar } from '../calendar/krx-calendar';
import { Candle } from '../entities/candle';
import { StockSymbol } from '../entities/stock-symbol';
import { Market } from '../enums/market';
import { Timeframe, TIMEFRAMES, timeframeDurationMs } from '../enums/timeframe';
import { InvalidArgumentError, SymbolNotFoundError } from '../errors/broker-errors';
import { isOnKrxTick } from '../values/krx-tick-size';
import { MockBrokerGateway } from './mock-broker-gateway';
import { MAX_CANDLES_PER_REQUEST } from './mock-candle-series';
import { MOCK_SYMBOL_CATALOG } from './mock-symbol-catalog';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const utc = (iso: string) => new Date(iso);

/**
 * Every property a consumer of candles relies on. Violations are collected and asserted once: a few
 * thousand individual expect() calls would dominate the run time.
 */
function expectValidCandles(
  candles: Candle[],
  symbol: string,
  timeframe: Timeframe,
  start: Date,
  end: Date,
): void {
  const problems: string[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const candle of candles) {
    const at = `${candle.symbol} ${candle.timeframe} ${candle.timestamp.toISOString()}`;
    const time = candle.timestamp.getTime();
    if (!(candle instanceof Candle)) problems.push(`${at}: not a Candle`);
    if (candle.symbol !== symbol || candle.timeframe !== timeframe) problems.push(`${at}: wrong series`);
    if (time <= previous) problems.push(`${at}: not strictly after the previous bar`);
    if (time < start.getTime() || time > end.getTime()) problems.push(`${at}: outside the requested range`);
    previous = time;
    for (const price of [candle.open, candle.high, candle.low, candle.close]) {
      if (!isOnKrxTick(price)) problems.push(`${at}: ${price.toFixed()} is off the KRX tick grid`);
    }
    if (candle.high.lessThan(candle.open) || candle.high.lessThan(candle.close))
      problems.push(`${at}: high too low`);
    if (candle.low.greaterThan(candle.open) || candle.low.greaterThan(candle.close))
      problems.push(`${at}: low too high`);
    if (!candle.low.greaterThan(0)) problems.push(`${at}: low not positive`);
    if (!Number.isSafeInteger(candle.volume) || candle.volume <= 0)
      problems.push(`${at}: bad volume ${candle.volume}`);
  }
  expect(problems).toEqual([]);
}

/** KST wall-clock minutes after midnight of a UTC instant. */
function kstMinuteOfDay(date: Date): number {
  const kst = new Date(date.getTime() + 9 * HOUR);
  return kst.getUTCHours() * 60 + kst.getUTCMinutes();
}

function kstWeekday(date: Date): number {
  return new Date(date.getTime() + 9 * HOUR).getUTCDay();
}

function groupByKstDate(candles: Candle[]): Map<string, Candle[]> {
  const groups = new Map<string, Candle[]>();
  for (const candle of candles) {
    const key = new Date(candle.timestamp.getTime() + 9 * HOUR).toISOString().slice(0, 10);
    groups.set(key, [...(groups.get(key) ?? []), candle]);
  }
  return groups;
}

const SPAN_BY_TIMEFRAME: Record<Timeframe, [string, string]> = {
  '1m': ['2024-03-04T00:00:00Z', '2024-03-06T23:59:59Z'],
  '5m': ['2024-03-04T00:00:00Z', '2024-03-10T00:00:00Z'],
  '15m': ['2024-03-04T00:00:00Z', '2024-03-17T00:00:00Z'],
  '30m': ['2024-03-01T00:00:00Z', '2024-03-31T00:00:00Z'],
  '60m': ['2024-03-01T00:00:00Z', '2024-03-31T00:00:00Z'],
  '1d': ['2024-01-01T00:00:00Z', '2024-06-30T00:00:00Z'],
  '1w': ['2023-01-01T00:00:00Z', '2024-12-31T00:00:00Z'],
};

describe('MockBrokerGateway candles', () => {
  const gateway = new MockBrokerGateway();

  describe('validity across every timeframe', () => {
    // One symbol from each KRX tick band, both markets.
    const symbols = ['001510', '003530', '010140', '034220', '035720', '005930', '247540', '207940'];
    const cases = TIMEFRAMES.flatMap((timeframe) => symbols.map((symbol) => [timeframe, symbol] as const));

    it.each(cases)('%s bars of %s are valid OHLCV on the KRX tick grid', async (timeframe, symbol) => {
      const [start, end] = SPAN_BY_TIMEFRAME[timeframe].map(utc);
      const candles = await gateway.getCandles(symbol, timeframe, start, end);
      expect(candles.length).toBeGreaterThan(0);
      expectValidCandles(candles, symbol, timeframe, start, end);
    });

    it('holds for random symbols, timeframes and ranges (property)', async () => {
      const codes = MOCK_SYMBOL_CATALOG.map((profile) => profile.code);
      const startMin = utc('1995-01-01T00:00:00Z').getTime();
      const startMax = utc('2035-01-01T00:00:00Z').getTime();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...codes),
          fc.constantFrom(...TIMEFRAMES),
          fc.integer({ min: startMin, max: startMax }),
          fc.integer({ min: 0, max: 40 }),
          async (symbol, timeframe, startMs, spanUnits) => {
            const start = new Date(startMs);
            // Span scaled to the timeframe keeps every run to at most a few thousand bars.
            const end = new Date(
              startMs + spanUnits * timeframeDurationMs(timeframe) * (timeframe.endsWith('m') ? 20 : 1),
            );
            const candles = await gateway.getCandles(symbol, timeframe, start, end);
            expectValidCandles(candles, symbol, timeframe, start, end);
          },
        ),
        { numRuns: 60, seed: 20240102 },
      );
    });
  });

  describe('KRX session rules', () => {
    const start = utc('2024-03-01T00:00:00Z'); // Friday
    const end = utc('2024-03-17T23:59:59Z'); // Sunday

    it.each([
      ['1m', 390],
      ['5m', 78],
      ['15m', 26],
      ['30m', 13],
      ['60m', 7],
    ] as const)(
      '%s: %d bars per trading day, all inside 09:00-15:30 KST on weekdays',
      async (timeframe, perDay) => {
        const candles = await gateway.getCandles('005930', timeframe, start, end);
        const barMinutes = timeframeDurationMs(timeframe) / 60_000;
        const outside = candles.filter((candle) => {
          const minute = kstMinuteOfDay(candle.timestamp);
          const weekday = kstWeekday(candle.timestamp);
          return (
            minute < 9 * 60 ||
            minute >= 15 * 60 + 30 ||
            (minute - 9 * 60) % barMinutes !== 0 ||
            weekday === 0 ||
            weekday === 6
          );
        });
        expect(outside).toEqual([]);
        const days = groupByKstDate(candles);
        expect([...days.keys()]).toEqual([
          '2024-03-01',
          '2024-03-04',
          '2024-03-05',
          '2024-03-06',
          '2024-03-07',
          '2024-03-08',
          '2024-03-11',
          '2024-03-12',
          '2024-03-13',
          '2024-03-14',
          '2024-03-15',
        ]);
        for (const dayCandles of days.values()) {
          expect(dayCandles).toHaveLength(perDay);
        }
      },
    );

    it('stamps daily bars at the session open (00:00 UTC) of each weekday', async () => {
      const candles = await gateway.getCandles('005930', '1d', start, end);
      expect(candles).toHaveLength(11);
      for (const candle of candles) {
        expect(candle.timestamp.getUTCHours()).toBe(0);
        expect(candle.timestamp.getUTCMinutes()).toBe(0);
        expect([0, 6]).not.toContain(candle.timestamp.getUTCDay());
      }
    });

    it('stamps weekly bars at the Monday open', async () => {
      const candles = await gateway.getCandles(
        '005930',
        '1w',
        utc('2024-01-01T00:00:00Z'),
        utc('2024-03-31T00:00:00Z'),
      );
      expect(candles).toHaveLength(13);
      for (const candle of candles) {
        expect(candle.timestamp.getUTCDay()).toBe(1);
        expect(candle.timestamp.getUTCHours()).toBe(0);
      }
    });

    it('returns nothing for a weekend or for the hours outside the session', async () => {
      expect(
        await gateway.getCandles('005930', '1m', utc('2024-03-02T00:00:00Z'), utc('2024-03-03T23:59:59Z')),
      ).toEqual([]);
      expect(
        await gateway.getCandles('005930', '1d', utc('2024-03-02T00:00:00Z'), utc('2024-03-03T23:59:59Z')),
      ).toEqual([]);
      // 15:30-23:59 KST on a Monday
      expect(
        await gateway.getCandles('005930', '5m', utc('2024-03-04T06:30:00Z'), utc('2024-03-04T14:59:59Z')),
      ).toEqual([]);
    });

    it('skips configured holidays, and starts the week on its first trading day', async () => {
      const withHolidays = new MockBrokerGateway({ holidays: ['2024-02-09', '2024-02-12'] });
      const days = await withHolidays.getCandles(
        '005930',
        '1d',
        utc('2024-02-05T00:00:00Z'),
        utc('2024-02-16T00:00:00Z'),
      );
      expect(days.map((c) => c.timestamp.toISOString().slice(0, 10))).toEqual([
        '2024-02-05',
        '2024-02-06',
        '2024-02-07',
        '2024-02-08',
        '2024-02-13',
        '2024-02-14',
        '2024-02-15',
        '2024-02-16',
      ]);
      const minutes = await withHolidays.getCandles(
        '005930',
        '1m',
        utc('2024-02-09T00:00:00Z'),
        utc('2024-02-12T23:00:00Z'),
      );
      expect(minutes).toEqual([]);
      const weeks = await withHolidays.getCandles(
        '005930',
        '1w',
        utc('2024-02-12T00:00:00Z'),
        utc('2024-02-16T00:00:00Z'),
      );
      expect(weeks.map((c) => c.timestamp.toISOString())).toEqual(['2024-02-13T00:00:00.000Z']);
    });

    it('treats the range as inclusive at both ends', async () => {
      const bar = utc('2024-03-04T01:05:00Z');
      expect(await gateway.getCandles('005930', '5m', bar, bar)).toHaveLength(1);
      expect(
        await gateway.getCandles(
          '005930',
          '5m',
          new Date(bar.getTime() + 1),
          new Date(bar.getTime() + 299_999),
        ),
      ).toEqual([]);
      const within = await gateway.getCandles(
        '005930',
        '60m',
        utc('2024-03-04T00:30:00Z'),
        utc('2024-03-04T06:00:00Z'),
      );
      expect(within.map((c) => c.timestamp.toISOString().slice(11, 16))).toEqual([
        '01:00',
        '02:00',
        '03:00',
        '04:00',
        '05:00',
        '06:00',
      ]);
    });
  });

  describe('consistency between timeframes', () => {
    const day = ['2024-03-05T00:00:00Z', '2024-03-05T06:29:00Z'].map(utc);

    function aggregate(candles: Candle[]) {
      return {
        open: candles[0].open.toFixed(),
        high: candles.reduce((max, c) => (c.high.greaterThan(max) ? c.high : max), candles[0].high).toFixed(),
        low: candles.reduce((min, c) => (c.low.lessThan(min) ? c.low : min), candles[0].low).toFixed(),
        close: candles[candles.length - 1].close.toFixed(),
        volume: candles.reduce((sum, c) => sum + c.volume, 0),
      };
    }

    function ohlcv(candle: Candle) {
      const { open, high, low, close, volume } = candle.toJSON();
      return { open, high, low, close, volume };
    }

    it('builds every intraday and daily bar from the 1m bars', async () => {
      const minutes = await gateway.getCandles('000660', '1m', day[0], day[1]);
      for (const timeframe of ['5m', '15m', '30m', '60m'] as const) {
        const bars = await gateway.getCandles('000660', timeframe, day[0], day[1]);
        const size = timeframeDurationMs(timeframe) / 60_000;
        bars.forEach((bar, index) => {
          expect(ohlcv(bar)).toEqual(aggregate(minutes.slice(index * size, (index + 1) * size)));
        });
      }
      const [daily] = await gateway.getCandles('000660', '1d', day[0], day[0]);
      expect(ohlcv(daily)).toEqual(aggregate(minutes));
    });

    it('builds weekly bars from the daily bars', async () => {
      const dailies = await gateway.getCandles(
        '068270',
        '1d',
        utc('2024-03-04T00:00:00Z'),
        utc('2024-03-08T00:00:00Z'),
      );
      const [weekly] = await gateway.getCandles(
        '068270',
        '1w',
        utc('2024-03-04T00:00:00Z'),
        utc('2024-03-04T00:00:00Z'),
      );
      expect(dailies).toHaveLength(5);
      expect(ohlcv(weekly)).toEqual(aggregate(dailies));
    });

    it('chains 1m bars: each bar opens at the previous close within a session', async () => {
      const minutes = await gateway.getCandles('035420', '1m', day[0], day[1]);
      const breaks = minutes.filter((bar, index) => index > 0 && !bar.open.equals(minutes[index - 1].close));
      expect(breaks).toEqual([]);
    });
  });

  describe('determinism', () => {
    const week = ['2024-04-08T00:00:00Z', '2024-04-12T23:59:59Z'].map(utc);
    const month = ['2024-04-01T00:00:00Z', '2024-04-30T23:59:59Z'].map(utc);

    it('gives the same candles for the same seed, in another instance', async () => {
      const other = new MockBrokerGateway({ seed: 42 });
      for (const timeframe of TIMEFRAMES) {
        const a = await gateway.getCandles('005930', timeframe, month[0], month[1]);
        const b = await other.getCandles('005930', timeframe, month[0], month[1]);
        expect(b.map((c) => c.toJSON())).toEqual(a.map((c) => c.toJSON()));
      }
    });

    it('gives different candles for a different seed', async () => {
      const a = await gateway.getCandles('005930', '1d', month[0], month[1]);
      const b = await new MockBrokerGateway({ seed: 7 }).getCandles('005930', '1d', month[0], month[1]);
      expect(b.map((c) => c.toJSON())).not.toEqual(a.map((c) => c.toJSON()));
    });

    it('agrees on overlapping ranges, whatever was asked before', async () => {
      for (const timeframe of TIMEFRAMES) {
        const fresh = new MockBrokerGateway();
        const inWeek = await fresh.getCandles('000270', timeframe, week[0], week[1]);
        const inMonth = await new MockBrokerGateway().getCandles('000270', timeframe, month[0], month[1]);
        const overlap = inMonth.filter((c) => c.timestamp >= week[0] && c.timestamp <= week[1]);
        expect(inWeek.map((c) => c.toJSON())).toEqual(overlap.map((c) => c.toJSON()));
      }
    });

    it('agrees when a range starts in the middle of a session', async () => {
      const full = await gateway.getCandles(
        '005380',
        '1m',
        utc('2024-04-08T00:00:00Z'),
        utc('2024-04-08T06:30:00Z'),
      );
      const tail = await gateway.getCandles(
        '005380',
        '1m',
        utc('2024-04-08T03:17:30Z'),
        utc('2024-04-08T06:30:00Z'),
      );
      expect(tail[0].timestamp.toISOString()).toBe('2024-04-08T03:18:00.000Z');
      expect(tail.map((c) => c.toJSON())).toEqual(
        full.slice(full.length - tail.length).map((c) => c.toJSON()),
      );
    });

    it('differs between symbols', async () => {
      const a = await gateway.getCandles('105560', '1d', month[0], month[1]);
      const b = await gateway.getCandles('055550', '1d', month[0], month[1]);
      expect(a.map((c) => c.close.toFixed())).not.toEqual(b.map((c) => c.close.toFixed()));
    });
  });

  describe('volume of data', () => {
    it('generates more than 10,000 1m candles for about 26 trading days', async () => {
      const candles = await gateway.getCandles(
        '005930',
        '1m',
        utc('2024-05-01T00:00:00Z'),
        utc('2024-06-05T23:59:59Z'),
      );
      expect(candles.length).toBeGreaterThanOrEqual(10_000);
      expect(candles.length % 390).toBe(0);
      expectValidCandles(
        candles.filter((_, index) => index % 97 === 0),
        '005930',
        '1m',
        candles[0].timestamp,
        candles[candles.length - 1].timestamp,
      );
    });

    it(`refuses a request for more than ${MAX_CANDLES_PER_REQUEST} candles before generating any`, async () => {
      await expect(
        gateway.getCandles('005930', '1m', utc('2020-01-01T00:00:00Z'), utc('2022-12-31T00:00:00Z')),
      ).rejects.toThrow(InvalidArgumentError);
      await expect(gateway.getCandles('005930', '1m', new Date(-8.64e15), new Date(8.64e15))).rejects.toThrow(
        /200000/,
      );
    });

    it('keeps prices in a realistic band around the base level for decades', async () => {
      const weeks = await gateway.getCandles(
        '005930',
        '1w',
        utc('2000-01-01T00:00:00Z'),
        utc('2009-12-31T00:00:00Z'),
      );
      expect(weeks.length).toBeGreaterThan(500);
      const extreme = weeks.filter(
        (week) => week.low.toNumber() <= 73_000 * 0.6 || week.high.toNumber() >= 73_000 * 1.4,
      );
      expect(extreme).toEqual([]);
    });
  });

  describe('argument errors', () => {
    const start = utc('2024-01-02T00:00:00Z');
    const end = utc('2024-01-03T00:00:00Z');

    it('rejects start after end', async () => {
      await expect(gateway.getCandles('005930', '1d', end, start)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'start',
      });
    });

    it('rejects an unknown timeframe', async () => {
      await expect(gateway.getCandles('005930', '2h' as Timeframe, start, end)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'timeframe',
      });
    });

    it('rejects invalid dates', async () => {
      await expect(gateway.getCandles('005930', '1d', new Date(Number.NaN), end)).rejects.toMatchObject({
        field: 'start',
      });
      await expect(gateway.getCandles('005930', '1d', start, 'x' as unknown as Date)).rejects.toMatchObject({
        field: 'end',
      });
    });

    it('rejects an unknown symbol with SymbolNotFoundError', async () => {
      await expect(gateway.getCandles('999999', '1d', start, end)).rejects.toThrow(SymbolNotFoundError);
      await expect(gateway.getQuote('999999')).rejects.toThrow(SymbolNotFoundError);
    });
  });

  describe('streamCandles', () => {
    const start = utc('2024-03-04T00:00:00Z');
    const end = utc('2024-03-08T23:59:59Z');

    it('yields exactly the candles of getCandles, lazily', async () => {
      const expected = await gateway.getCandles('005930', '5m', start, end);
      const streamed: Candle[] = [];
      for await (const candle of gateway.streamCandles('005930', '5m', start, end)) {
        streamed.push(candle);
      }
      expect(streamed.map((c) => c.toJSON())).toEqual(expected.map((c) => c.toJSON()));
    });

    it('stops when the signal aborts', async () => {
      const controller = new AbortController();
      const streamed: Candle[] = [];
      for await (const candle of gateway.streamCandles('005930', '1m', start, end, {
        signal: controller.signal,
      })) {
        streamed.push(candle);
        if (streamed.length === 10) {
          controller.abort();
        }
      }
      expect(streamed).toHaveLength(10);
    });

    it('reports argument errors on the first iteration', async () => {
      const iterator = gateway.streamCandles('999999', '1d', start, end)[Symbol.asyncIterator]();
      await expect(iterator.next()).rejects.toThrow(SymbolNotFoundError);
    });
  });

  describe('symbols', () => {
    it('lists at least 20 real KRX listings on both markets', async () => {
      const symbols = await gateway.getSymbols();
      expect(symbols.length).toBeGreaterThanOrEqual(20);
      expect(new Set(symbols.map((s) => s.code)).size).toBe(symbols.length);
      expect(symbols.every((s) => s instanceof StockSymbol)).toBe(true);
      const byCode = new Map(symbols.map((s) => [s.code, s]));
      expect(byCode.get('005930')).toMatchObject({
        name: '삼성전자',
        market: Market.KOSPI,
        englishName: 'Samsung Electronics',
      });
      expect(byCode.get('000660')).toMatchObject({ name: 'SK하이닉스', market: Market.KOSPI });
      expect(byCode.get('247540')).toMatchObject({ name: '에코프로비엠', market: Market.KOSDAQ });
      expect(byCode.get('086520')).toMatchObject({ name: '에코프로', market: Market.KOSDAQ });
      expect(symbols.filter((s) => s.market === Market.KOSDAQ).length).toBeGreaterThanOrEqual(2);
    });

    it('simulates caller-supplied symbols too', async () => {
      const custom = new StockSymbol({ code: '0072R0', name: '테스트종목', market: Market.KOSDAQ });
      const mock = new MockBrokerGateway({ symbols: [custom] });
      expect((await mock.getSymbols()).map((s) => s.code)).toEqual(['0072R0']);
      const start = utc('2024-03-04T00:00:00Z');
      const end = utc('2024-03-04T06:30:00Z');
      expectValidCandles(await mock.getCandles('0072R0', '1m', start, end), '0072R0', '1m', start, end);
      await expect(mock.getCandles('005930', '1d', start, end)).rejects.toThrow(SymbolNotFoundError);
    });
  });

  it('uses the KST session calendar it exposes', () => {
    expect(gateway.calendar).toBeInstanceOf(KrxCalendar);
    expect(gateway.calendar.isTradingDay('2024-03-04')).toBe(true);
    expect(DAY).toBe(86_400_000);
  });
});
