import { Decimal, ExecutionIntent, OrderSide, OrderType } from '@qts/broker-domain';

/** TEST-ONLY: a valid LIMIT buy intent for the mock broker's paper account, with overrides. */
export function anIntent(overrides: Partial<ExecutionIntent> = {}): ExecutionIntent {
  return {
    intentId: 'intent-1',
    strategyId: 'strategy-a',
    brokerId: 'mock',
    accountId: 'MOCK-001',
    symbol: '005930',
    side: OrderSide.BUY,
    quantity: 10,
    orderType: OrderType.LIMIT,
    limitPrice: new Decimal('70100'),
    ...overrides,
  };
}
