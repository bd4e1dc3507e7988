import { Decimal } from 'decimal.js';
import { Timeframe } from '../enums/timeframe';
import { InvalidArgumentError } from '../errors/broker-errors';
import { Candle, CandleProps } from './candle';

describe('Candle', () => {
  const props: CandleProps = {
    symbol: '005930',
    timeframe: '1d',
    timestamp: new Date('2024-01-02T00:00:00Z'),
    open: new Decimal('71000'),
    high: new Decimal('72000'),
    low: new Decimal('70500'),
    close: new Decimal('71500'),
    volume: 12_345_678,
  };

  function fieldOf(build: () => unknown): string | undefined {
    try {
      build();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      return (error as InvalidArgumentError).field;
    }
    throw new Error('expected the constructor to throw');
  }

  it('holds OHLCV as decimals and renders strings and ISO UTC time', () => {
    const candle = new Candle(props);
    expect(candle.open.equals(71000)).toBe(true);
    expect(candle.toJSON()).toEqual({
      symbol: '005930',
      timeframe: '1d',
      timestamp: '2024-01-02T00:00:00.000Z',
      open: '71000',
      high: '72000',
      low: '70500',
      close: '71500',
      volume: 12345678,
    });
    expect(Object.isFrozen(candle)).toBe(true);
  });

  it('accepts decimal strings straight off the wire', () => {
    const candle = new Candle({ ...props, open: '71000', high: '72000', low: '70500', close: '71500.5' });
    expect(candle.close.toFixed()).toBe('71500.5');
  });

  it('accepts a flat bar (open = high = low = close) and zero volume', () => {
    const flat = new Candle({ ...props, open: '100', high: '100', low: '100', close: '100', volume: 0 });
    expect(flat.volume).toBe(0);
  });

  it('enforces high >= max(open, close) and low <= min(open, close)', () => {
    expect(fieldOf(() => new Candle({ ...props, high: new Decimal('71400') }))).toBe('high');
    expect(fieldOf(() => new Candle({ ...props, high: new Decimal('70900') }))).toBe('high');
    expect(fieldOf(() => new Candle({ ...props, low: new Decimal('71100') }))).toBe('low');
    expect(
      fieldOf(() => new Candle({ ...props, low: new Decimal('71600'), close: new Decimal('71600') })),
    ).toBe('low');
  });

  it('requires positive prices', () => {
    expect(fieldOf(() => new Candle({ ...props, low: new Decimal(0) }))).toBe('low');
    expect(fieldOf(() => new Candle({ ...props, open: new Decimal(-1) }))).toBe('open');
  });

  it.each([
    ['symbol', { symbol: 'SAMSUNG' }],
    ['timeframe', { timeframe: '1h' as Timeframe }],
    ['timestamp', { timestamp: new Date(Number.NaN) }],
    ['volume', { volume: -1 }],
    ['volume', { volume: 1.5 }],
    ['volume', { volume: Number.MAX_SAFE_INTEGER + 1 }],
    ['close', { close: 'abc' }],
  ])('rejects a bad %s', (field, override) => {
    expect(fieldOf(() => new Candle({ ...props, ...override }))).toBe(field);
  });
});
