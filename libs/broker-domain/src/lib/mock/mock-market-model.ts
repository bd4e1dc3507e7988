import { KrxCalendar } from '../calendar/krx-calendar';
import { krxTickAboveOf, krxTickBelowOf, nearestKrxTickOf } from '../values/krx-tick-size';
import { BoundedCache } from './bounded-cache';
import { hashSeed, hashStep, hashString, unitFromHash } from './deterministic-hash';
import { MockPricePath } from './mock-price-path';

// Math's functions are bound once: inside a VM context (as under jest) every global lookup goes through
// an interceptor, which makes the per-minute loops an order of magnitude slower.
const { max, min, floor, round } = Math;

const MINUTE_MS = 60_000;
const SESSION_MINUTES = KrxCalendar.SESSION_MINUTES;

// Hash domain tags: one independent random stream per purpose (octaves use tags 1..8).
const TAG_WICK_HIGH = 101;
const TAG_WICK_LOW = 102;
const TAG_MINUTE_VOLUME = 103;
const TAG_DAY_VOLUME = 104;
const TAG_QUOTE_SIDE = 105;
const TAG_BID_SIZE = 106;
const TAG_ASK_SIZE = 107;

/** An OHLCV bar in whole won and shares; converted to a Candle entity at the edge. */
export interface RawBar {
  startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** What the market looks like at an instant, in whole won and shares. */
export interface RawQuote {
  price: number;
  open: number;
  high: number;
  low: number;
  previousClose: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  volume: number;
}

/** What the model needs to know about a symbol. */
export interface SimulatedSymbol {
  code: string;
  basePrice: number;
  averageDailyVolume: number;
}

/** The 390 one-minute bars of one session, column-wise (cheap to build, no per-bar objects). */
interface SessionMinutes {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

interface SymbolSeries {
  symbol: SimulatedSymbol;
  key: number;
  path: MockPricePath;
}

/**
 * The simulated KRX market: every bar derives from one deterministic one-minute series per symbol, so
 * 5m...60m bars and daily bars are exact aggregations of the 1m bars, weekly bars of the daily ones, and a
 * quote during the session lies inside the minute bar it belongs to. Outside the session quotes rest at
 * the last close, as on the exchange.
 */
export class MockMarketModel {
  private readonly series = new Map<string, SymbolSeries>();
  private readonly sessionCache = new BoundedCache<string, SessionMinutes>(256);
  private readonly dailyCache = new BoundedCache<string, RawBar>(50_000);

  constructor(
    private readonly seed: number,
    readonly calendar: KrxCalendar,
  ) {}

  /** One-minute bars of a session (bar index 0 = 09:00 KST). */
  sessionMinutes(symbol: SimulatedSymbol, kstDay: number): SessionMinutes {
    const cacheKey = `${symbol.code}:${kstDay}`;
    const cached = this.sessionCache.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const series = this.seriesOf(symbol);
    const minutes = this.buildSessionMinutes(series, kstDay);
    this.sessionCache.set(cacheKey, minutes);
    return minutes;
  }

  /** Intraday bars of `barMinutes` for bar indexes first..last of a trading day. */
  intradayBars(
    symbol: SimulatedSymbol,
    kstDay: number,
    barMinutes: number,
    first: number,
    last: number,
  ): RawBar[] {
    const minutes = this.sessionMinutes(symbol, kstDay);
    const openMs = KrxCalendar.sessionOpenMs(kstDay);
    const bars: RawBar[] = [];
    for (let bar = first; bar <= last; bar += 1) {
      const from = bar * barMinutes;
      const to = min(SESSION_MINUTES, from + barMinutes);
      bars.push(aggregate(minutes, from, to, openMs + from * MINUTE_MS));
    }
    return bars;
  }

