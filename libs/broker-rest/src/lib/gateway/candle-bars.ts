import { Candle, Decimal, KrxCalendar, Timeframe, timeframeDurationMs } from '@qts/broker-domain';

/** One bar as a broker lists it, before it becomes a Candle. */
export interface BrokerBar {
  /** The bar's start. */
  startMs: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: number;
}

/**
 * One-minute bars combined into bars of `timeframe` (5m, 15m, 30m, 60m), aligned to the KRX session open
 * (09:00 KST) like every other source of the platform: a bar holds the minutes of [open + k x N, open +
 * (k + 1) x N). KIS serves only one-minute bars in the past.
 */
export function aggregateMinuteBars(minuteBars: readonly BrokerBar[], timeframe: Timeframe): BrokerBar[] {
  const barMs = timeframeDurationMs(timeframe);
  const sorted = [...minuteBars].sort((a, b) => a.startMs - b.startMs);
  const bars: BrokerBar[] = [];
  for (const minute of sorted) {
    const day = KrxCalendar.kstDayOf(minute.startMs);
    const open = KrxCalendar.sessionOpenMs(day);
    const startMs = open + Math.floor((minute.startMs - open) / barMs) * barMs;
    const last = bars[bars.length - 1];
    if (last !== undefined && last.startMs === startMs) {
      last.high = Decimal.max(last.high, minute.high);
      last.low = Decimal.min(last.low, minute.low);
      last.close = minute.close;
      last.volume += minute.volume;
    } else {
      bars.push({ ...minute, startMs });
    }
  }
  return bars;
}

/**
 * The Candles of `bars` whose start lies in [start, end], oldest first, one per start (brokers repeat a
 * bar on the edge of two pages).
 */
export function candlesInRange(
  symbol: string,
  timeframe: Timeframe,
  bars: readonly BrokerBar[],
  start: Date,
  end: Date,
): Candle[] {
  const byStart = new Map<number, BrokerBar>();
  for (const bar of bars) {
    if (bar.startMs >= start.getTime() && bar.startMs <= end.getTime()) {
      byStart.set(bar.startMs, bar);
    }
  }
  return [...byStart.values()]
    .sort((a, b) => a.startMs - b.startMs)
    .map(
      (bar) =>
        new Candle({
          symbol,
          timeframe,
          timestamp: new Date(bar.startMs),
          open: bar.open,
          high: Decimal.max(bar.high, bar.open, bar.close),
          low: Decimal.min(bar.low, bar.open, bar.close),
          close: bar.close,
          volume: bar.volume,
        }),
    );
}

/** The session open (09:00 KST) of a KST date written YYYYMMDD: the start of a daily bar. */
export function sessionOpenOfDate(date: string): number | undefined {
  if (!/^\d{8}$/.test(date)) {
    return undefined;
  }
  const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) / 86_400_000;
  return Number.isInteger(day) ? KrxCalendar.sessionOpenMs(day) : undefined;
}

/** The session open of the Monday of the week of a KST date: the start of a weekly bar. */
export function weekOpenOfDate(date: string): number | undefined {
  const open = sessionOpenOfDate(date);
  return open === undefined ? undefined : KrxCalendar.sessionOpenMs(KrxCalendar.mondayOf(KrxCalendar.kstDayOf(open)));
}

/** The KST dates (YYYYMMDD) of the weekdays from `start` to `end`, oldest first. */
export function weekdaysBetween(start: Date, end: Date): string[] {
  const days: string[] = [];
  for (let day = KrxCalendar.kstDayOf(start); day <= KrxCalendar.kstDayOf(end); day += 1) {
    const weekday = KrxCalendar.dayOfWeek(day);
    if (weekday !== 0 && weekday !== 6) {
      days.push(KrxCalendar.formatKstDay(day).replace(/-/g, ''));
    }
  }
  return days;
}

