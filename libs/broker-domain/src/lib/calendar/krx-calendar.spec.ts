import { InvalidArgumentError } from '../errors/broker-errors';
import { KrxCalendar, KST_OFFSET_MS } from './krx-calendar';

describe('KrxCalendar', () => {
  const calendar = new KrxCalendar({ holidays: ['2024-02-09', '2024-02-12'] });

  it('converts instants to KST dates (UTC+9, no daylight saving)', () => {
    expect(KST_OFFSET_MS).toBe(9 * 3_600_000);
    expect(calendar.kstDateOf(new Date('2024-01-01T14:59:59Z'))).toBe('2024-01-01');
    expect(calendar.kstDateOf(new Date('2024-01-01T15:00:00Z'))).toBe('2024-01-02');
    expect(calendar.kstDateOf(new Date('2023-12-31T16:00:00Z'))).toBe('2024-01-01');
    expect(calendar.kstDateOf(new Date('2024-07-01T00:00:00Z'))).toBe('2024-07-01');
  });

  it('round-trips day numbers and dates, including before 1970', () => {
    for (const date of ['1969-12-31', '1970-01-01', '2000-02-29', '2024-12-31']) {
      expect(KrxCalendar.formatKstDay(KrxCalendar.parseKstDate(date))).toBe(date);
    }
    expect(KrxCalendar.dayOfWeek(KrxCalendar.parseKstDate('1969-12-31'))).toBe(3);
  });

  it('trades on weekdays that are not holidays', () => {
    expect(calendar.isTradingDay('2024-01-05')).toBe(true); // Friday
    expect(calendar.isTradingDay('2024-01-06')).toBe(false); // Saturday
    expect(calendar.isTradingDay('2024-01-07')).toBe(false); // Sunday
    expect(calendar.isTradingDay('2024-02-09')).toBe(false); // configured holiday
    expect(calendar.isHoliday('2024-02-09')).toBe(true);
    expect(calendar.isWeekend('2024-02-09')).toBe(false);
    expect(calendar.isWeekend('2024-01-06')).toBe(true);
    // 2024-01-06 00:30 UTC is already Saturday in Korea
    expect(calendar.isTradingDay(new Date('2024-01-05T15:30:00Z'))).toBe(false);
    expect(calendar.isTradingDay(new Date('2024-01-05T14:30:00Z'))).toBe(true);
  });

  it('opens at 09:00 KST (00:00 UTC) and closes at 15:30 KST (06:30 UTC)', () => {
    expect(calendar.sessionOpen('2024-01-02').toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(calendar.sessionClose('2024-01-02').toISOString()).toBe('2024-01-02T06:30:00.000Z');
    expect(KrxCalendar.SESSION_MINUTES).toBe(390);
  });

  it('is in session from the open inclusive to the close exclusive, on trading days only', () => {
    expect(calendar.isWithinSession(new Date('2024-01-01T23:59:59.999Z'))).toBe(false);
    expect(calendar.isWithinSession(new Date('2024-01-02T00:00:00Z'))).toBe(true);
    expect(calendar.isWithinSession(new Date('2024-01-02T06:29:59.999Z'))).toBe(true);
    expect(calendar.isWithinSession(new Date('2024-01-02T06:30:00Z'))).toBe(false);
    expect(calendar.isWithinSession(new Date('2024-01-06T01:00:00Z'))).toBe(false);
    expect(calendar.isWithinSession(new Date('2024-02-09T01:00:00Z').getTime())).toBe(false);
  });

  it('steps to neighbouring trading days over weekends and holidays', () => {
    const format = KrxCalendar.formatKstDay;
    expect(format(calendar.nextTradingDay('2024-01-05'))).toBe('2024-01-08');
    expect(format(calendar.previousTradingDay('2024-01-08'))).toBe('2024-01-05');
    expect(format(calendar.nextTradingDay('2024-02-08'))).toBe('2024-02-13');
    expect(format(calendar.previousTradingDay('2024-02-13'))).toBe('2024-02-08');
  });

  it('knows the latest session that has started at an instant', () => {
    const format = KrxCalendar.formatKstDay;
    expect(format(calendar.latestSessionDay(new Date('2024-01-03T03:00:00Z')))).toBe('2024-01-03');
    expect(format(calendar.latestSessionDay(new Date('2024-01-03T08:00:00Z')))).toBe('2024-01-03');
    // 08:59 KST on Wednesday: Wednesday's session has not started yet
    expect(format(calendar.latestSessionDay(new Date('2024-01-02T23:59:00Z')))).toBe('2024-01-02');
    expect(format(calendar.latestSessionDay(new Date('2024-01-07T05:00:00Z')))).toBe('2024-01-05');
  });

  it('finds the first trading day of a week, skipping a Monday holiday', () => {
    const format = (day: number | undefined) =>
      day === undefined ? undefined : KrxCalendar.formatKstDay(day);
    expect(format(calendar.firstTradingDayOfWeek('2024-01-10'))).toBe('2024-01-08');
    expect(format(calendar.firstTradingDayOfWeek('2024-02-14'))).toBe('2024-02-13');
    expect(calendar.tradingDaysOfWeek('2024-02-07').map(KrxCalendar.formatKstDay)).toEqual([
      '2024-02-05',
      '2024-02-06',
      '2024-02-07',
      '2024-02-08',
    ]);
    const closedWeek = new KrxCalendar({
      holidays: ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'],
    });
    expect(closedWeek.firstTradingDayOfWeek('2024-03-06')).toBeUndefined();
    expect(closedWeek.tradingDaysOfWeek('2024-03-06')).toEqual([]);
  });

  it('lists trading days between two instants by KST date', () => {
    expect(
      calendar.tradingDaysBetween(new Date('2024-02-05T00:00:00Z'), new Date('2024-02-13T10:00:00Z')),
    ).toEqual(['2024-02-05', '2024-02-06', '2024-02-07', '2024-02-08', '2024-02-13']);
  });

  it.each([
    [1, 390, '2024-01-02T06:29:00.000Z'],
    [5, 78, '2024-01-02T06:25:00.000Z'],
    [15, 26, '2024-01-02T06:15:00.000Z'],
    [30, 13, '2024-01-02T06:00:00.000Z'],
    [60, 7, '2024-01-02T06:00:00.000Z'],
  ])('has %d-minute bars: %d per session, the last starting at %s', (minutes, count, last) => {
    const starts = calendar.intradayBarStarts('2024-01-02', minutes);
    expect(starts).toHaveLength(count);
    expect(KrxCalendar.barsPerSession(minutes)).toBe(count);
    expect(starts[0].toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(starts[starts.length - 1].toISOString()).toBe(last);
  });

  it('has no intraday bars on closed days', () => {
    expect(calendar.intradayBarStarts('2024-01-06', 1)).toEqual([]);
    expect(calendar.intradayBarStarts('2024-02-12', 60)).toEqual([]);
  });

  it('rejects malformed and impossible dates naming the field', () => {
    expect(() => new KrxCalendar({ holidays: ['2024/01/01'] })).toThrow(InvalidArgumentError);
    expect(() => new KrxCalendar({ holidays: ['2024-02-30'] })).toThrow(/holidays/);
    expect(() => calendar.isTradingDay('tomorrow')).toThrow(/day/);
    expect(() => calendar.isTradingDay(1.5)).toThrow(/day/);
    expect(() => calendar.intradayBarStarts('2024-01-02', 0)).toThrow(/barMinutes/);
  });
});