  /** The day's bar, stamped at the session open. */
  dailyBar(symbol: SimulatedSymbol, kstDay: number): RawBar {
    const cacheKey = `${symbol.code}:${kstDay}`;
    const cached = this.dailyCache.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const bar = aggregate(
      this.sessionMinutes(symbol, kstDay),
      0,
      SESSION_MINUTES,
      KrxCalendar.sessionOpenMs(kstDay),
    );
    this.dailyCache.set(cacheKey, bar);
    return bar;
  }

  /** The week's bar from its trading days, stamped at the first trading day's open; undefined if none. */
  weeklyBar(symbol: SimulatedSymbol, anyDayOfWeek: number): RawBar | undefined {
    const days = this.calendar.tradingDaysOfWeek(anyDayOfWeek);
    if (days.length === 0) {
      return undefined;
    }
    const dailies = days.map((day) => this.dailyBar(symbol, day));
    let high = 0;
    let low = Number.POSITIVE_INFINITY;
    let volume = 0;
    for (const daily of dailies) {
      high = max(high, daily.high);
      low = min(low, daily.low);
      volume += daily.volume;
    }
    return {
      startMs: dailies[0].startMs,
      open: dailies[0].open,
      high,
      low,
      close: dailies[dailies.length - 1].close,
      volume,
    };
  }

  /** The market at an instant: inside a session the live minute, otherwise the last session's close. */
  quoteAt(symbol: SimulatedSymbol, ms: number): RawQuote {
    const series = this.seriesOf(symbol);
    const day = this.calendar.latestSessionDay(ms);
    const previousClose = this.dailyBar(symbol, this.calendar.previousTradingDay(day)).close;
    const minutes = this.sessionMinutes(symbol, day);
    const openMs = KrxCalendar.sessionOpenMs(day);
    const minuteIndex = floor((ms - openMs) / MINUTE_MS);

    if (minuteIndex >= SESSION_MINUTES) {
      const daily = this.dailyBar(symbol, day);
      // The book stays put while the market is closed: one draw per day, not per second.
      return this.withBook(series, { ...daily, price: daily.close, previousClose }, day);
    }

    const barStart = openMs + minuteIndex * MINUTE_MS;
    const fraction = (ms - barStart) / MINUTE_MS;
    const raw = series.path.priceAtMinute(MockPricePath.minuteOf(barStart) + fraction);
    const price = clamp(nearestKrxTickOf(raw), minutes.low[minuteIndex], minutes.high[minuteIndex]);
    const soFar =
      minuteIndex > 0
        ? aggregate(minutes, 0, minuteIndex, openMs)
        : { open: minutes.open[0], high: minutes.open[0], low: minutes.open[0], volume: 0 };
    return this.withBook(
      series,
      {
        price,
        open: minutes.open[0],
        high: max(soFar.high, minutes.open[minuteIndex], price),
        low: min(soFar.low, minutes.open[minuteIndex], price),
        previousClose,
        volume: soFar.volume + floor(minutes.volume[minuteIndex] * fraction),
      },
      floor(ms / 1000),
    );
  }

  private withBook(
    series: SymbolSeries,
    snapshot: Omit<RawQuote, 'bid' | 'ask' | 'bidSize' | 'askSize'>,
    drawIndex: number,
  ): RawQuote {
    const { price } = snapshot;
    const below = krxTickBelowOf(price);
    // The last trade sits on one side of a one-tick spread: bid < ask, bid <= price <= ask.
    const tradedAtBid = unit(series.key, TAG_QUOTE_SIDE, drawIndex) < 0.5 || below < 1;
    const bid = tradedAtBid ? price : below;
    const ask = tradedAtBid ? krxTickAboveOf(price) : price;
    const sizeScale = max(10, round(series.symbol.averageDailyVolume / 1_000));
    return {
      price: snapshot.price,
      open: snapshot.open,
      high: snapshot.high,
      low: snapshot.low,
      previousClose: snapshot.previousClose,
      volume: snapshot.volume,
      bid,
      ask,
      bidSize: 1 + floor(unit(series.key, TAG_BID_SIZE, drawIndex) * sizeScale),
      askSize: 1 + floor(unit(series.key, TAG_ASK_SIZE, drawIndex) * sizeScale),
    };
  }

