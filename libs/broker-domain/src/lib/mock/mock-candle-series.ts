import { Decimal } from 'decimal.js';
import { KrxCalendar } from '../calendar/krx-calendar';
import { Candle } from '../entities/candle';
import { isTimeframe, Timeframe } from '../enums/timeframe';
import { InvalidArgumentError } from '../errors/broker-errors';
import { MockMarketModel, RawBar, SimulatedSymbol } from './mock-market-model';

/** Largest number of candles one request may return. */
export const MAX_CANDLES_PER_REQUEST = 200_000;

const MINUTE_MS = 60_000;

const INTRADAY_MINUTES: Readonly<Partial<Record<Timeframe, number>>> = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '60m': 60,
};

/** Bars to produce for one trading day (intraday: bar indexes; 1d/1w: the single bar of the day/week). */
interface DaySegment {
  day: number;
  first: number;
  last: number;
}

/** A validated candle request, counted before anything is generated. */
export interface CandleQueryPlan {
  symbol: SimulatedSymbol;
  timeframe: Timeframe;
  segments: DaySegment[];
  count: number;
}

/**
 * Turns a candle request into the exact list of bars it covers (bars whose start lies in [start, end])
 * and produces them lazily. Counting first lets an over-large request fail before any work is done.
 */
export class MockCandleSeries {
  constructor(
    private readonly model: MockMarketModel,
    private readonly calendar: KrxCalendar,
  ) {}

  plan(symbol: SimulatedSymbol, timeframe: string, start: Date, end: Date): CandleQueryPlan {
    if (typeof timeframe !== 'string' || !isTimeframe(timeframe)) {
      throw new InvalidArgumentError(`timeframe must be one of 1m, 5m, 15m, 30m, 60m, 1d, 1w`, {
        field: 'timeframe',
      });
    }
    const startMs = validInstant(start, 'start');
    const endMs = validInstant(end, 'end');
    if (startMs > endMs) {
      throw new InvalidArgumentError('start must not be after end', { field: 'start' });
    }
    const segments: DaySegment[] = [];
    let count = 0;
    const add = (segment: DaySegment): void => {
      segments.push(segment);
      count += segment.last - segment.first + 1;
      if (count > MAX_CANDLES_PER_REQUEST) {
        throw new InvalidArgumentError(
          `the range covers more than ${MAX_CANDLES_PER_REQUEST} ${timeframe} candles; request a shorter range`,
          { field: 'end' },
        );
      }
    };
    const firstDay = KrxCalendar.kstDayOf(startMs);
    const lastDay = KrxCalendar.kstDayOf(endMs);
    const barMinutes = INTRADAY_MINUTES[timeframe];

    if (barMinutes !== undefined) {
      const barMs = barMinutes * MINUTE_MS;
      const lastIndex = KrxCalendar.barsPerSession(barMinutes) - 1;
      for (let day = firstDay; day <= lastDay; day += 1) {
        if (!this.calendar.isTradingDay(day)) {
          continue;
        }
        const openMs = KrxCalendar.sessionOpenMs(day);
        const first = Math.max(0, Math.ceil((startMs - openMs) / barMs));
        const last = Math.min(lastIndex, Math.floor((endMs - openMs) / barMs));
        if (first <= last) {
          add({ day, first, last });
        }
      }
    } else if (timeframe === '1d') {
      for (let day = firstDay; day <= lastDay; day += 1) {
        const openMs = KrxCalendar.sessionOpenMs(day);
        if (this.calendar.isTradingDay(day) && openMs >= startMs && openMs <= endMs) {
          add({ day, first: 0, last: 0 });
        }
      }
    } else {
      for (let monday = KrxCalendar.mondayOf(firstDay); monday <= lastDay; monday += 7) {
        const day = this.calendar.firstTradingDayOfWeek(monday);
        if (day === undefined) {
          continue;
        }
        const openMs = KrxCalendar.sessionOpenMs(day);
        if (openMs >= startMs && openMs <= endMs) {
          add({ day, first: 0, last: 0 });
        }
      }
    }
    return { symbol, timeframe, segments, count };
  }

  /** The planned candles, oldest first, one trading day at a time. */
  *candles(plan: CandleQueryPlan): Generator<Candle, void, undefined> {
    for (const segment of plan.segments) {
      for (const bar of this.barsOf(plan, segment)) {
        yield toCandle(plan.symbol.code, plan.timeframe, bar);
      }
    }
  }

  private barsOf(plan: CandleQueryPlan, segment: DaySegment): RawBar[] {
    const barMinutes = INTRADAY_MINUTES[plan.timeframe];
    if (barMinutes !== undefined) {
      return this.model.intradayBars(plan.symbol, segment.day, barMinutes, segment.first, segment.last);
    }
    if (plan.timeframe === '1d') {
      return [this.model.dailyBar(plan.symbol, segment.day)];
    }
    const weekly = this.model.weeklyBar(plan.symbol, segment.day);
    return weekly === undefined ? [] : [weekly];
  }
}

function validInstant(value: unknown, field: string): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(`${field} must be a valid Date`, { field });
  }
  return value.getTime();
}

function toCandle(symbol: string, timeframe: Timeframe, bar: RawBar): Candle {
  return new Candle({
    symbol,
    timeframe,
    timestamp: new Date(bar.startMs),
    open: new Decimal(bar.open),
    high: new Decimal(bar.high),
    low: new Decimal(bar.low),
    close: new Decimal(bar.close),
    volume: bar.volume,
  });
}
