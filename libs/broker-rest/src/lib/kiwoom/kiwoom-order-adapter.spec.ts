import {
  AuthenticationError,
  BrokerUnavailableError,
  Decimal,
  FailSafeCode,
  failSafeCodeForError,
  InvalidArgumentError,
  InvalidOrderError,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRequest,
  OrderSide,
  OrderStatus,
  OrderType,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { RestTransportError } from '../http/rest-transport-error';
import { ScriptedRestClient } from '../../../test/scripted-rest-client';
import details from './fixtures/kt00007-order-details.json';
import accepted from './fixtures/kt10000-accepted.json';
import limitBuyFixture from './fixtures/kt10000-limit-buy.request.json';
import otherLimit from './fixtures/kt10000-other-limit-1634.json';
import rateLimited from './fixtures/kt10000-rate-limited.json';
import tokenInvalid from './fixtures/kt10000-token-invalid.json';
import unknownSymbol from './fixtures/kt10000-unknown-symbol.json';
import cancelAccepted from './fixtures/kt10003-accepted.json';
import cancelFixture from './fixtures/kt10003-cancel.request.json';
import { KiwoomOrderAdapter } from './kiwoom-order-adapter';

/** 2025-03-03 09:00:30 KST. */
const NOW = new Date('2025-03-03T00:00:30Z');

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

function anAdapter(client: ScriptedRestClient): KiwoomOrderAdapter {
  return new KiwoomOrderAdapter(client, { accountId: '8080-1234', clock: () => NOW });
}

function detailsOf(orderNo: string): { status: number; body: unknown } {
  return {
    status: 200,
    body: {
      ...details,
      acnt_ord_cntr_prps_dtl: details.acnt_ord_cntr_prps_dtl.filter((row) => row.ord_no === orderNo),
    },
  };
}

describe('KiwoomOrderAdapter.placeOrder', () => {
  it('posts kt10000 with the order body and answers ACCEPTED with ord_no', async () => {
    const client = new ScriptedRestClient().answerJson(accepted);
    const adapter = anAdapter(client);

    const response = await adapter.placeOrder(aRequest());

    expect(adapter.brokerId).toBe('kiwoom');
    expect(client.calls).toEqual([
      { operation: 'placeOrder', method: 'POST', path: '/api/dostk/ordr', apiId: 'kt10000', payload: limitBuyFixture },
    ]);
    expect(response).toEqual({
      clientOrderId: 'c-1',
      orderId: '0000139',
      accepted: true,
      status: OrderStatus.ACCEPTED,
      filledQuantity: 0,
      message: '매수주문이 완료되었습니다.',
    });
  });

  it('posts kt10001 for a sale', async () => {
    const client = new ScriptedRestClient().answerJson(accepted);

    await anAdapter(client).placeOrder(
      aRequest({ side: OrderSide.SELL, orderType: OrderType.MARKET, price: undefined }),
    );

    expect(client.calls[0]).toMatchObject({ apiId: 'kt10001', payload: { trde_tp: '3', ord_uv: '' } });
  });

  it.each([
    ['the rate limit [1700]', rateLimited, RateLimitExceededError, FailSafeCode.FS043],
    ['another limit [1634]', otherLimit, Error, FailSafeCode.FS049],
    ['an invalid token [8005]', tokenInvalid, AuthenticationError, FailSafeCode.FS045],
    ['an unknown symbol [1902]', unknownSymbol, InvalidOrderError, FailSafeCode.FS048],
  ])('throws the classified error for %s', async (_label, fixture, errorClass, code) => {
    const client = new ScriptedRestClient().answerJson(fixture);

    const error = await anAdapter(client)
      .placeOrder(aRequest())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(errorClass);
    expect(failSafeCodeForError(error)).toBe(code);
    expect((error as Error).message).toContain(fixture.return_msg);
  });

  it('answers a timeout as an unknown outcome and never sends that clientOrderId again', async () => {
    const client = new ScriptedRestClient().answer(
      new RestTransportError('timeout', 'POST /api/dostk/ordr timed out'),
    );
    const adapter = anAdapter(client);

    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    expect(client.calls).toHaveLength(1);
  });

  it('answers an unreadable 200 as an unknown outcome and a 503 as unavailable', async () => {
    const client = new ScriptedRestClient()
      .answer({ status: 200, body: { return_code: 0 } })
      .answer({ status: 503, body: '' });

    await expect(anAdapter(client).placeOrder(aRequest({ clientOrderId: 'a' }))).rejects.toBeInstanceOf(
      OrderOutcomeUnknownError,
    );
    await expect(anAdapter(client).placeOrder(aRequest({ clientOrderId: 'b' }))).rejects.toBeInstanceOf(
      BrokerUnavailableError,
    );
  });

  it('validates before sending and builds the dry-run payload', () => {
    const client = new ScriptedRestClient();
    const adapter = anAdapter(client);

    expect(adapter.buildPayload(aRequest()).endpoint).toBe('POST /api/dostk/ordr (api-id kt10000)');
    expect(() => adapter.buildPayload(aRequest({ brokerId: 'kis' }))).toThrow(/adapter of 'kiwoom'/);
    expect(() => adapter.buildPayload(aRequest({ price: new Decimal('70101') }))).toThrow(InvalidOrderError);
    expect(() => adapter.buildPayload(aRequest({ accountId: '9999-0000' }))).toThrow(/not the account of this connection/);
    expect(client.calls).toHaveLength(0);
  });
});

describe('KiwoomOrderAdapter.getOrder', () => {
  it('looks an accepted clientOrderId up with kt00007 on the day it was sent', async () => {
    const client = new ScriptedRestClient().answerJson(accepted).answer(detailsOf('0000139'));
    const adapter = anAdapter(client);
    await adapter.placeOrder(aRequest());

    const order = await adapter.getOrder({ clientOrderId: 'c-1' });

    expect(client.calls[1]).toEqual({
      operation: 'getOrderStatus',
      method: 'POST',
      path: '/api/dostk/acnt',
      apiId: 'kt00007',
      payload: {
        ord_dt: '20250303',
        qry_tp: '1',
        stk_bond_tp: '0',
        sell_tp: '0',
        stk_cd: '005930',
        fr_ord_no: '0000139',
        dmst_stex_tp: '%',
      },
    });
    expect(order).toEqual({
      clientOrderId: 'c-1',
      orderId: '0000139',
      accepted: true,
      status: OrderStatus.FILLED,
      filledQuantity: 10,
      avgFillPrice: new Decimal('70050'),
      message: 'Kiwoom order 0000139 is 체결',
    });
    expect(client.calls.some((call) => call.apiId === 'kt10002')).toBe(false);
  });

  it('never answers null for an order Kiwoom acknowledged that kt00007 does not show yet', async () => {
    const client = new ScriptedRestClient()
      .answerJson(accepted)
      .answer(detailsOf('none'))
      .answer(detailsOf('none'));
    const adapter = anAdapter(client);
    await adapter.placeOrder(aRequest());

    await expect(adapter.getOrder({ clientOrderId: 'c-1' })).resolves.toMatchObject({
      orderId: '0000139',
      status: OrderStatus.ACCEPTED,
    });
    await expect(adapter.getOrder({ orderId: '0000139' })).resolves.toMatchObject({
      clientOrderId: 'c-1',
      status: OrderStatus.ACCEPTED,
    });
  });

  it('answers null for a refused clientOrderId and refuses to guess for one it never sent', async () => {
    const client = new ScriptedRestClient().answerJson(tokenInvalid);
    const adapter = anAdapter(client);
    await expect(adapter.placeOrder(aRequest())).rejects.toThrow();

    await expect(adapter.getOrder({ clientOrderId: 'c-1' })).resolves.toBeNull();
    await expect(adapter.getOrder({ clientOrderId: 'never' })).rejects.toBeInstanceOf(NotSupportedError);
    await expect(adapter.getOrder({})).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('looks an order number up today, matching numbers without their zero padding', async () => {
    const client = new ScriptedRestClient().answer(detailsOf('0000145')).answer(detailsOf('none'));
    const adapter = anAdapter(client);

    await expect(adapter.getOrder({ orderId: '145' })).resolves.toMatchObject({
      status: OrderStatus.REJECTED,
      accepted: false,
    });
    await expect(adapter.getOrder({ orderId: '999' })).resolves.toBeNull();
  });

  it('maps a refused inquiry to a domain error', async () => {
    const client = new ScriptedRestClient().answerJson(tokenInvalid).answerJson(rateLimited);
    const adapter = anAdapter(client);

    await expect(adapter.getOrder({ orderId: '1' })).rejects.toBeInstanceOf(AuthenticationError);
    await expect(adapter.getOrder({ orderId: '1' })).rejects.toBeInstanceOf(RateLimitExceededError);
  });
});

describe('KiwoomOrderAdapter.cancelOrder', () => {
  it('looks the order up, cancels what remains with kt10003 and reads its state', async () => {
    const client = new ScriptedRestClient()
      .answer(detailsOf('0000141'))
      .answerJson(cancelAccepted)
      .answer(detailsOf('0000141'));
    const adapter = anAdapter(client);

    const response = await adapter.cancelOrder('0000141');

    expect(client.calls[1]).toEqual({
      operation: 'cancelOrder',
      method: 'POST',
      path: '/api/dostk/ordr',
      apiId: 'kt10003',
      payload: { ...cancelFixture, orig_ord_no: '0000141', stk_cd: '035420' },
    });
    expect(response).toMatchObject({ clientOrderId: '', orderId: '0000141', status: OrderStatus.PARTIAL });
    expect(response.message).toContain('cancel accepted by Kiwoom as order 0000140');
  });

  it('names the clientOrderId of an order it placed, and reports UNKNOWN when the follow-up read fails', async () => {
    const client = new ScriptedRestClient()
      .answerJson({ ...accepted, ord_no: '0000142' })
      .answer(detailsOf('0000142'))
      .answerJson(cancelAccepted)
      .answer(new RestTransportError('timeout', 'timed out'));
    const adapter = anAdapter(client);
    await adapter.placeOrder(aRequest({ symbol: '000660', side: OrderSide.SELL, orderType: OrderType.MARKET, price: undefined, quantity: 5 }));

    const response = await adapter.cancelOrder('0000142');

    expect(client.calls[2].payload).toMatchObject({ orig_ord_no: '0000142', stk_cd: '000660' });
    expect(response).toMatchObject({ accepted: true, status: OrderStatus.UNKNOWN, clientOrderId: 'c-1' });
  });

  it('refuses to cancel a final order and throws OrderNotFoundError for an order Kiwoom does not know today', async () => {
    const client = new ScriptedRestClient().answer(detailsOf('0000139')).answer(detailsOf('none'));

    await expect(anAdapter(client).cancelOrder('0000139')).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(anAdapter(client).cancelOrder('0000001')).rejects.toBeInstanceOf(OrderNotFoundError);
    expect(client.calls.map((call) => call.apiId)).toEqual(['kt00007', 'kt00007']);
  });

  it('answers a cancel lost in transport as an unknown outcome', async () => {
    const client = new ScriptedRestClient().answer(detailsOf('0000141')).answer(new RestTransportError('network', 'reset'));

    await expect(anAdapter(client).cancelOrder('0000141')).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
  });
});

describe('KiwoomOrderAdapter reconciliation without a client order id', () => {
  function detailRow(ordNo: string, overrides: Record<string, string> = {}): Record<string, string> {
    return {
      ord_no: ordNo,
      stk_cd: 'A005930',
      trde_tp: '보통',
      ord_qty: '10',
      ord_uv: '70100',
      acpt_tp: '접수',
      ord_tm: '09:00:31',
      ori_ord: '0000000',
      io_tp_nm: '현금매수',
      cntr_qty: '0',
      cntr_uv: '0',
      ord_remnq: '10',
      mdfy_cncl: '',
      ...overrides,
    };
  }

  it('matches by symbol, side, quantity, price and time over every kt00007 page, ignoring cancel rows', async () => {
    const client = new ScriptedRestClient().answer(new RestTransportError('timeout', 'timed out'));
    const adapter = anAdapter(client);
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    client
      .answer({
        status: 200,
        body: { return_code: 0, acnt_ord_cntr_prps_dtl: [detailRow('0000150', { io_tp_nm: '현금매도' })] },
        headers: { 'cont-yn': 'Y', 'next-key': 'page-2' },
      })
      .answer({
        status: 200,
        body: {
          return_code: 0,
          acnt_ord_cntr_prps_dtl: [
            detailRow('0000151'),
            detailRow('0000152', { ori_ord: '0000151', mdfy_cncl: '취소', io_tp_nm: '현금매수취소' }),
          ],
        },
        headers: { 'cont-yn': 'N' },
      });

    const found = await adapter.getOrder({ clientOrderId: 'c-1' });

    expect(found).toMatchObject({ orderId: '0000151', status: OrderStatus.ACCEPTED });
    expect(client.calls[1].payload).toMatchObject({ ord_dt: '20250303', stk_cd: '005930', sell_tp: '2', fr_ord_no: '' });
    expect(client.calls[2].continuation).toEqual({ 'cont-yn': 'Y', 'next-key': 'page-2' });
  });

  it('leaves two identical orders ambiguous', async () => {
    const client = new ScriptedRestClient().answer(new RestTransportError('timeout', 'timed out'));
    const adapter = anAdapter(client);
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    client.answerJson({ return_code: 0, acnt_ord_cntr_prps_dtl: [detailRow('0000151'), detailRow('0000153')] });

    const found = await adapter.getOrder({ clientOrderId: 'c-1' });

    expect(found).toMatchObject({ status: OrderStatus.UNKNOWN, brokerCode: 'AMBIGUOUS_MATCH' });
    expect(adapter.ambiguousMatches().map((match) => match.candidateOrderIds)).toEqual([['0000151', '0000153']]);
  });
});
