import { InvalidArgumentError } from '../errors/broker-errors';
import { Decimal } from './decimal-conversion';
import { Currency, Money } from './money';

describe('Money', () => {
  it('adds, subtracts and multiplies exactly in decimals', () => {
    const a = Money.of('0.1');
    const b = Money.of('0.2');
    expect(a.plus(b).amount.equals('0.3')).toBe(true);
    expect(Money.of('100000000').minus(Money.of('70100').times(10)).amount.toFixed()).toBe('99299000');
    expect(Money.of('70100').times(new Decimal('0.015')).amount.toFixed()).toBe('1051.5');
  });

  it('defaults to KRW and renders as strings', () => {
    const money = Money.of(1500);
    expect(money.currency).toBe('KRW');
    expect(money.toString()).toBe('1500 KRW');
    expect(JSON.stringify(money)).toBe('{"amount":"1500","currency":"KRW"}');
  });

  it('represents losses and zero', () => {
    const loss = Money.of(100).minus(Money.of(250));
    expect(loss.isNegative()).toBe(true);
    expect(loss.amount.toFixed()).toBe('-150');
    expect(Money.zero().isZero()).toBe(true);
    expect(Money.zero().isNegative()).toBe(false);
    expect(Money.of('-0').isNegative()).toBe(false);
  });

  it('compares amounts', () => {
    expect(Money.of(5).compareTo(Money.of(7))).toBe(-1);
    expect(Money.of(7).compareTo(Money.of(7))).toBe(0);
    expect(Money.of('7.0').equals(Money.of(7))).toBe(true);
  });

  it('rejects garbage amounts, factors and foreign currencies', () => {
    expect(() => Money.of('12x')).toThrow(InvalidArgumentError);
    expect(() => Money.of(Number.NaN)).toThrow(/amount/);
    expect(() => Money.of(1).times(Number.POSITIVE_INFINITY)).toThrow(/factor/);
    expect(() => Money.of(1, 'USD' as Currency)).toThrow(/currency/);
  });

  it('refuses to combine different currencies', () => {
    // Only KRW exists today; a value smuggled in from untyped code must still not mix silently.
    const foreign = Object.create(Money.prototype, {
      amount: { value: new Decimal(1) },
      currency: { value: 'USD' },
    }) as Money;
    expect(() => Money.of(1).plus(foreign)).toThrow(InvalidArgumentError);
    expect(() => Money.of(1).minus(foreign)).toThrow(InvalidArgumentError);
    expect(() => Money.of(1).compareTo(foreign)).toThrow(InvalidArgumentError);
    expect(Money.of(1).equals(foreign)).toBe(false);
  });
});
