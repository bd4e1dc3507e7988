import { InvalidArgumentError } from '../errors/broker-errors';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Korea Standard Time is UTC+9 all year (no daylight saving). */
export const KST_OFFSET_MS = 9 * 60 * MINUTE_MS;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface KrxCalendarOptions {
  /** Exchange holidays as KST dates 'YYYY-MM-DD' (weekends are closed anyway). */
  holidays?: Iterable<string>;
}

/**
 * The KRX regular session: 09:00-15:30 KST (00:00-06:30 UTC) on weekdays that are not holidays.
 *
 * Days are identified by "KST day numbers": whole days since 1970-01-01 of the KST calendar date, so
 * a day number is timezone-proof and cheap to step. Because the session lies entirely within one UTC
 * date (its KST date), session open is exactly 00:00 UTC of that date.
 *
 * Not modelled: the shortened or shifted sessions KRX announces for special days (the first trading
 * day of the year opening at 10:00, the college entrance exam day), pre/post-market and auction phases.
 */
export class KrxCalendar {
  /** Session open, in minutes after KST midnight (09:00). */
  static readonly SESSION_OPEN_MINUTE = 9 * 60;
  /** Session close, in minutes after KST midnight (15:30). */
  static readonly SESSION_CLOSE_MINUTE = 15 * 60 + 30;
  /** Length of the regular session in minutes (390). */
  static readonly SESSION_MINUTES = KrxCalendar.SESSION_CLOSE_MINUTE - KrxCalendar.SESSION_OPEN_MINUTE;

  private readonly holidays: ReadonlySet<number>;

  constructor(options: KrxCalendarOptions = {}) {
    const holidays = new Set<number>();
    for (const date of options.holidays ?? []) {
      holidays.add(KrxCalendar.parseKstDate(date, 'holidays'));
    }
    this.holidays = holidays;
  }

  /** KST day number of a 'YYYY-MM-DD' date; throws InvalidArgumentError naming `field` when malformed. */
  static parseKstDate(date: string, field = 'date'): number {
    const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
    if (match === null) {
      throw new InvalidArgumentError(`${field} must contain dates as 'YYYY-MM-DD'`, { field });
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const utc = Date.UTC(year, month - 1, day);
    const check = new Date(utc);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new InvalidArgumentError(`${field} contains an impossible date '${date}'`, { field });
    }
    return utc / DAY_MS;
  }

  /** 'YYYY-MM-DD' of a KST day number. */
  static formatKstDay(kstDay: number): string {
    return new Date(kstDay * DAY_MS).toISOString().slice(0, 10);
  }

  /** KST day number of an instant (the KST calendar date it falls on). */
  static kstDayOf(instant: Date | number): number {
    const ms = typeof instant === 'number' ? instant : instant.getTime();
    return Math.floor((ms + KST_OFFSET_MS) / DAY_MS);
  }

  /** 0 = Sunday ... 6 = Saturday. */
  static dayOfWeek(kstDay: number): number {
    // 1970-01-01 was a Thursday.
    return (((kstDay + 4) % 7) + 7) % 7;
  }

  /** KST day number of the Monday of the week containing the day. */
  static mondayOf(kstDay: number): number {
    return kstDay - ((KrxCalendar.dayOfWeek(kstDay) + 6) % 7);
  }

  /** UTC epoch ms of 09:00 KST on the day. */
  static sessionOpenMs(kstDay: number): number {
    return kstDay * DAY_MS - KST_OFFSET_MS + KrxCalendar.SESSION_OPEN_MINUTE * MINUTE_MS;
  }

  /** UTC epoch ms of 15:30 KST on the day. */
  static sessionCloseMs(kstDay: number): number {
    return kstDay * DAY_MS - KST_OFFSET_MS + KrxCalendar.SESSION_CLOSE_MINUTE * MINUTE_MS;
  }

  /** 'YYYY-MM-DD' KST date of an instant. */
  kstDateOf(instant: Date): string {
    return KrxCalendar.formatKstDay(KrxCalendar.kstDayOf(instant));
  }

  isHoliday(day: string | number): boolean {
    return this.holidays.has(this.toDay(day));
  }

  isWeekend(day: string | number): boolean {
    const dow = KrxCalendar.dayOfWeek(this.toDay(day));
    return dow === 0 || dow === 6;
  }

  /** A weekday that is not a holiday. A Date is judged by its KST date. */
  isTradingDay(day: string | number | Date): boolean {
    const kstDay = day instanceof Date ? KrxCalendar.kstDayOf(day) : this.toDay(day);
    const dow = KrxCalendar.dayOfWeek(kstDay);
    return dow !== 0 && dow !== 6 && !this.holidays.has(kstDay);
  }

