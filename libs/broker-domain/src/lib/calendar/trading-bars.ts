import { isIntradayTimeframe, timeframeDurationMs, type Timeframe } from '../enums/timeframe';
import { KrxCalendar } from './krx-calendar';

const MINUTE_MS = 60_000;

/**
 * Where the bars of a timeframe start, as brokers stamp them: intraday bars every n minutes from the 09:00 KST open
 * (the last one starts before 15:30), daily bars at the open of each trading day, weekly bars at the open of the
 * week's first trading day. Counted on the calendar given (holidays it does not know count as trading days, so the
 * figures are upper bounds), never in calendar time: six months of 1m bars are about 48,000 bars, not 260,000.
 */
export class TradingBars {
  constructor(private readonly calendar: KrxCalendar = new KrxCalendar()) {}

  /** Bars of `timeframe` that start in [start, end]. */
  count(timeframe: Timeframe, start: Date, end: Date): number {
    let count = 0;
    this.forEachDay(timeframe, start.getTime(), end.getTime(), (first, last) => {
      count += last - first + 1;
      return true;
    });
    return count;
  }

  /**
   * The first `maxBars` bars of [start, end]: the start of the last of them (the end of a window holding exactly
   * those bars; `end` itself when fewer remain), and whether any bar starts after it, up to `end`.
   */
  window(timeframe: Timeframe, start: Date, end: Date, maxBars: number): { last: Date; more: boolean } {
    if (!Number.isSafeInteger(maxBars) || maxBars < 1) throw new RangeError(`maxBars must be a positive integer, got ${maxBars}`);
    const endMs = end.getTime();
    let remaining = maxBars;
    let lastMs: number | undefined;
    let more = false;
    this.forEachDay(timeframe, start.getTime(), endMs, (first, last, barStartMs) => {
      if (remaining === 0) {
        more = true;
        return false;
      }
      const taken = Math.min(remaining, last - first + 1);
      remaining -= taken;
      lastMs = barStartMs(first + taken - 1);
      if (taken < last - first + 1) {
        more = true;
        return false;
      }
      return true;
    });
    return { last: new Date(remaining === 0 && lastMs !== undefined ? lastMs : endMs), more };
  }

  /**
   * Calls `visit(first, last, barStartMs)` for each day (oldest first) with bars starting in [startMs, endMs]: the
   * indexes of its first and last such bar, and the start of bar n of that day. Stops when `visit` returns false.
   */
  private forEachDay(
    timeframe: Timeframe,
    startMs: number,
    endMs: number,
    visit: (first: number, last: number, barStartMs: (index: number) => number) => boolean,
  ): void {
    if (!(endMs >= startMs)) return;
    const firstDay = KrxCalendar.kstDayOf(startMs);
    const lastDay = KrxCalendar.kstDayOf(endMs);
    if (isIntradayTimeframe(timeframe)) {
      const barMs = timeframeDurationMs(timeframe);
      const lastIndex = KrxCalendar.barsPerSession(barMs / MINUTE_MS) - 1;
      for (let day = firstDay; day <= lastDay; day += 1) {
        if (!this.calendar.isTradingDay(day)) continue;
        const openMs = KrxCalendar.sessionOpenMs(day);
        const first = Math.max(0, Math.ceil((startMs - openMs) / barMs));
        const last = Math.min(lastIndex, Math.floor((endMs - openMs) / barMs));
        if (first <= last && !visit(first, last, (index) => openMs + index * barMs)) return;
      }
      return;
    }
    if (timeframe === '1d') {
      for (let day = firstDay; day <= lastDay; day += 1) {
        const openMs = KrxCalendar.sessionOpenMs(day);
        if (!this.calendar.isTradingDay(day) || openMs < startMs || openMs > endMs) continue;
        if (!visit(0, 0, () => openMs)) return;
      }
      return;
    }
    for (let monday = KrxCalendar.mondayOf(firstDay); monday <= lastDay; monday += 7) {
      const day = this.calendar.firstTradingDayOfWeek(monday);
      if (day === undefined) continue;
      const openMs = KrxCalendar.sessionOpenMs(day);
      if (openMs < startMs || openMs > endMs) continue;
      if (!visit(0, 0, () => openMs)) return;
    }
  }
}
