import { KrxCalendar } from './krx-calendar';
import { TradingBars } from './trading-bars';

const bars = new TradingBars();

describe('TradingBars', () => {
  describe('count', () => {
    it('counts six months of 1m bars in trading minutes: about 48,000, not the 260,000 calendar minutes', () => {
      // 2026-01-01 .. 2026-06-30: 129 weekdays x 390 one-minute bars.
      const count = bars.count('1m', new Date('2026-01-01T00:00:00Z'), new Date('2026-06-30T23:59:59Z'));
      expect(count).toBe(129 * 390);
    });

    it('counts only the bars of the session (09:00-15:30 KST) of weekdays', () => {
      // Friday 2026-11-06 and Monday 2026-11-09: the weekend between has no bars.
      expect(bars.count('1m', new Date('2026-11-06T00:00:00Z'), new Date('2026-11-09T23:00:00Z'))).toBe(780);
      expect(bars.count('60m', new Date('2026-11-06T00:00:00Z'), new Date('2026-11-06T23:00:00Z'))).toBe(7);
      // 10:00-10:04 KST: bars starting 01:00..01:04 UTC, both ends inclusive.
      expect(bars.count('1m', new Date('2026-11-06T01:00:00Z'), new Date('2026-11-06T01:04:00Z'))).toBe(5);
      // Before the open and after the close: none.
      expect(bars.count('5m', new Date('2026-11-06T07:00:00Z'), new Date('2026-11-06T23:00:00Z'))).toBe(0);
    });

    it('counts daily bars per trading day and weekly bars per week, at the open', () => {
      expect(bars.count('1d', new Date('2026-11-02T00:00:00Z'), new Date('2026-11-15T00:00:00Z'))).toBe(10);
      expect(bars.count('1w', new Date('2026-11-02T00:00:00Z'), new Date('2026-11-29T00:00:00Z'))).toBe(4);
      // A daily bar starts at the open: a range starting one minute later misses that day.
      expect(bars.count('1d', new Date('2026-11-02T00:01:00Z'), new Date('2026-11-02T06:00:00Z'))).toBe(0);
    });

    it('leaves out the holidays of its calendar', () => {
      const withHoliday = new TradingBars(new KrxCalendar({ holidays: ['2026-11-04'] }));
      expect(withHoliday.count('1d', new Date('2026-11-02T00:00:00Z'), new Date('2026-11-06T00:00:00Z'))).toBe(4);
      expect(withHoliday.count('30m', new Date('2026-11-04T00:00:00Z'), new Date('2026-11-04T23:00:00Z'))).toBe(0);
    });

    it('is zero for a range that ends before it starts', () => {
      expect(bars.count('1m', new Date('2026-11-06T02:00:00Z'), new Date('2026-11-06T01:00:00Z'))).toBe(0);
    });
  });

  describe('window', () => {
    it('ends at the start of the n-th bar and says whether more follow', () => {
      const start = new Date('2026-11-06T00:00:00Z');
      const end = new Date('2026-11-09T23:00:00Z');

      expect(bars.window('1m', start, end, 10)).toEqual({ last: new Date('2026-11-06T00:09:00Z'), more: true });
      // The 391st bar is Monday's first: the weekend is skipped.
      expect(bars.window('1m', start, end, 391)).toEqual({ last: new Date('2026-11-09T00:00:00Z'), more: true });
      // Exactly every bar of the range.
      expect(bars.window('1m', start, end, 780)).toEqual({ last: new Date('2026-11-09T06:29:00Z'), more: false });
    });

    it('reaches the end of the range when fewer bars remain', () => {
      const end = new Date('2026-11-06T23:00:00Z');
      expect(bars.window('60m', new Date('2026-11-06T00:00:00Z'), end, 100)).toEqual({ last: end, more: false });
    });

    it('pages a range into windows that together hold every bar once', () => {
      const end = new Date('2026-11-20T23:00:00Z');
      let from = new Date('2026-11-02T03:17:00Z');
      let total = 0;
      for (;;) {
        const window = bars.window('5m', from, end, 100);
        total += bars.count('5m', from, window.last);
        expect(bars.count('5m', from, window.last)).toBeLessThanOrEqual(100);
        if (!window.more) break;
        from = new Date(window.last.getTime() + 1);
      }
      expect(total).toBe(bars.count('5m', new Date('2026-11-02T03:17:00Z'), end));
    });

    it('refuses a window of no bars', () => {
      expect(() => bars.window('1d', new Date(0), new Date(1), 0)).toThrow(RangeError);
    });
  });
});
