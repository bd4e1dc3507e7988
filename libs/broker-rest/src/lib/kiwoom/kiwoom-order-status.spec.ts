import { Decimal, OrderStatus } from '@qts/broker-domain';
import details from './fixtures/kt00007-order-details.json';
import { parseKiwoomOrderDetails } from './kiwoom-order-details';
import { KIWOOM_STATUS_TO_ORDER_STATUS, kiwoomOrderState, kiwoomOrderStatus } from './kiwoom-order-status';

describe('Kiwoom order status', () => {
  it('derives each state of the kt00007 fixture and maps it to an OrderStatus', () => {
    const parsed = parseKiwoomOrderDetails(details);
    if (parsed.kind !== 'ok') throw new Error(`unexpected ${parsed.kind}`);

    const states = parsed.orders.map((order) => [
      order.orderNo,
      kiwoomOrderState(order.quantities),
      kiwoomOrderStatus(kiwoomOrderState(order.quantities)),
    ]);

    expect(states).toEqual([
      ['0000139', '체결', OrderStatus.FILLED],
      ['0000141', '부분체결', OrderStatus.PARTIAL],
      ['0000142', '접수', OrderStatus.ACCEPTED],
      ['0000143', '취소', OrderStatus.CANCELLED],
      ['0000144', '취소', OrderStatus.CANCELLED],
      ['0000145', '거부', OrderStatus.REJECTED],
    ]);
  });

  it("reads the row fields: symbol without the 'A' prefix, the original order and the fill price as a decimal", () => {
    const parsed = parseKiwoomOrderDetails(details);
    if (parsed.kind !== 'ok') throw new Error(`unexpected ${parsed.kind}`);

    expect(parsed.orders[0]).toMatchObject({
      symbol: '005930',
      avgFillPrice: new Decimal('70050'),
    });
    expect(parsed.orders[2].avgFillPrice).toBeUndefined();
    expect(parsed.orders[4]).toMatchObject({ originalOrderNo: '0000143', amendCancel: '취소' });
  });

  it('maps the generic state names, with timeout as UNKNOWN', () => {
    expect(KIWOOM_STATUS_TO_ORDER_STATUS['timeout']).toBe(OrderStatus.UNKNOWN);
    expect(KIWOOM_STATUS_TO_ORDER_STATUS['확인']).toBe(OrderStatus.ACCEPTED);
    expect(KIWOOM_STATUS_TO_ORDER_STATUS['filled']).toBe(OrderStatus.FILLED);
    expect(KIWOOM_STATUS_TO_ORDER_STATUS['0']).toBeUndefined();
    expect(kiwoomOrderStatus('error')).toBe(OrderStatus.UNKNOWN);
  });

  it.each([
    ['a refusal', { return_code: 3, return_msg: '[8005:Token이 유효하지 않습니다]' }, 'rejected'],
    ['no return_code', { acnt_ord_cntr_prps_dtl: [] }, 'malformed'],
    ['a non-list', { return_code: 0, acnt_ord_cntr_prps_dtl: {} }, 'malformed'],
    ['a row without ord_qty', { return_code: 0, acnt_ord_cntr_prps_dtl: [{ ord_no: '1' }] }, 'malformed'],
    ['a non-object row', { return_code: 0, acnt_ord_cntr_prps_dtl: [null] }, 'malformed'],
    ['a text body', 'x', 'malformed'],
  ])('reads %s as %s', (_label, body, kind) => {
    expect(parseKiwoomOrderDetails(body)).toMatchObject({ kind });
  });

  it('reads a missing list as no orders and computes a missing remaining quantity', () => {
    expect(parseKiwoomOrderDetails({ return_code: 0 })).toEqual({
      kind: 'ok',
      orders: [],
      continuation: { more: false, nextKey: '' },
    });
    expect(
      parseKiwoomOrderDetails({
        return_code: 0,
        acnt_ord_cntr_prps_dtl: [{ ord_no: '1', ord_qty: '4', cntr_qty: '+1' }],
      }),
    ).toMatchObject({
      kind: 'ok',
      orders: [{ quantities: { ordered: 4, filled: 1, remaining: 3, acceptance: '' } }],
    });
  });
});
