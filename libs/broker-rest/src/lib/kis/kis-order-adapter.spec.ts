import {
  AccountNotFoundError,
  AuthenticationError,
  BrokerTimeoutError,
  BrokerUnavailableError,
  Decimal,
  FailSafeCode,
  failSafeCodeForError,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  NotSupportedError,
  OrderExpiredError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  OrderRequest,
  OrderSide,
  OrderStatus,
  OrderType,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { ScriptedRestClient } from '../../../test/scripted-rest-client';
import { UnclassifiedBrokerError } from '../fail-safe/unclassified-broker-error';
import { RestTransportError } from '../http/rest-transport-error';
import { AMBIGUOUS_MATCH_CODE } from '../orders/rest-order-adapter';
import accepted from './fixtures/order-cash-accepted.json';
import acceptedPaper from './fixtures/order-cash-accepted-paper.json';
import insufficient from './fixtures/order-cash-insufficient-3005.json';
import dailyOrders from './fixtures/inquire-daily-ccld.json';
import limitBuyFixture from './fixtures/order-cash-limit-buy.request.json';
import rateLimited from './fixtures/order-cash-rate-limited.json';
import rejected1001 from './fixtures/order-cash-rejected-1001.json';
import expired from './fixtures/order-cash-token-expired.json';
import unknownCode from './fixtures/order-cash-unknown-code.json';
import cancelAccepted from './fixtures/order-rvsecncl-accepted.json';
import cancelFixture from './fixtures/order-rvsecncl-cancel.request.json';
import { KisOrderAdapter } from './kis-order-adapter';

/** 2025-03-03 12:10 KST. */
const NOW = new Date('2025-03-03T03:10:00Z');

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

function anAdapter(client: ScriptedRestClient, paper = false): KisOrderAdapter {
  return new KisOrderAdapter(client, { cano: '50012345', acntPrdtCd: '01', paper, clock: () => NOW });
}

/** The inquiry answer holding only the row of `orderNo` (KIS filters by ODNO). */
function inquiryOf(orderNo: string): { status: number; body: unknown } {
  return {
    status: 200,
    body: { ...dailyOrders, output1: dailyOrders.output1.filter((row) => row.odno === orderNo) },
  };
}

describe('KisOrderAdapter.placeOrder', () => {
  it('posts the order-cash body with the real buy tr_id and answers ACCEPTED with ODNO', async () => {
    const client = new ScriptedRestClient().answerJson(accepted);
    const adapter = anAdapter(client);

    const response = await adapter.placeOrder(aRequest());

    expect(client.calls).toEqual([
      {
        operation: 'placeOrder',
        method: 'POST',
        path: '/uapi/domestic-stock/v1/trading/order-cash',
        apiId: 'TTTC0012U',
        payload: limitBuyFixture,
      },
    ]);
    expect(response).toEqual({
      clientOrderId: 'c-1',
      orderId: '0000117057',
      accepted: true,
      status: OrderStatus.ACCEPTED,
      filledQuantity: 0,
      brokerCode: 'APBK0013',
      message: '주문 전송 완료 되었습니다.',
    });
  });

  it('hands the send-by time to the client, and answers OrderExpired (nothing placed) when it passed first', async () => {
    const sendBy = new Date('2025-03-03T03:10:05Z');
    const client = new ScriptedRestClient().answer(new OrderExpiredError('send-by passed'));
    const adapter = anAdapter(client);

    const error = await adapter.placeOrder(aRequest(), { sendBy }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OrderExpiredError);
    expect(failSafeCodeForError(error)).toBe(FailSafeCode.FS050);
    expect(client.calls[0].sendBy).toEqual(sendBy);
  });

  it('uses the paper tr_id for a paper account and the sell tr_id for a sale', async () => {
    const client = new ScriptedRestClient().answerJson(acceptedPaper);

    await anAdapter(client, true).placeOrder(aRequest({ side: OrderSide.SELL }));

    expect(client.calls[0].apiId).toBe('VTTC0011U');
  });

  it('never sends the same clientOrderId twice: a second call returns the first answer', async () => {
    const client = new ScriptedRestClient().answerJson(accepted);
    const adapter = anAdapter(client);
    await adapter.placeOrder(aRequest());

    const again = await adapter.placeOrder(aRequest());

    expect(client.calls).toHaveLength(1);
    expect(again).toMatchObject({ orderId: '0000117057', accepted: true });
  });

  it.each([
    ['1001', rejected1001, 200, OrderRejectedError, FailSafeCode.FS040],
    ['3005', insufficient, 200, InsufficientFundsError, FailSafeCode.FS041],
    ['EGW00201', rateLimited, 500, RateLimitExceededError, FailSafeCode.FS043],
    ['EGW00123', expired, 500, AuthenticationError, FailSafeCode.FS045],
    ['an unknown msg_cd', unknownCode, 200, UnclassifiedBrokerError, FailSafeCode.FS049],
  ])(
    'throws the classified error for a refusal with %s',
    async (_label, fixture, status, errorClass, code) => {
      const client = new ScriptedRestClient().answerJson(fixture, status);

      const failure = anAdapter(client).placeOrder(aRequest());

      await expect(failure).rejects.toBeInstanceOf(errorClass);
      const error = await failure.catch((e: unknown) => e);
      expect(failSafeCodeForError(error)).toBe(code);
      expect((error as Error).message).toContain(`[${fixture.msg_cd}]`);
    },
  );

  it('may send a refused clientOrderId again: nothing was placed', async () => {
    const client = new ScriptedRestClient().answerJson(rateLimited, 500).answerJson(accepted);
    const adapter = anAdapter(client);
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(RateLimitExceededError);

    await expect(adapter.placeOrder(aRequest())).resolves.toMatchObject({ accepted: true });
    expect(client.calls).toHaveLength(2);
    await expect(adapter.getOrder({ clientOrderId: 'other' })).rejects.toBeInstanceOf(NotSupportedError);
  });

  it('answers a timeout with OrderOutcomeUnknownError and never re-sends that clientOrderId', async () => {
    const client = new ScriptedRestClient().answer(
      new RestTransportError('timeout', 'POST /order-cash timed out after 5000 ms'),
    );
    const adapter = anAdapter(client);

    const failure = adapter.placeOrder(aRequest());

    await expect(failure).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(failure).rejects.toMatchObject({ clientOrderId: 'c-1' });
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    expect(client.calls).toHaveLength(1);
  });

  it('sends one request for two concurrent calls with the same clientOrderId', async () => {
    const client = new ScriptedRestClient().answerJson(accepted);
    const adapter = anAdapter(client);

    const results = await Promise.allSettled([
      adapter.placeOrder(aRequest()),
      adapter.placeOrder(aRequest()),
    ]);

    expect(client.calls).toHaveLength(1);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(OrderOutcomeUnknownError);
  });

  it('takes a BrokerTimeoutError from the client as "maybe sent", not as a refusal', async () => {
    const client = new ScriptedRestClient().answer(new BrokerTimeoutError('client-side timeout'));
    const adapter = anAdapter(client);

    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    expect(client.calls).toHaveLength(1);
  });

  it('answers a refused connection with BrokerUnavailableError and may send again', async () => {
    const client = new ScriptedRestClient()
      .answer(new RestTransportError('connection', 'POST /order-cash: could not connect (ECONNREFUSED)'))
      .answerJson(accepted);
    const adapter = anAdapter(client);

    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(adapter.placeOrder(aRequest())).resolves.toMatchObject({ accepted: true });
  });

  it('treats an exception of unknown kind from the client as an unknown outcome', async () => {
    const client = new ScriptedRestClient().answer(new Error('socket hang up'));

    await expect(anAdapter(client).placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
  });

  it('passes a domain error raised before sending (no token) through and lets the order be sent later', async () => {
    const client = new ScriptedRestClient()
      .answer(new AuthenticationError('could not obtain a KIS access token'))
      .answerJson(accepted);
    const adapter = anAdapter(client);

    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(AuthenticationError);
    await expect(adapter.placeOrder(aRequest())).resolves.toMatchObject({ accepted: true });
  });

  it.each([
    [500, '<html>Internal Server Error</html>'],
    [502, ''],
    [504, undefined],
    [200, { rt_cd: '0', msg1: 'no output' }],
  ])('answers HTTP %p with an unreadable body as an unknown outcome', async (status, body) => {
    const client = new ScriptedRestClient().answer({ status, body });

    await expect(anAdapter(client).placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
  });

  it.each([
    [503, BrokerUnavailableError],
    [401, AuthenticationError],
    [429, RateLimitExceededError],
    [400, UnclassifiedBrokerError],
  ])('answers HTTP %p without a KIS body as a definite refusal', async (status, errorClass) => {
    const client = new ScriptedRestClient().answer({ status, body: 'refused' }).answerJson(accepted);
    const adapter = anAdapter(client);

    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(errorClass);
    await expect(adapter.placeOrder(aRequest())).resolves.toMatchObject({ accepted: true });
  });

  it('validates before sending', async () => {
    const client = new ScriptedRestClient().answerJson(accepted);
    const adapter = anAdapter(client);

    await expect(adapter.placeOrder(aRequest({ price: new Decimal('70110') }))).rejects.toThrow(/tick/);
    await expect(adapter.placeOrder(aRequest({ brokerId: 'kiwoom' }))).rejects.toThrow(/adapter of 'kis'/);
    await expect(adapter.placeOrder(aRequest({ accountId: '50099999-01' }))).rejects.toBeInstanceOf(AccountNotFoundError);
    expect(client.calls).toHaveLength(0);
    // The same account written without the dash is this adapter's account.
    await expect(adapter.placeOrder(aRequest({ accountId: '5001234501' }))).resolves.toMatchObject({ accepted: true });
  });

  it('refuses a malformed account or environment at construction', () => {
    const client = new ScriptedRestClient();
    expect(() => new KisOrderAdapter(client, { cano: '1', acntPrdtCd: '01', paper: true })).toThrow(
      InvalidArgumentError,
    );
    expect(
      () =>
        new KisOrderAdapter(client, {
          cano: '50012345',
          acntPrdtCd: '01',
          paper: 'yes' as unknown as boolean,
        }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('KisOrderAdapter.getOrder', () => {
  it('looks an accepted clientOrderId up by its order number in inquire-daily-ccld', async () => {
    const client = new ScriptedRestClient().answerJson(accepted).answer(inquiryOf('0000117057'));
    const adapter = anAdapter(client);
    await adapter.placeOrder(aRequest());

    const order = await adapter.getOrder({ clientOrderId: 'c-1' });

    expect(client.calls[1]).toMatchObject({
      operation: 'getOrderStatus',
      method: 'GET',
      path: '/uapi/domestic-stock/v1/trading/inquire-daily-ccld',
      apiId: 'TTTC0081R',
      payload: {
        CANO: '50012345',
        ACNT_PRDT_CD: '01',
        ODNO: '0000117057',
        PDNO: '005930',
        INQR_STRT_DT: '20250303',
        INQR_END_DT: '20250303',
        EXCG_ID_DVSN_CD: 'KRX',
      },
    });
    expect(order).toEqual({
      clientOrderId: 'c-1',
      orderId: '0000117057',
      accepted: true,
      status: OrderStatus.FILLED,
      filledQuantity: 10,
      avgFillPrice: new Decimal('70050'),
      message: 'KIS order 0000117057 is filled',
    });
  });

  it('never answers null for an order KIS acknowledged that the inquiry does not show yet', async () => {
    const client = new ScriptedRestClient()
      .answerJson(accepted)
      .answer(inquiryOf('none'))
      .answer(inquiryOf('none'));
    const adapter = anAdapter(client);
    await adapter.placeOrder(aRequest());

    const byClientOrderId = await adapter.getOrder({ clientOrderId: 'c-1' });
    const byOrderId = await adapter.getOrder({ orderId: '0000117057' });

    for (const order of [byClientOrderId, byOrderId]) {
      expect(order).toMatchObject({
        clientOrderId: 'c-1',
        orderId: '0000117057',
        status: OrderStatus.ACCEPTED,
        accepted: true,
      });
    }
  });

  it('answers null for a clientOrderId KIS refused: no order exists', async () => {
    const client = new ScriptedRestClient().answerJson(rejected1001);
    const adapter = anAdapter(client);
    await expect(adapter.placeOrder(aRequest())).rejects.toThrow();

    await expect(adapter.getOrder({ clientOrderId: 'c-1' })).resolves.toBeNull();
  });

  it('refuses to claim that a clientOrderId it never sent does not exist', async () => {
    await expect(
      anAdapter(new ScriptedRestClient()).getOrder({ clientOrderId: 'elsewhere' }),
    ).rejects.toBeInstanceOf(NotSupportedError);
  });

  it('looks an order number up over the last days and answers null when KIS has no such order', async () => {
    const client = new ScriptedRestClient().answer(inquiryOf('0000117058')).answer(inquiryOf('none'));
    const adapter = anAdapter(client);

    await expect(adapter.getOrder({ orderId: '117058' })).resolves.toMatchObject({
      status: OrderStatus.PARTIAL,
      filledQuantity: 4,
      clientOrderId: '',
    });
    await expect(adapter.getOrder({ orderId: '0000999999', clientOrderId: 'c-x' })).resolves.toBeNull();
    expect(client.calls[0].payload).toMatchObject({ INQR_STRT_DT: '20250224', INQR_END_DT: '20250303' });
  });

  it('maps a refused or failed inquiry to a domain error', async () => {
    const client = new ScriptedRestClient()
      .answerJson(rateLimited, 500)
      .answer(new RestTransportError('timeout', 'GET timed out'))
      .answer(new RestTransportError('connection', 'GET: could not connect'))
      .answer({ status: 502, body: 'bad gateway' })
      .answer({ status: 200, body: 'not json' });
    const adapter = anAdapter(client);

    await expect(adapter.getOrder({ orderId: '1' })).rejects.toBeInstanceOf(RateLimitExceededError);
    await expect(adapter.getOrder({ orderId: '1' })).rejects.toBeInstanceOf(BrokerTimeoutError);
    await expect(adapter.getOrder({ orderId: '1' })).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(adapter.getOrder({ orderId: '1' })).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(adapter.getOrder({ orderId: '1' })).rejects.toBeInstanceOf(BrokerUnavailableError);
  });

  it('needs an orderId or a clientOrderId', async () => {
    await expect(anAdapter(new ScriptedRestClient()).getOrder({})).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe('KisOrderAdapter.cancelOrder', () => {
  it('looks the order up, cancels what remains with its branch number and division, then reads its state', async () => {
    const client = new ScriptedRestClient()
      .answer(inquiryOf('0000117058'))
      .answerJson(cancelAccepted)
      .answer(inquiryOf('0000117058'));
    const adapter = anAdapter(client);

    const response = await adapter.cancelOrder('0000117058');

    expect(client.calls.map((call) => call.operation)).toEqual(['getOrderStatus', 'cancelOrder', 'getOrderStatus']);
    expect(client.calls[1]).toEqual({
      operation: 'cancelOrder',
      method: 'POST',
      path: '/uapi/domestic-stock/v1/trading/order-rvsecncl',
      apiId: 'TTTC0013U',
      payload: { ...cancelFixture, ORGN_ODNO: '0000117058' },
    });
    expect(response).toMatchObject({ clientOrderId: '', orderId: '0000117058', status: OrderStatus.PARTIAL });
    expect(response.message).toContain('cancel accepted by KIS as order 0000117060');
  });

  it('cancels a market order of the paper account with ORD_DVSN 01 and answers UNKNOWN when the re-read fails', async () => {
    const client = new ScriptedRestClient()
      .answer(inquiryOf('0000117059'))
      .answerJson(cancelAccepted)
      .answer(new RestTransportError('timeout', 'GET timed out'));
    const adapter = anAdapter(client, true);

    const response = await adapter.cancelOrder('0000117059');

    expect(client.calls[1]).toMatchObject({
      apiId: 'VTTC0013U',
      payload: { KRX_FWDG_ORD_ORGNO: '91252', ORGN_ODNO: '0000117059', ORD_DVSN: '01' },
    });
    expect(response).toMatchObject({ accepted: true, status: OrderStatus.UNKNOWN, clientOrderId: '' });
  });

  it('refuses to cancel an order that is already final, without sending a cancel', async () => {
    const client = new ScriptedRestClient().answer(inquiryOf('0000117057'));

    const failure = anAdapter(client).cancelOrder('0000117057');

    await expect(failure).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(failure).rejects.toThrow(/FILLED and cannot be cancelled/);
    expect(client.calls).toHaveLength(1);
  });

  it('passes a failure before sending the cancel (no token) through', async () => {
    const client = new ScriptedRestClient().answer(inquiryOf('0000117058')).answer(new AuthenticationError('no token'));

    await expect(anAdapter(client).cancelOrder('0000117058')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('throws OrderNotFoundError for an order KIS does not know and refuses a malformed order number', async () => {
    const client = new ScriptedRestClient().answer(inquiryOf('none'));

    await expect(anAdapter(client).cancelOrder('0000000001')).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(anAdapter(client).cancelOrder('12a')).rejects.toBeInstanceOf(InvalidOrderError);
  });

  it('answers a cancel lost in transport as an unknown outcome and a refused cancel with its error', async () => {
    const client = new ScriptedRestClient()
      .answer(inquiryOf('0000117058'))
      .answer(new RestTransportError('network', 'reset'))
      .answer(inquiryOf('0000117058'))
      .answerJson(rejected1001)
      .answer(inquiryOf('0000117058'))
      .answer({ status: 500, body: '' })
      .answer(inquiryOf('0000117058'))
      .answer({ status: 503, body: '' });
    const adapter = anAdapter(client);

    await expect(adapter.cancelOrder('0000117058')).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(adapter.cancelOrder('0000117058')).rejects.toBeInstanceOf(OrderRejectedError);
    await expect(adapter.cancelOrder('0000117058')).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(adapter.cancelOrder('0000117058')).rejects.toBeInstanceOf(BrokerUnavailableError);
  });
});

/** An inquire-daily-ccld row of an order on 2025-03-03 (KST) for the reconciliation tests. */
function row(odno: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ord_dt: '20250303',
    ord_gno_brno: '91252',
    odno,
    orgn_odno: '',
    sll_buy_dvsn_cd: '02',
    pdno: '005930',
    ord_qty: '10',
    ord_unpr: '70100',
    ord_tmd: '121000',
    tot_ccld_qty: '0',
    avg_prvs: '0',
    cncl_yn: 'N',
    ord_dvsn_cd: '00',
    cnc_cfrm_qty: '0',
    rmn_qty: '10',
    rjct_qty: '0',
    ...overrides,
  };
}

function inquiry(...rows: Array<Record<string, string>>): { status: number; body: unknown } {
  return { status: 200, body: { rt_cd: '0', msg_cd: 'KIOK0460', msg1: '', output1: rows, ctx_area_fk100: '', ctx_area_nk100: '' } };
}

describe('KisOrderAdapter reconciliation without a client order id', () => {
  /** The order was sent at 12:10:00 KST (NOW) and timed out. */
  async function timedOut(client: ScriptedRestClient) {
    client.answer(new RestTransportError('timeout', 'POST /order-cash timed out after 5000 ms'));
    const adapter = anAdapter(client);
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    return adapter;
  }

  it('matches the one order with the same symbol, side, quantity and price near the sending time', async () => {
    const client = new ScriptedRestClient();
    const adapter = await timedOut(client);
    client.answer(
      inquiry(
        row('0000200001', { ord_tmd: '120959' }),
        row('0000200002', { ord_qty: '11' }),
        row('0000200003', { ord_unpr: '70000' }),
        row('0000200004', { ord_tmd: '100000' }),
        row('0000200005', { orgn_odno: '0000200001' }),
      ),
    );

    const found = await adapter.getOrder({ clientOrderId: 'c-1' });

    expect(found).toMatchObject({ clientOrderId: 'c-1', orderId: '0000200001', status: OrderStatus.ACCEPTED });
    expect(client.calls[1]).toMatchObject({
      operation: 'getOrderStatus',
      payload: { PDNO: '005930', SLL_BUY_DVSN_CD: '02', INQR_STRT_DT: '20250303', INQR_END_DT: '20250303', ODNO: '' },
    });
    // Adopted: the next lookup goes by order number, and the order is never sent again.
    client.answer(inquiryOf('none'));
    await expect(adapter.getOrder({ clientOrderId: 'c-1' })).resolves.toMatchObject({ orderId: '0000200001' });
    expect(client.calls[2].payload).toMatchObject({ ODNO: '0000200001' });
    await expect(adapter.placeOrder(aRequest())).resolves.toMatchObject({ orderId: '0000200001' });
    expect(client.calls).toHaveLength(3);
  });

  it('answers null when no order matches (the order never reached KIS)', async () => {
    const client = new ScriptedRestClient();
    const adapter = await timedOut(client);
    client.answer(inquiry(row('0000200002', { sll_buy_dvsn_cd: '01' }), row('0000200003', { pdno: '000660' })));

    await expect(adapter.getOrder({ clientOrderId: 'c-1' })).resolves.toBeNull();
  });

  it('leaves an ambiguous match UNKNOWN, flags it for an operator and never re-sends', async () => {
    const seen: unknown[] = [];
    const client = new ScriptedRestClient().answer(new RestTransportError('timeout', 'timed out'));
    const adapter = new KisOrderAdapter(client, {
      cano: '50012345',
      acntPrdtCd: '01',
      paper: false,
      clock: () => NOW,
      onAmbiguousMatch: (match) => seen.push(match),
    });
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    client.answer(inquiry(row('0000200001'), row('0000200002', { ord_tmd: '121030' })));

    const found = await adapter.getOrder({ clientOrderId: 'c-1' });

    expect(found).toMatchObject({
      clientOrderId: 'c-1',
      status: OrderStatus.UNKNOWN,
      brokerCode: AMBIGUOUS_MATCH_CODE,
    });
    expect(found?.orderId).toBeUndefined();
    expect(found?.message).toMatch(/ambiguous: 2 KIS orders \(0000200001, 0000200002\)/);
    expect(adapter.ambiguousMatches()).toEqual([
      { brokerId: 'kis', clientOrderId: 'c-1', candidateOrderIds: ['0000200001', '0000200002'], detectedAt: NOW },
    ]);
    expect(seen).toHaveLength(1);
    await expect(adapter.placeOrder(aRequest())).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    expect(client.calls.filter((call) => call.operation === 'placeOrder')).toHaveLength(1);
  });

  it('does not match an order that already belongs to another clientOrderId', async () => {
    const client = new ScriptedRestClient().answerJson({
      ...accepted,
      output: { ...accepted.output, ODNO: '0000200001' },
    });
    const adapter = anAdapter(client);
    await adapter.placeOrder(aRequest({ clientOrderId: 'first' }));
    client.answer(new RestTransportError('timeout', 'timed out'));
    await expect(adapter.placeOrder(aRequest({ clientOrderId: 'second' }))).rejects.toBeInstanceOf(
      OrderOutcomeUnknownError,
    );
    client.answer(inquiry(row('0000200001'), row('0000200002', { ord_tmd: '121005' })));

    await expect(adapter.getOrder({ clientOrderId: 'second' })).resolves.toMatchObject({ orderId: '0000200002' });
  });

  it('reconciles an order sent before a restart from the description the caller gives', async () => {
    const client = new ScriptedRestClient().answer(inquiry(row('0000300001', { ord_dvsn_cd: '01', ord_unpr: '0' })));
    const adapter = anAdapter(client);

    const found = await adapter.getOrder({
      clientOrderId: 'before-restart',
      placed: {
        accountId: '50012345-01',
        symbol: '005930',
        side: OrderSide.BUY,
        orderType: OrderType.MARKET,
        quantity: 10,
        sentAt: new Date('2025-03-03T03:10:01Z'),
      },
    });

    expect(found).toMatchObject({ clientOrderId: 'before-restart', orderId: '0000300001' });
  });

  it('reads every page of the inquiry (tr_cont, CTX_AREA_FK100 / NK100) before deciding', async () => {
    const client = new ScriptedRestClient();
    const adapter = await timedOut(client);
    client
      .answer({ ...inquiry(row('0000200001')), body: { ...(inquiry(row('0000200001')).body as object), ctx_area_fk100: 'F1', ctx_area_nk100: 'N1' }, headers: { tr_cont: 'F' } })
      .answer({ ...inquiry(row('0000200002', { ord_tmd: '121002' })), headers: { tr_cont: 'D' } });

    const found = await adapter.getOrder({ clientOrderId: 'c-1' });

    expect(found?.brokerCode).toBe(AMBIGUOUS_MATCH_CODE);
    expect(client.calls[2]).toMatchObject({
      continuation: { tr_cont: 'N' },
      payload: { CTX_AREA_FK100: 'F1', CTX_AREA_NK100: 'N1' },
    });
  });
});
