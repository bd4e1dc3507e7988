import { InvalidArgumentError } from '../errors/broker-errors';
import { Decimal, formatDecimal, toDecimal } from './decimal-conversion';

describe('toDecimal', () => {
  it('accepts Decimals, finite numbers and decimal strings', () => {
    const decimal = new Decimal('70000.5');
    expect(toDecimal(decimal, 'price')).toBe(decimal);
    expect(toDecimal(70000, 'price').equals(70000)).toBe(true);
    expect(toDecimal('70000.50', 'price').equals('70000.5')).toBe(true);
    expect(toDecimal('-12.5', 'change').equals(-12.5)).toBe(true);
    expect(toDecimal('1e3', 'amount').equals(1000)).toBe(true);
    expect(toDecimal('.5', 'rate').equals(0.5)).toBe(true);
    expect(toDecimal('+7', 'qty').equals(7)).toBe(true);
  });

  it('keeps decimal strings exact (no float rounding)', () => {
    expect(toDecimal('0.1', 'a').plus(toDecimal('0.2', 'b')).equals('0.3')).toBe(true);
    expect(toDecimal('12345678901234567.89', 'amount').toFixed()).toBe('12345678901234567.89');
  });

  it.each([
    ['NaN number', Number.NaN],
    ['Infinity number', Number.POSITIVE_INFINITY],
    ['-Infinity number', Number.NEGATIVE_INFINITY],
    ['empty string', ''],
    ['whitespace', '  '],
    ['padded number', ' 12 '],
    ['garbage', '12abc'],
    ['hex literal', '0x10'],
    ['binary literal', '0b101'],
    ['NaN string', 'NaN'],
    ['Infinity string', 'Infinity'],
    ['comma grouping', '1,000'],
    ['NaN Decimal', new Decimal(Number.NaN)],
    ['Infinite Decimal', new Decimal(Number.POSITIVE_INFINITY)],
  ])('rejects %s with InvalidArgumentError naming the field', (_label, value) => {
    expect(() => toDecimal(value, 'price')).toThrow(InvalidArgumentError);
    try {
      toDecimal(value, 'price');
    } catch (error) {
      expect((error as InvalidArgumentError).field).toBe('price');
      expect((error as InvalidArgumentError).message).toContain('price');
    }
  });

  it('rejects values of the wrong type arriving from untyped callers', () => {
    for (const value of [null, undefined, {}, [], true]) {
      expect(() => toDecimal(value as unknown as Decimal.Value, 'amount')).toThrow(InvalidArgumentError);
    }
  });
});

describe('formatDecimal', () => {
  it('renders plain notation even for very large and very small values', () => {
    expect(formatDecimal(new Decimal('1e25'))).toBe('10000000000000000000000000');
    expect(formatDecimal(new Decimal('1e-9'))).toBe('0.000000001');
    expect(formatDecimal(new Decimal('70000.10'))).toBe('70000.1');
  });
});
