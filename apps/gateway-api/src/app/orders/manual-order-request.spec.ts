import { Decimal, OrderSide, OrderType } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import { clientOrderIdFor, orderFingerprint, randomClientOrderId, toPlaceOrderCommand, type ManualOrderRequest } from './manual-order-request';

describe('manual order requests', () => {
  // The test intent's order (a LIMIT buy of 10 x 005930 on the test PAPER account), as a caller would send it.
  const { brokerId, accountId, symbol, side, orderType, quantity } = testIntent();
  const limit: ManualOrderRequest = { brokerId, accountId, symbol, side, orderType, quantity, price: '71500' };

  it('fingerprints the order, not its spelling: a normalised price is the same order', () => {
    expect(orderFingerprint({ ...limit, price: '71500.00' })).toBe(orderFingerprint(limit));
    expect(orderFingerprint(limit)).toMatch(/^[0-9a-f]{64}$/);
    for (const other of [{ quantity: 11 }, { side: OrderSide.SELL }, { accountId: 'other' }, { brokerId: 'creon' }, { price: '71600' }]) {
      expect(orderFingerprint({ ...limit, ...other })).not.toBe(orderFingerprint(limit));
    }
    const market = { ...limit, orderType: OrderType.MARKET, price: undefined };
    expect(orderFingerprint(market)).not.toBe(orderFingerprint(limit));
  });

  it('derives one stable client order id per (API key, Idempotency-Key)', () => {
    expect(clientOrderIdFor('key-a', 'k1')).toBe(clientOrderIdFor('key-a', 'k1'));
    expect(clientOrderIdFor('key-a', 'k1')).not.toBe(clientOrderIdFor('key-b', 'k1'));
    expect(clientOrderIdFor('key-a', 'k1')).toMatch(/^gw-[0-9a-f]{32}$/);
    expect(randomClientOrderId()).toMatch(/^gw-[0-9a-f]{32}$/);
    expect(randomClientOrderId()).not.toBe(randomClientOrderId());
  });

  it('builds the domain command with a Decimal price and the client order id', () => {
    const command = toPlaceOrderCommand(limit, 'gw-1');
    expect(command.price).toEqual(new Decimal('71500'));
    expect(command).toMatchObject({ accountId: limit.accountId, quantity: 10, clientOrderId: 'gw-1' });
    expect(toPlaceOrderCommand({ ...limit, orderType: OrderType.MARKET, price: undefined }, 'gw-2').price).toBeUndefined();
  });
});
