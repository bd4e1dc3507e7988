import { Decimal, OrderSide, OrderStatus } from '@qts/broker-domain';
import dailyOrders from './fixtures/inquire-daily-ccld.json';
import { parseKisDailyOrders } from './kis-daily-orders';
import { KIS_STATUS_TO_ORDER_STATUS, kisOrderState, kisOrderStatus } from './kis-order-status';

describe('KIS order status', () => {
  it('derives each state of the inquire-daily-ccld fixture and maps it to an OrderStatus', () => {
    const parsed = parseKisDailyOrders(dailyOrders);
    if (parsed.kind !== 'ok') throw new Error(`unexpected ${parsed.kind}`);

    const states = parsed.orders.map((order) => [
      order.orderNo,
      kisOrderState(order.quantities),
      kisOrderStatus(kisOrderState(order.quantities)),
    ]);

    expect(states).toEqual([
      ['0000117057', 'filled', OrderStatus.FILLED],
      ['0000117058', 'partially_filled', OrderStatus.PARTIAL],
      ['0000117059', 'received', OrderStatus.ACCEPTED],
      ['0000117061', 'cancelled', OrderStatus.CANCELLED],
      ['0000117062', 'rejected', OrderStatus.REJECTED],
    ]);
  });

  it('reads the row fields: branch, side, division and the average price as an exact decimal', () => {
    const parsed = parseKisDailyOrders(dailyOrders);
    if (parsed.kind !== 'ok') throw new Error(`unexpected ${parsed.kind}`);

    expect(parsed.orders[0]).toMatchObject({
      branchNo: '91252',
      symbol: '005930',
      side: OrderSide.BUY,
      orderDivision: '00',
    });
    expect(parsed.orders[1].avgFillPrice).toEqual(new Decimal('179900.5'));
    expect(parsed.orders[2]).toMatchObject({ side: OrderSide.SELL, orderDivision: '01' });
    expect(parsed.orders[2].avgFillPrice).toBeUndefined();
  });

  it('maps the generic state names, with timeout as UNKNOWN (the order may be live), never REJECTED', () => {
    expect(KIS_STATUS_TO_ORDER_STATUS['timeout']).toBe(OrderStatus.UNKNOWN);
    expect(KIS_STATUS_TO_ORDER_STATUS['partial']).toBe(OrderStatus.PARTIAL);
    expect(KIS_STATUS_TO_ORDER_STATUS['canceled']).toBe(OrderStatus.CANCELLED);
    expect(KIS_STATUS_TO_ORDER_STATUS['접수']).toBe(OrderStatus.ACCEPTED);
    expect(kisOrderStatus('something new')).toBe(OrderStatus.UNKNOWN);
  });

  it('calls a cancel after a partial fill cancelled, and a remaining quantity still working', () => {
    const base = {
      ordered: 10,
      filled: 0,
      remaining: 10,
      rejected: 0,
      cancelConfirmed: 0,
      cancelFlag: false,
    };

    expect(kisOrderState({ ...base, filled: 3, remaining: 0, cancelConfirmed: 7, cancelFlag: true })).toBe(
      'cancelled',
    );
    expect(kisOrderState({ ...base, remaining: 0, cancelConfirmed: 10 })).toBe('cancelled');
    expect(kisOrderState(base)).toBe('received');
  });

  it('computes the remaining quantity when rmn_qty is absent', () => {
    const parsed = parseKisDailyOrders({
      rt_cd: '0',
      output1: [{ odno: '1', ord_qty: '5', tot_ccld_qty: '5', ord_gno_brno: '9' }],
    });

    expect(parsed).toMatchObject({
      kind: 'ok',
      orders: [{ quantities: { remaining: 0, ordered: 5, filled: 5 } }],
    });
  });

  it.each([
    ['a refusal', { rt_cd: '1', msg_cd: 'EGW00201', msg1: '초당 거래건수를 초과하였습니다.' }, 'rejected'],
    ['no rt_cd', { output1: [] }, 'malformed'],
    ['a non-list output1', { rt_cd: '0', output1: {} }, 'malformed'],
    ['a row without quantities', { rt_cd: '0', output1: [{ odno: '1' }] }, 'malformed'],
    ['a row that is not an object', { rt_cd: '0', output1: ['x'] }, 'malformed'],
    ['a text body', 'oops', 'malformed'],
  ])('reads %s as %s', (_label, body, kind) => {
    expect(parseKisDailyOrders(body)).toMatchObject({ kind });
  });

  it('reads a missing output1 as no orders', () => {
    expect(parseKisDailyOrders({ rt_cd: '0' })).toEqual({
      kind: 'ok',
      orders: [],
      continuation: { more: false, fk100: '', nk100: '' },
    });
  });
});
