import {
  Decimal,
  InvalidArgumentError,
  InvalidOrderError,
  OrderRequest,
  OrderSide,
  OrderType,
} from '@qts/broker-domain';
import limitBuyFixture from './fixtures/order-cash-limit-buy.request.json';
import marketSellFixture from './fixtures/order-cash-market-sell.request.json';
import cancelFixture from './fixtures/order-rvsecncl-cancel.request.json';
import { KIS_LEGACY_TR_IDS, KIS_TR_IDS, kisOrderTrId, kisTrIdEnvironment, kisTrIds } from './kis-endpoints';
import { buildKisCancelPayload, buildKisOrderPayload } from './kis-order-payload';

const ACCOUNT = { cano: '50012345', acntPrdtCd: '01' };

function aRequest(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: 'c-1',
    brokerId: 'kis',
    accountId: '50012345-01',
    symbol: '005930',
    side: OrderSide.BUY,
    orderType: OrderType.LIMIT,
    quantity: 10,
    price: new Decimal('70100'),
    ...overrides,
  };
}

describe('buildKisOrderPayload', () => {
  it('builds the order-cash body of a limit buy: ORD_DVSN 00, strings for quantity and price', () => {
    expect(buildKisOrderPayload(aRequest(), ACCOUNT)).toEqual(limitBuyFixture);
  });

  it('builds the body of a market sell: ORD_DVSN 01, ORD_UNPR "0", SLL_TYPE 01', () => {
    const body = buildKisOrderPayload(
      aRequest({
        symbol: '000660',
        side: OrderSide.SELL,
        orderType: OrderType.MARKET,
        price: undefined,
        quantity: 3,
      }),
      ACCOUNT,
    );

    expect(body).toEqual(marketSellFixture);
  });

  it('writes large prices in plain notation, never in exponent form', () => {
    const body = buildKisOrderPayload(aRequest({ price: new Decimal('1.234e6') }), ACCOUNT);

    expect(body.ORD_UNPR).toBe('1234000');
  });

  it.each([
    ['a price off the KRX tick grid', { price: new Decimal('70150') }, 'price'],
    ['a limit order without price', { price: undefined }, 'price'],
    ['a market order with a price', { orderType: OrderType.MARKET }, 'price'],
    ['a fractional quantity', { quantity: 1.5 }, 'quantity'],
    ['a zero quantity', { quantity: 0 }, 'quantity'],
    ['a malformed symbol', { symbol: '5930' }, 'symbol'],
    ['no clientOrderId', { clientOrderId: '' }, 'clientOrderId'],
  ])('refuses %s', (_label, overrides, field) => {
    expect(() => buildKisOrderPayload(aRequest(overrides as Partial<OrderRequest>), ACCOUNT)).toThrow(
      expect.objectContaining({ constructor: InvalidOrderError, field }),
    );
  });

  it('refuses a malformed account', () => {
    expect(() => buildKisOrderPayload(aRequest(), { cano: '5001234', acntPrdtCd: '01' })).toThrow(
      InvalidArgumentError,
    );
    expect(() => buildKisOrderPayload(aRequest(), { cano: '50012345', acntPrdtCd: '1' })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('buildKisCancelPayload', () => {
  it('cancels all that remains: RVSE_CNCL_DVSN_CD 02, QTY_ALL_ORD_YN Y, ORD_QTY and ORD_UNPR "0"', () => {
    expect(buildKisCancelPayload({ orderNo: '0000117057', branchNo: '91252' }, ACCOUNT)).toEqual(
      cancelFixture,
    );
  });

  it('quotes the original order division', () => {
    expect(
      buildKisCancelPayload({ orderNo: '1', branchNo: '2', orderDivision: '01' }, ACCOUNT).ORD_DVSN,
    ).toBe('01');
  });

  it('refuses a missing order or branch number', () => {
    expect(() => buildKisCancelPayload({ orderNo: '', branchNo: '91252' }, ACCOUNT)).toThrow(
      InvalidOrderError,
    );
    expect(() => buildKisCancelPayload({ orderNo: '0000117057', branchNo: '' }, ACCOUNT)).toThrow(
      InvalidOrderError,
    );
  });
});

describe('KIS tr_id selection', () => {
  it.each([
    [OrderSide.BUY, false, 'TTTC0012U'],
    [OrderSide.SELL, false, 'TTTC0011U'],
    [OrderSide.BUY, true, 'VTTC0012U'],
    [OrderSide.SELL, true, 'VTTC0011U'],
  ])('%s on paper=%s is %s', (side, paper, trId) => {
    expect(kisOrderTrId(side, { paper })).toBe(trId);
  });

  it('keeps the older tr_ids as documented aliases', () => {
    expect(kisOrderTrId(OrderSide.BUY, { paper: false, legacyTrIds: true })).toBe('TTTC0802U');
    expect(kisOrderTrId(OrderSide.SELL, { paper: false, legacyTrIds: true })).toBe('TTTC0801U');
    expect(kisTrIds({ paper: true, legacyTrIds: true })).toBe(KIS_LEGACY_TR_IDS.paper);
    expect(kisTrIds({ paper: false }).cancel).toBe('TTTC0013U');
    expect(kisTrIds({ paper: true }).cancel).toBe('VTTC0013U');
  });

  it('tells paper tr_ids from real ones', () => {
    for (const id of Object.values(KIS_TR_IDS.paper)) expect(kisTrIdEnvironment(id)).toBe('paper');
    for (const id of Object.values(KIS_TR_IDS.real)) expect(kisTrIdEnvironment(id)).toBe('real');
    expect(kisTrIdEnvironment('FHKST03010100')).toBeUndefined();
  });
});
