import { Decimal } from 'decimal.js';
import { OrderSide } from '../enums/order-side';
import { OrderType } from '../enums/order-type';
import { InvalidArgumentError } from '../errors/broker-errors';
import { ExecutionIntent } from './execution-contracts';
import { validateExecutionIntent } from './validate-execution-intent';

describe('validateExecutionIntent', () => {
  const intent: ExecutionIntent = {
    intentId: 'intent-20240102-0001',
    strategyId: 'momentum-kr',
    brokerId: 'kis',
    accountId: '50012345-01',
    symbol: '005930',
    side: OrderSide.BUY,
    quantity: 10,
    orderType: OrderType.LIMIT,
    limitPrice: new Decimal('70100'),
    createdAt: new Date('2024-01-02T00:00:00Z'),
  };

  function fieldOf(value: unknown): string | undefined {
    try {
      validateExecutionIntent(value as ExecutionIntent);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      return (error as InvalidArgumentError).field;
    }
    throw new Error('expected the intent to be refused');
  }

  it('accepts well-formed LIMIT and MARKET intents', () => {
    expect(() => validateExecutionIntent(intent)).not.toThrow();
    expect(() =>
      validateExecutionIntent({
        ...intent,
        orderType: OrderType.MARKET,
        limitPrice: undefined,
        createdAt: undefined,
      }),
    ).not.toThrow();
  });

  it.each([
    ['intentId', { intentId: '' }],
    ['strategyId', { strategyId: undefined }],
    ['brokerId', { brokerId: ' ' }],
    ['accountId', { accountId: 7 }],
    ['symbol', { symbol: 'AAPL' }],
    ['side', { side: 'SHORT' }],
    ['orderType', { orderType: 'IOC' }],
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: 2.5 }],
    ['limitPrice', { limitPrice: undefined }],
    ['limitPrice', { limitPrice: new Decimal(0) }],
    ['limitPrice', { limitPrice: 70100 }],
    ['limitPrice', { limitPrice: new Decimal('70150') }],
    ['limitPrice', { orderType: OrderType.MARKET }],
    ['createdAt', { createdAt: new Date(Number.NaN) }],
    ['createdAt', { createdAt: '2024-01-02' }],
  ])('refuses a bad %s', (field, override) => {
    expect(fieldOf({ ...intent, ...override })).toBe(field);
  });

  it('refuses a missing intent', () => {
    expect(fieldOf(undefined)).toBeUndefined();
  });
});
