import { RequestValidationError } from '@qts/service-infra';
import { parseCandleRange } from './candle-range';

describe('parseCandleRange', () => {
  function fieldOf(run: () => unknown): readonly string[] {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(RequestValidationError);
      return (error as RequestValidationError).fields;
    }
    throw new Error('expected a validation error');
  }

  it('accepts dates (UTC midnight) and date-times with an offset, both ends inclusive', () => {
    expect(parseCandleRange('1d', '2024-01-02', '2024-01-31T09:00:00+09:00')).toEqual({
      timeframe: '1d',
      start: new Date('2024-01-02T00:00:00Z'),
      end: new Date('2024-01-31T00:00:00Z'),
    });
    const same = parseCandleRange('1m', '2024-01-02T00:00:00.000Z', '2024-01-02T00:00:00Z');
    expect(same.start).toEqual(same.end);
  });

  it.each([
    ['timeframe', ['1h', '2024-01-02', '2024-01-03']],
    ['start', ['1d', '2024-13-45', '2024-01-03']],
    ['start', ['1d', '02/01/2024', '2024-01-03']],
    ['start', ['1d', '2024-01-02T09:00:00', '2024-01-03']],
    ['end', ['1d', '2024-01-02', '']],
    ['end', ['1d', '2024-01-03', '2024-01-02']],
  ])('refuses a bad %s', (field, [timeframe, start, end]) => {
    expect(fieldOf(() => parseCandleRange(timeframe, start, end))).toEqual([field]);
  });

  it('takes a range of any length: six months of 1m bars, or decades of daily ones', () => {
    expect(parseCandleRange('1m', '2026-01-01', '2026-06-30T23:59:00Z').timeframe).toBe('1m');
    expect(() => parseCandleRange('1d', '1990-01-01', '2024-01-01')).not.toThrow();
  });
});
