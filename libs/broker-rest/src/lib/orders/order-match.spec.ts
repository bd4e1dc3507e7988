import { Decimal, OrderSide, OrderStatus, OrderType, PlacedOrderDescription } from '@qts/broker-domain';
import type { BrokerOrderRow } from './broker-order-row';
import { matchPlacedOrder } from './order-match';

const SENT = new Date('2026-03-03T03:10:00Z');

const placed: PlacedOrderDescription = {
  accountId: '50012345-01',
  symbol: '005930',
  side: OrderSide.BUY,
  orderType: OrderType.LIMIT,
  quantity: 10,
  price: new Decimal('70100'),
  sentAt: SENT,
};

function row(orderNo: string, overrides: Partial<BrokerOrderRow> = {}): BrokerOrderRow {
  return {
    orderNo,
    symbol: '005930',
    side: OrderSide.BUY,
    orderType: OrderType.LIMIT,
    quantity: 10,
    price: new Decimal('70100'),
    filledQuantity: 0,
    orderedAt: new Date(SENT.getTime() + 1_000),
    status: OrderStatus.ACCEPTED,
    stateLabel: 'received',
    ...overrides,
  };
}

const nobody = () => false;

describe('matchPlacedOrder', () => {
  it('matches the one order that agrees in symbol, side, quantity, price and time', () => {
    const rows = [
      row('1', { symbol: '000660' }),
      row('2', { side: OrderSide.SELL }),
      row('3', { quantity: 11 }),
      row('4', { price: new Decimal('70000') }),
      row('5', { orderedAt: new Date(SENT.getTime() - 11_000) }),
      row('6', { orderedAt: new Date(SENT.getTime() + 121_000) }),
      row('7', { originalOrderNo: '9' }),
      row('8', { orderType: OrderType.MARKET, price: undefined }),
      row('9'),
    ];

    expect(matchPlacedOrder(placed, rows, nobody)).toEqual({ kind: 'matched', row: rows[8] });
  });

  it('accepts the edges of the window: 10 s before and 120 s after sending', () => {
    const early = row('1', { orderedAt: new Date(SENT.getTime() - 10_000) });
    const late = row('2', { orderedAt: new Date(SENT.getTime() + 120_000) });

    expect(matchPlacedOrder(placed, [early], nobody).kind).toBe('matched');
    expect(matchPlacedOrder(placed, [late], nobody).kind).toBe('matched');
  });

  it('is ambiguous with two candidates, and none without', () => {
    expect(matchPlacedOrder(placed, [row('1'), row('2')], nobody)).toMatchObject({ kind: 'ambiguous', candidates: [{ orderNo: '1' }, { orderNo: '2' }] });
    expect(matchPlacedOrder(placed, [], nobody)).toEqual({ kind: 'none' });
  });

  it('leaves out orders another clientOrderId owns', () => {
    expect(matchPlacedOrder(placed, [row('1'), row('2')], (orderNo) => orderNo === '1')).toMatchObject({ kind: 'matched', row: { orderNo: '2' } });
  });

  it('keeps rows it cannot rule out (no time, no side) as candidates', () => {
    const rows = [row('1', { orderedAt: undefined }), row('2', { side: undefined })];

    expect(matchPlacedOrder(placed, rows, nobody).kind).toBe('ambiguous');
  });

  it('matches a market order by type, or by the absence of a price when the type is unknown', () => {
    const market: PlacedOrderDescription = { ...placed, orderType: OrderType.MARKET, price: undefined };

    expect(matchPlacedOrder(market, [row('1', { orderType: OrderType.MARKET, price: undefined })], nobody).kind).toBe('matched');
    expect(matchPlacedOrder(market, [row('1', { orderType: undefined, price: new Decimal(0) })], nobody).kind).toBe('matched');
    expect(matchPlacedOrder(market, [row('1', { orderType: undefined, price: new Decimal(70100) })], nobody).kind).toBe('none');
    expect(matchPlacedOrder(market, [row('1')], nobody).kind).toBe('none');
    expect(matchPlacedOrder(placed, [row('1', { orderType: undefined, price: undefined })], nobody).kind).toBe('none');
  });
});