  /** 09:00 KST of the day as a Date. */
  sessionOpen(day: string | number): Date {
    return new Date(KrxCalendar.sessionOpenMs(this.toDay(day)));
  }

  /** 15:30 KST of the day as a Date. */
  sessionClose(day: string | number): Date {
    return new Date(KrxCalendar.sessionCloseMs(this.toDay(day)));
  }

  /** True when the instant lies in a regular session: open inclusive, close exclusive. */
  isWithinSession(instant: Date | number): boolean {
    const ms = typeof instant === 'number' ? instant : instant.getTime();
    const kstDay = KrxCalendar.kstDayOf(ms);
    return (
      this.isTradingDay(kstDay) &&
      ms >= KrxCalendar.sessionOpenMs(kstDay) &&
      ms < KrxCalendar.sessionCloseMs(kstDay)
    );
  }

  /** The first trading day after the given day. */
  nextTradingDay(day: string | number): number {
    return this.stepToTradingDay(this.toDay(day), 1);
  }

  /** The last trading day before the given day. */
  previousTradingDay(day: string | number): number {
    return this.stepToTradingDay(this.toDay(day), -1);
  }

  /**
   * The trading day whose session most recently started at or before the instant (today once 09:00 KST
   * has passed on a trading day, otherwise the previous trading day).
   */
  latestSessionDay(instant: Date | number): number {
    const ms = typeof instant === 'number' ? instant : instant.getTime();
    const kstDay = KrxCalendar.kstDayOf(ms);
    if (this.isTradingDay(kstDay) && ms >= KrxCalendar.sessionOpenMs(kstDay)) {
      return kstDay;
    }
    return this.previousTradingDay(kstDay);
  }

  /** The first trading day of the day's Monday-to-Friday week, or undefined when the whole week is closed. */
  firstTradingDayOfWeek(day: string | number): number | undefined {
    const monday = KrxCalendar.mondayOf(this.toDay(day));
    for (let offset = 0; offset < 5; offset += 1) {
      if (!this.holidays.has(monday + offset)) {
        return monday + offset;
      }
    }
    return undefined;
  }

  /** Trading days of the day's week, in order. */
  tradingDaysOfWeek(day: string | number): number[] {
    const monday = KrxCalendar.mondayOf(this.toDay(day));
    const days: number[] = [];
    for (let offset = 0; offset < 5; offset += 1) {
      if (!this.holidays.has(monday + offset)) {
        days.push(monday + offset);
      }
    }
    return days;
  }

  /** Trading days (as 'YYYY-MM-DD') whose KST date lies between the KST dates of start and end, inclusive. */
  tradingDaysBetween(start: Date, end: Date): string[] {
    const days: string[] = [];
    const last = KrxCalendar.kstDayOf(end);
    for (let day = KrxCalendar.kstDayOf(start); day <= last; day += 1) {
      if (this.isTradingDay(day)) {
        days.push(KrxCalendar.formatKstDay(day));
      }
    }
    return days;
  }

  /**
   * Start instants of the intraday bars of a trading day: 09:00, 09:00 + n, ... up to the last bar that
   * starts before 15:30 (the last 60m bar is the 30-minute 15:00 bar). Empty on a closed day.
   */
  intradayBarStarts(day: string | number, barMinutes: number): Date[] {
    const kstDay = this.toDay(day);
    if (!Number.isInteger(barMinutes) || barMinutes <= 0) {
      throw new InvalidArgumentError('barMinutes must be a positive integer', { field: 'barMinutes' });
    }
    if (!this.isTradingDay(kstDay)) {
      return [];
    }
    const open = KrxCalendar.sessionOpenMs(kstDay);
    const count = KrxCalendar.barsPerSession(barMinutes);
    return Array.from({ length: count }, (_, index) => new Date(open + index * barMinutes * MINUTE_MS));
  }

  /** Number of bars of `barMinutes` that start inside one session (390, 78, 26, 13, 7 for 1/5/15/30/60). */
  static barsPerSession(barMinutes: number): number {
    return Math.ceil(KrxCalendar.SESSION_MINUTES / barMinutes);
  }

  private toDay(day: string | number): number {
    if (typeof day === 'number') {
      if (!Number.isSafeInteger(day)) {
        throw new InvalidArgumentError('day must be an integer KST day number', { field: 'day' });
      }
      return day;
    }
    return KrxCalendar.parseKstDate(day, 'day');
  }

  private stepToTradingDay(from: number, direction: 1 | -1): number {
    // Every week has weekdays and holidays are finite, so this ends within holidays + 7 steps.
    let day = from + direction;
    while (!this.isTradingDay(day)) {
      day += direction;
    }
    return day;
  }
}