  private seriesOf(symbol: SimulatedSymbol): SymbolSeries {
    let series = this.series.get(symbol.code);
    if (series === undefined) {
      const key = hashStep(hashSeed(this.seed), hashString(symbol.code));
      series = { symbol, key, path: new MockPricePath(key, symbol.basePrice) };
      this.series.set(symbol.code, series);
    }
    return series;
  }

  private buildSessionMinutes(series: SymbolSeries, kstDay: number): SessionMinutes {
    // Plain arrays of small integers: far cheaper to allocate than typed arrays, which matters when a
    // weekly query over years builds thousands of sessions.
    const minutes: SessionMinutes = {
      open: new Array<number>(SESSION_MINUTES).fill(0),
      high: new Array<number>(SESSION_MINUTES).fill(0),
      low: new Array<number>(SESSION_MINUTES).fill(0),
      close: new Array<number>(SESSION_MINUTES).fill(0),
      volume: new Array<number>(SESSION_MINUTES).fill(0),
    };
    const firstMinute = MockPricePath.minuteOf(KrxCalendar.sessionOpenMs(kstDay));
    // Busier days and the U-shaped intraday profile (heavy at the open and the close) of real volume.
    const dayFactor = 0.6 + 0.8 * unit(series.key, TAG_DAY_VOLUME, kstDay);
    const perMinute = (series.symbol.averageDailyVolume / SESSION_MINUTES) * dayFactor;
    const centre = (SESSION_MINUTES - 1) / 2;
    const wickHighKey = hashStep(series.key, TAG_WICK_HIGH);
    const wickLowKey = hashStep(series.key, TAG_WICK_LOW);
    const volumeKey = hashStep(series.key, TAG_MINUTE_VOLUME);

    let open = nearestKrxTickOf(series.path.priceAtMinute(firstMinute));
    for (let index = 0; index < SESSION_MINUTES; index += 1) {
      const minute = firstMinute + index;
      const close = nearestKrxTickOf(series.path.priceAtMinute(minute + 1));
      let high = max(open, close);
      let low = min(open, close);
      for (let step = wickTicks(draw(wickHighKey, minute)); step > 0; step -= 1) {
        high = krxTickAboveOf(high);
      }
      for (let step = wickTicks(draw(wickLowKey, minute)); step > 0; step -= 1) {
        const lower = krxTickBelowOf(low);
        if (lower >= 1) {
          low = lower;
        }
      }
      const distance = (index - centre) / centre;
      const shape = (0.6 + 2.4 * distance * distance) / 1.4;
      const noise = 0.4 + 1.2 * draw(volumeKey, minute);
      minutes.open[index] = open;
      minutes.high[index] = high;
      minutes.low[index] = low;
      minutes.close[index] = close;
      minutes.volume[index] = max(1, round(perMinute * shape * noise));
      open = close;
    }
    return minutes;
  }
}

function aggregate(minutes: SessionMinutes, from: number, to: number, startMs: number): RawBar {
  let high = minutes.high[from];
  let low = minutes.low[from];
  let volume = 0;
  for (let index = from; index < to; index += 1) {
    high = max(high, minutes.high[index]);
    low = min(low, minutes.low[index]);
    volume += minutes.volume[index];
  }
  return { startMs, open: minutes.open[from], high, low, close: minutes.close[to - 1], volume };
}

/** 0 extra ticks most of the time, 1 often, 2 rarely. */
function wickTicks(draw: number): number {
  return floor(draw * draw * 3);
}

function unit(key: number, tag: number, index: number): number {
  return draw(hashStep(key, tag), index);
}

/** Uniform [0, 1) draw at an index of a stream whose (seed, symbol, purpose) state is precomputed. */
function draw(streamKey: number, index: number): number {
  return unitFromHash(hashStep(streamKey, index));
}

function clamp(value: number, lower: number, upper: number): number {
  return min(upper, max(lower, value));
}
