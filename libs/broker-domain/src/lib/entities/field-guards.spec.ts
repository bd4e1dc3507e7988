import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';
import { OrderSide } from '../enums/order-side';
import {
  isSymbolCode,
  optionalDecimal,
  requireDate,
  requireDecimal,
  requireEnumValue,
  requireNonNegativeSafeInteger,
  requirePositiveSafeInteger,
} from './field-guards';

describe('entity field guards', () => {
  it('accepts six-character KRX codes only', () => {
    expect(isSymbolCode('005930')).toBe(true);
    expect(isSymbolCode('0072R0')).toBe(true);
    for (const bad of ['5930', '0059300', '00593a', '005 30', '', 5930]) {
      expect(isSymbolCode(bad)).toBe(false);
    }
  });

  it('copies dates so callers cannot mutate an entity through them', () => {
    const source = new Date('2024-01-02T00:00:00Z');
    const copy = requireDate(source, 'timestamp');
    source.setUTCFullYear(2000);
    expect(copy.toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(() => requireDate(new Date('nope'), 'timestamp')).toThrow(/timestamp/);
    expect(() => requireDate('2024-01-02', 'timestamp')).toThrow(InvalidArgumentError);
  });

  it('accepts Decimals and decimal strings but not JS numbers for money', () => {
    expect(requireDecimal('1.5', 'price').equals(1.5)).toBe(true);
    expect(requireDecimal(new Decimal(2), 'price').equals(2)).toBe(true);
    expect(() => requireDecimal(1.5, 'price')).toThrow(/price/);
    expect(optionalDecimal(undefined, 'price')).toBeUndefined();
  });

  it('checks enum membership and integers', () => {
    expect(requireEnumValue(OrderSide, 'BUY', 'side')).toBe(OrderSide.BUY);
    expect(() => requireEnumValue(OrderSide, 'buy', 'side')).toThrow(/side must be one of BUY, SELL/);
    expect(requireNonNegativeSafeInteger(-0, 'volume')).toBe(0);
    expect(Object.is(requireNonNegativeSafeInteger(-0, 'volume'), 0)).toBe(true);
    expect(() => requireNonNegativeSafeInteger(1.5, 'volume')).toThrow(/volume/);
    expect(() => requirePositiveSafeInteger(0, 'quantity')).toThrow(/quantity/);
    expect(() => requirePositiveSafeInteger(2 ** 53, 'quantity')).toThrow(/quantity/);
  });
});
