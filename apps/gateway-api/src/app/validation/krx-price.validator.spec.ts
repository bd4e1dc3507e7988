import { OrderType } from '@qts/broker-domain';
import { krxPriceProblem, orderPriceProblem } from './krx-price.validator';

describe('KRX order prices', () => {
  it.each(['1', '1999', '2005', '71500', '199900', '500000', '1001000', '71500.0'])('accepts %s', (price) => {
    expect(krxPriceProblem(price)).toBeUndefined();
  });

  it.each([
    [71500, 'not a number'],
    ['71550', 'tick'],
    ['2001', 'tick'],
    ['0', 'positive'],
    ['-100', 'positive decimal string'],
    ['7.15e4', 'positive decimal string'],
    ['0x10', 'positive decimal string'],
    [' 71500', 'positive decimal string'],
    ['71500.5', 'tick'],
    ['', 'positive decimal string'],
    [undefined, 'required'],
  ])('refuses %p (%s)', (price, reason) => {
    expect(krxPriceProblem(price)).toContain(reason);
  });

  it('wants a price for LIMIT, none for MARKET, and leaves a bad order type to its own field', () => {
    expect(orderPriceProblem(OrderType.MARKET, undefined)).toBeUndefined();
    expect(orderPriceProblem(OrderType.MARKET, '71500')).toBe('must be absent for a MARKET order');
    expect(orderPriceProblem(OrderType.LIMIT, undefined)).toBe('is required for a LIMIT order');
    expect(orderPriceProblem('STOP', 'anything')).toBeUndefined();
  });
});
