import { Decimal } from 'decimal.js';
import { OrderSide } from '../enums/order-side';
import { OrderType } from '../enums/order-type';
import { InvalidOrderError } from '../errors/broker-errors';
import { PlaceOrderCommand } from './broker-gateway';
import { validatePlaceOrderCommand } from './validate-place-order-command';

describe('validatePlaceOrderCommand', () => {
  const limit: PlaceOrderCommand = {
    accountId: '50012345-01',
    symbol: '005930',
    side: OrderSide.BUY,
    orderType: OrderType.LIMIT,
    quantity: 10,
    price: new Decimal('70100'),
    clientOrderId: 'intent-1',
  };
  const market: PlaceOrderCommand = {
    accountId: '50012345-01',
    symbol: '005930',
    side: OrderSide.SELL,
    orderType: OrderType.MARKET,
    quantity: 1,
  };

  function fieldOf(command: unknown): string | undefined {
    try {
      validatePlaceOrderCommand(command as PlaceOrderCommand);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOrderError);
      return (error as InvalidOrderError).field;
    }
    throw new Error('expected the command to be refused');
  }

  it('accepts a well-formed LIMIT and MARKET command', () => {
    expect(() => validatePlaceOrderCommand(limit)).not.toThrow();
    expect(() => validatePlaceOrderCommand(market)).not.toThrow();
  });

  it.each([
    ['accountId', { accountId: '' }],
    ['symbol', { symbol: '05930' }],
    ['symbol', { symbol: undefined }],
    ['side', { side: 'HOLD' }],
    ['orderType', { orderType: 'STOP_LIMIT' }],
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: -3 }],
    ['quantity', { quantity: 1.5 }],
    ['quantity', { quantity: Number.MAX_SAFE_INTEGER + 1 }],
    ['quantity', { quantity: '10' }],
    ['price', { price: undefined }],
    ['price', { price: new Decimal(0) }],
    ['price', { price: new Decimal(-100) }],
    ['price', { price: new Decimal(Number.NaN) }],
    ['price', { price: '70100' }],
    ['price', { price: new Decimal('70150') }],
    ['price', { price: new Decimal('70100.5') }],
    ['clientOrderId', { clientOrderId: '' }],
  ])('refuses a LIMIT command with a bad %s', (field, override) => {
    expect(fieldOf({ ...limit, ...override })).toBe(field);
  });

  it('refuses a MARKET command that carries a price', () => {
    expect(fieldOf({ ...market, price: new Decimal('70100') })).toBe('price');
  });

  it('refuses a missing command', () => {
    expect(fieldOf(null)).toBeUndefined();
  });

  it('checks the tick of the band the price is in', () => {
    expect(() => validatePlaceOrderCommand({ ...limit, price: new Decimal('1999') })).not.toThrow();
    expect(() => validatePlaceOrderCommand({ ...limit, price: new Decimal('2005') })).not.toThrow();
    expect(fieldOf({ ...limit, price: new Decimal('2001') })).toBe('price');
    expect(() => validatePlaceOrderCommand({ ...limit, price: new Decimal('501000') })).not.toThrow();
    expect(fieldOf({ ...limit, price: new Decimal('500500') })).toBe('price');
  });
});
