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
    ['quantity', { quantity: 1_000_000_001 }],
    ['intentId', { intentId: 'i'.repeat(129) }],
    ['intentId', { intentId: 'line\nbreak' }],
    ['strategyId', { strategyId: 's'.repeat(129) }],
    ['brokerId', { brokerId: 'b'.repeat(65) }],
    ['accountId', { accountId: 'a'.repeat(65) }],
    ['limitPrice', { limitPrice: new Decimal('1e16') }],
    ['limitPrice', { limitPrice: new Decimal('70100.000000001') }],
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

  it('accepts identifiers as wide as the columns and the largest quantity', () => {
    expect(() =>
      validateExecutionIntent({ ...intent, intentId: 'i'.repeat(128), strategyId: 's'.repeat(128), brokerId: 'b'.repeat(64), accountId: 'a'.repeat(64), quantity: 1_000_000_000 }),
    ).not.toThrow();
  });

  it('says how long a refused identifier was without repeating it', () => {
    expect(() => validateExecutionIntent({ ...intent, intentId: 'x'.repeat(70_000) })).toThrow('intentId must be at most 128 characters (got 70000)');
  });

  it('refuses a missing intent', () => {
    expect(fieldOf(undefined)).toBeUndefined();
  });
});
