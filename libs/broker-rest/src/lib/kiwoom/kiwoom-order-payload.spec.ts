import { Decimal, InvalidOrderError, OrderRequest, OrderSide, OrderType } from '@qts/broker-domain';
import limitBuyFixture from './fixtures/kt10000-limit-buy.request.json';
import marketSellFixture from './fixtures/kt10001-market-sell.request.json';
import cancelFixture from './fixtures/kt10003-cancel.request.json';
import { buildKiwoomCancelPayload, buildKiwoomOrderPayload } from './kiwoom-order-payload';

function aRequest(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: 'c-1',
    brokerId: 'kiwoom',
    accountId: '8080-1234',
    symbol: '005930',
    side: OrderSide.BUY,
    orderType: OrderType.LIMIT,
    quantity: 10,
    price: new Decimal('70100'),
    ...overrides,
  };
}

describe('buildKiwoomOrderPayload', () => {
  it('builds a limit buy: POST /api/dostk/ordr, api-id kt10000, trde_tp 0, strings', () => {
    expect(buildKiwoomOrderPayload(aRequest())).toEqual({
      path: '/api/dostk/ordr',
      apiId: 'kt10000',
      body: limitBuyFixture,
    });
  });

  it("builds a market sell: api-id kt10001, trde_tp 3, ord_uv ''", () => {
    const call = buildKiwoomOrderPayload(
      aRequest({
        symbol: '000660',
        side: OrderSide.SELL,
        orderType: OrderType.MARKET,
        price: undefined,
        quantity: 3,
      }),
    );

    expect(call).toEqual({ path: '/api/dostk/ordr', apiId: 'kt10001', body: marketSellFixture });
  });

  it('routes to another venue when asked', () => {
    expect(buildKiwoomOrderPayload(aRequest(), { exchange: 'SOR' }).body.dmst_stex_tp).toBe('SOR');
  });

  it.each([
    ['an off-tick price', { price: new Decimal('70110') }],
    ['a market order with a price', { orderType: OrderType.MARKET }],
    ['a negative quantity', { quantity: -1 }],
  ])('refuses %s', (_label, overrides) => {
    expect(() => buildKiwoomOrderPayload(aRequest(overrides as Partial<OrderRequest>))).toThrow(
      InvalidOrderError,
    );
  });
});

describe('buildKiwoomCancelPayload', () => {
  it("cancels all that remains: api-id kt10003, cncl_qty '0'", () => {
    expect(buildKiwoomCancelPayload({ orderNo: '0000139', symbol: '005930' })).toEqual({
      path: '/api/dostk/ordr',
      apiId: 'kt10003',
      body: cancelFixture,
    });
  });

  it('refuses a missing order number or a malformed symbol', () => {
    expect(() => buildKiwoomCancelPayload({ orderNo: '', symbol: '005930' })).toThrow(InvalidOrderError);
    expect(() => buildKiwoomCancelPayload({ orderNo: '1', symbol: 'A005930' })).toThrow(InvalidOrderError);
  });
});
