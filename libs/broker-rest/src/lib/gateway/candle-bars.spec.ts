import { Decimal } from '@qts/broker-domain';
import { aggregateMinuteBars, BrokerBar, candlesInRange, sessionOpenOfDate, weekdaysBetween, weekOpenOfDate } from './candle-bars';

const OPEN = Date.parse('2026-11-30T00:00:00Z'); // 09:00 KST

function minute(offset: number, close: number, volume = 10): BrokerBar {
  return {
    startMs: OPEN + offset * 60_000,
    open: new Decimal(close - 10),
    high: new Decimal(close + 50),
    low: new Decimal(close - 50),
    close: new Decimal(close),
    volume,
  };
}

describe('candle bars', () => {
  it('combines one-minute bars into bars aligned at the session open, in any input order', () => {
    const bars = aggregateMinuteBars([minute(6, 70_300), minute(0, 70_000), minute(4, 70_200), minute(5, 70_100, 5)], '5m');

    expect(bars.map((bar) => [new Date(bar.startMs).toISOString(), bar.open.toFixed(), bar.close.toFixed(), bar.high.toFixed(), bar.low.toFixed(), bar.volume])).toEqual([
      ['2026-11-30T00:00:00.000Z', '69990', '70200', '70250', '69950', 20],
      ['2026-11-30T00:05:00.000Z', '70090', '70300', '70350', '70050', 15],
    ]);
  });

  it('keeps bars starting in [start, end], oldest first, once each', () => {
    const bars = [minute(2, 70_000), minute(0, 70_000), minute(1, 70_000), minute(1, 70_000), minute(3, 70_000)];

    const candles = candlesInRange('005930', '1m', bars, new Date(OPEN + 60_000), new Date(OPEN + 2 * 60_000));

    expect(candles.map((candle) => candle.timestamp.getTime() - OPEN)).toEqual([60_000, 120_000]);
  });

  it('widens high and low to the open and close when a broker row does not bracket them', () => {
    const [candle] = candlesInRange('005930', '1m', [{ ...minute(0, 70_000), high: new Decimal(69_000) }], new Date(OPEN), new Date(OPEN));

    expect(candle.high.toFixed()).toBe('70000');
  });

  it('places daily and weekly bars at the session open of the day and of the Monday', () => {
    expect(new Date(sessionOpenOfDate('20261127') as number).toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(new Date(weekOpenOfDate('20261127') as number).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(sessionOpenOfDate('2026-11-27')).toBeUndefined();
    expect(weekOpenOfDate('x')).toBeUndefined();
  });

  it('lists the weekdays between two instants (KST dates)', () => {
    expect(weekdaysBetween(new Date('2026-11-27T00:00:00Z'), new Date('2026-11-30T06:00:00Z'))).toEqual(['20261127', '20261130']);
    // 23:30 UTC on Sunday is Monday in Korea.
    expect(weekdaysBetween(new Date('2026-11-29T23:30:00Z'), new Date('2026-11-29T23:40:00Z'))).toEqual(['20261130']);
  });
});
