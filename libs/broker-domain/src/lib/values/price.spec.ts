import { InvalidArgumentError } from '../errors/broker-errors';
import { Decimal } from './decimal-conversion';
import { Price } from './price';

describe('Price', () => {
  it('holds a positive decimal parsed from a Decimal, number or string', () => {
    expect(Price.of('70000').value.equals(70000)).toBe(true);
    expect(Price.of(70000).toString()).toBe('70000');
    expect(Price.of(new Decimal('1999.5')).toString()).toBe('1999.5');
    expect(JSON.stringify({ price: Price.of('50100') })).toBe('{"price":"50100"}');
  });

  it.each([['0'], ['-1'], ['abc'], [''], [Number.NaN]])('rejects %p naming the field', (value) => {
    expect(() => Price.of(value, 'limitPrice')).toThrow(InvalidArgumentError);
    expect(() => Price.of(value, 'limitPrice')).toThrow(/limitPrice/);
  });

  it('knows its tick and whether it sits on it', () => {
    const price = Price.of('70050');
    expect(price.tickSize().toNumber()).toBe(100);
    expect(price.isOnTick()).toBe(false);
    expect(Price.of('70100').isOnTick()).toBe(true);
  });

  it('rounds onto the grid in the requested direction', () => {
    const price = Price.of('70050');
    expect(price.roundToTick('down').toString()).toBe('70000');
    expect(price.roundToTick('up').toString()).toBe('70100');
    expect(price.roundToTick().toString()).toBe('70100');
    expect(Price.of('0.3').roundToTick('down').toString()).toBe('1');
  });

  it('compares by value and is immutable', () => {
    expect(Price.of('100').equals(Price.of(new Decimal('100.0')))).toBe(true);
    expect(Price.of('100').equals(Price.of('101'))).toBe(false);
    expect(Object.isFrozen(Price.of('100'))).toBe(true);
  });
});
