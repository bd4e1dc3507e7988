import { Decimal } from '@qts/broker-domain';
import {
  readCount,
  readDecimal,
  readOptionalDecimal,
  readText,
  readTimestamp,
  writeDecimal,
  writeTimestamp,
} from './jts-wire-values';
import { MalformedResponseError } from './malformed-response-error';

describe('jts.v1 wire values', () => {
  describe('decimals', () => {
    it.each(['71500', '71500.00', '-400.5', '+1', '.5', '0.000000000000000000000000001', '1e3', '123456789012345678901234567890.123456789'])(
      'reads %s without losing a digit',
      (text) => {
        expect(readDecimal(text, 'price').equals(new Decimal(text))).toBe(true);
      },
    );

    it.each(['', ' 1', '1,000', '0x10', 'NaN', 'Infinity', '1.2.3', 'abc'])('refuses %j naming the field', (text) => {
      expect(() => readDecimal(text, 'quote.price')).toThrow(MalformedResponseError);
      expect(() => readDecimal(text, 'quote.price')).toThrow(/quote\.price/);
    });

    it('shortens a long garbage value in the message', () => {
      expect(() => readDecimal('x'.repeat(100), 'p')).toThrow(/'x{40}\.\.\.'/);
    });

    it('reads an empty optional decimal as absent', () => {
      expect(readOptionalDecimal('', 'open')).toBeUndefined();
      expect(readOptionalDecimal('1.5', 'open')?.toFixed()).toBe('1.5');
    });

    it('writes plain notation, never an exponent, without rounding', () => {
      expect(writeDecimal(new Decimal('1e21'))).toBe('1000000000000000000000');
      expect(writeDecimal(new Decimal('0.00000001'))).toBe('0.00000001');
      expect(writeDecimal(new Decimal('71500.5'))).toBe('71500.5');
    });
  });

  describe('timestamps', () => {
    it.each([
      ['2024-01-02T00:00:00.000Z', '2024-01-02T00:00:00.000Z'],
      ['2024-01-02T09:00:00+09:00', '2024-01-02T00:00:00.000Z'],
      ['2024-01-02t00:00:00.123456z', '2024-01-02T00:00:00.123Z'],
    ])('reads RFC 3339 %s', (text, iso) => {
      expect(readTimestamp(text, 't').toISOString()).toBe(iso);
    });

    it.each(['', '2024-01-02', '2024-01-02T00:00:00', '1704153600000', 'yesterday', '2024-13-45T00:00:00Z'])(
      'refuses %j',
      (text) => {
        expect(() => readTimestamp(text, 'candle.timestamp')).toThrow(MalformedResponseError);
      },
    );

    it('writes the UTC form the servers send', () => {
      expect(writeTimestamp(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
    });
  });

  it('reads counts as non-negative safe integers', () => {
    expect(readCount(0, 'volume')).toBe(0);
    expect(readCount(Number.MAX_SAFE_INTEGER, 'volume')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => readCount(-1, 'volume')).toThrow(MalformedResponseError);
    expect(() => readCount(1.5, 'volume')).toThrow(/volume/);
  });

  it('reads required text', () => {
    expect(readText('A-1', 'orderId')).toBe('A-1');
    expect(() => readText(' ', 'order.orderId')).toThrow('JTS response field order.orderId must not be empty');
  });
});
