import {
  AccountNotFoundError,
  AuthenticationError,
  BrokerUnavailableError,
  Decimal,
  InvalidArgumentError,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  OrderSide,
  OrderStatus,
  OrderType,
  RateLimitExceededError,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { ScriptedRestClient } from '../../../test/scripted-rest-client';
import { RestTransportError } from '../http/rest-transport-error';
import { KIS_BUYING_POWER_REFERENCE_SYMBOL, KisRestBrokerGateway } from './kis-rest-broker-gateway';
import { KisOrderAdapter } from './kis-order-adapter';

const NOW = new Date('2026-11-30T03:00:00Z'); // 12:00 KST, Monday
const ACCOUNT = '50012345-01';

function aGateway(client: ScriptedRestClient, symbols?: string[]) {
  const orders = new KisOrderAdapter(client, { cano: '50012345', acntPrdtCd: '01', paper: true, clock: () => NOW });
  return new KisRestBrokerGateway({ brokerId: 'kis', client, orders, paper: true, clock: () => NOW, symbols, newClientOrderId: () => 'generated-1' });
}

const ok = (fields: Record<string, unknown>, headers?: Record<string, string>) => ({ status: 200, body: { rt_cd: '0', msg_cd: 'MCA00000', msg1: '정상처리 되었습니다.', ...fields }, ...(headers ? { headers } : {}) });

const PRICE = ok({ output: { stck_prpr: '70100', prdy_vrss: '-200', prdy_ctrt: '-0.28', stck_oprc: '70500', stck_hgpr: '70900', stck_lwpr: '69800', stck_sdpr: '70300', acml_vol: '1234567' } });
const BOOK = ok({ output1: { askp1: '70200', bidp1: '70100', askp_rsqn1: '150', bidp_rsqn1: '320' } });

function dailyRows(from: Date, count: number): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = [];
  for (let at = from.getTime(); rows.length < count; at -= 86_400_000) {
    const weekday = new Date(at).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    rows.push({ stck_bsop_date: new Date(at).toISOString().slice(0, 10).replace(/-/g, ''), stck_oprc: '70000', stck_hgpr: '71000', stck_lwpr: '69000', stck_clpr: '70500', acml_vol: '100' });
  }
  return rows;
}

function minuteRows(day: string, fromHour: number, fromMinute: number, count: number): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = [];
  for (let offset = 0; offset < count; offset++) {
    const minutes = fromHour * 60 + fromMinute - offset;
    if (minutes < 9 * 60) break;
    const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
    const mm = String(minutes % 60).padStart(2, '0');
    rows.push({ stck_bsop_date: day, stck_cntg_hour: `${hh}${mm}00`, stck_prpr: '70100', stck_oprc: '70000', stck_hgpr: '70200', stck_lwpr: '69900', cntg_vol: '10' });
  }
  return rows;
}

describe('KisRestBrokerGateway', () => {
  it('reads a quote from inquire-price and the order book', async () => {
    const client = new ScriptedRestClient().answer(PRICE, BOOK);

    const quote = await aGateway(client).getQuote('005930');

    expect(client.calls.map((call) => [call.operation, call.apiId, call.payload])).toEqual([
      ['getQuote', 'FHKST01010100', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' }],
      ['getQuote', 'FHKST01010200', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' }],
    ]);
    expect(quote.toJSON()).toEqual({
      symbol: '005930',
      price: '70100',
      open: '70500',
      high: '70900',
      low: '69800',
      previousClose: '70300',
      change: '-200',
      changeRate: '-0.28',
      bid: '70100',
      ask: '70200',
      bidSize: 320,
      askSize: 150,
      volume: 1234567,
      timestamp: NOW.toISOString(),
    });
  });

  it('answers SymbolNotFoundError for a code KIS does not list, by code or by an empty price', async () => {
    const client = new ScriptedRestClient().answerJson({ rt_cd: '1', msg_cd: 'APBK0656', msg1: '해당종목정보가 없습니다.' }).answer(ok({ output: { stck_prpr: '' } }));
    const gateway = aGateway(client);

    await expect(gateway.getQuote('999999')).rejects.toBeInstanceOf(SymbolNotFoundError);
    await expect(gateway.getQuote('999998')).rejects.toBeInstanceOf(SymbolNotFoundError);
    await expect(gateway.getQuote('5930')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it.each([
    [{ status: 500, body: { rt_cd: '1', msg_cd: 'EGW00201', msg1: '초당 거래건수를 초과하였습니다.' } }, RateLimitExceededError],
    [{ status: 200, body: { rt_cd: '1', msg_cd: 'EGW00123', msg1: '기간이 만료된 token 입니다.' } }, AuthenticationError],
    [{ status: 200, body: { rt_cd: '1', msg_cd: 'OPSQ0002', msg1: '없는 서비스 코드 입니다.' } }, BrokerUnavailableError],
    [{ status: 200, body: { rt_cd: '0', output: { stck_prpr: '70100', prdy_vrss: 'x' } } }, BrokerUnavailableError],
    [{ status: 200, body: 'not json' }, BrokerUnavailableError],
    [{ status: 200, body: { msg1: 'no rt_cd' } }, BrokerUnavailableError],
    [new RestTransportError('timeout', 'GET timed out'), Error],
  ])('maps a refused or unreadable inquiry to a domain error: %p', async (answer, errorClass) => {
    const client = new ScriptedRestClient().answer(answer);

    await expect(aGateway(client).getQuote('005930')).rejects.toBeInstanceOf(errorClass);
  });

  it('lists the configured symbols with search-stock-info, once a day', async () => {
    const client = new ScriptedRestClient()
      .answer(ok({ output: { prdt_abrv_name: '삼성전자', prdt_eng_abrv_name: 'SamsungElec', mket_id_cd: 'STK', idx_bztp_mcls_cd_name: '전기전자' } }))
      .answer(ok({ output: { prdt_abrv_name: '알테오젠', mket_id_cd: 'KSQ' } }));
    const gateway = aGateway(client, ['005930', '196170', '005930']);

    const symbols = await gateway.getSymbols();
    const again = await gateway.getSymbols();

    expect(symbols.map((symbol) => symbol.toJSON())).toEqual([
      { code: '005930', name: '삼성전자', market: 'KOSPI', sector: '전기전자', englishName: 'SamsungElec' },
      { code: '196170', name: '알테오젠', market: 'KOSDAQ' },
    ]);
    expect(again).toEqual(symbols);
    expect(client.calls.map((call) => call.payload)).toEqual([{ PRDT_TYPE_CD: '300', PDNO: '005930' }, { PRDT_TYPE_CD: '300', PDNO: '196170' }]);
  });

  it('says how to list symbols when none are configured, and refuses a malformed one', async () => {
    await expect(aGateway(new ScriptedRestClient()).getSymbols()).rejects.toBeInstanceOf(NotSupportedError);
    expect(() => aGateway(new ScriptedRestClient(), ['5930'])).toThrow(/symbols\[0\]/);
    const notDescribed = new ScriptedRestClient().answer(ok({ output: { prdt_abrv_name: '', mket_id_cd: '' } }));
    await expect(aGateway(notDescribed, ['005930']).getSymbols()).rejects.toBeInstanceOf(SymbolNotFoundError);
  });

  it('pages daily bars backwards by date, 100 rows a call, until the start', async () => {
    const first = dailyRows(new Date('2026-11-30T00:00:00Z'), 100);
    const second = dailyRows(new Date('2026-07-13T00:00:00Z'), 40);
    const client = new ScriptedRestClient().answer(ok({ output2: [...first, { stck_bsop_date: '' }] })).answer(ok({ output2: second }));

    const candles = await aGateway(client).getCandles('005930', '1d', new Date('2026-06-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));

    expect(client.calls.map((call) => [call.payload['FID_INPUT_DATE_1'], call.payload['FID_INPUT_DATE_2'], call.payload['FID_PERIOD_DIV_CODE']])).toEqual([
      ['20260601', '20261130', 'D'],
      ['20260601', `${first[first.length - 1].stck_bsop_date.slice(0, 6)}${String(Number(first[first.length - 1].stck_bsop_date.slice(6)) - 1).padStart(2, '0')}`, 'D'],
    ]);
    expect(candles[0].timestamp.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(candles[candles.length - 1].timestamp.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(candles.every((candle, i) => i === 0 || candle.timestamp > candles[i - 1].timestamp)).toBe(true);
  });

  it('reads weekly bars at the Monday session open', async () => {
    const client = new ScriptedRestClient().answer(ok({ output2: [{ stck_bsop_date: '20261127', stck_oprc: '1', stck_hgpr: '2', stck_lwpr: '1', stck_clpr: '2', acml_vol: '5' }] }));

    const [week] = await aGateway(client).getCandles('005930', '1w', new Date('2026-11-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));

    expect(client.calls[0].payload['FID_PERIOD_DIV_CODE']).toBe('W');
    expect(week.timestamp.toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('pages minute bars backwards by time within each day and combines them into 15-minute bars', async () => {
    const client = new ScriptedRestClient()
      .answer(ok({ output2: minuteRows('20261130', 11, 59, 120) }))
      .answer(ok({ output2: minuteRows('20261130', 9, 59, 120) }));

    const candles = await aGateway(client).getCandles('005930', '15m', new Date('2026-11-30T00:00:00Z'), new Date('2026-11-30T02:59:00Z'));

    expect(client.calls.map((call) => [call.payload['FID_INPUT_DATE_1'], call.payload['FID_INPUT_HOUR_1']])).toEqual([
      ['20261130', '115900'],
      ['20261130', '095900'],
    ]);
    expect(candles).toHaveLength(12);
    expect(candles[0]).toMatchObject({ timeframe: '15m', volume: 150 });
    expect(candles[0].timestamp.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('stops paging minutes when KIS runs on into the previous day', async () => {
    const client = new ScriptedRestClient().answer(ok({ output2: [...minuteRows('20261130', 9, 1, 2), ...minuteRows('20261127', 15, 29, 118)] }));

    const candles = await aGateway(client).getCandles('005930', '1m', new Date('2026-11-30T00:00:00Z'), new Date('2026-11-30T00:01:00Z'));

    expect(candles.map((candle) => candle.timestamp.toISOString())).toEqual(['2026-11-30T00:00:00.000Z', '2026-11-30T00:01:00.000Z']);
    expect(client.calls).toHaveLength(1);
  });

  it('reads the balance over every page and the orderable cash', async () => {
    const holding = (pdno: string, qty: string) => ({ pdno, prdt_name: pdno === '005930' ? '삼성전자' : '', hldg_qty: qty, pchs_avg_pric: '70000.5000', prpr: '71000' });
    const totals = [{ dnca_tot_amt: '1000000', tot_evlu_amt: '1710000' }];
    const client = new ScriptedRestClient()
      .answer(ok({ output1: [holding('005930', '10')], output2: totals, ctx_area_fk100: 'FK', ctx_area_nk100: 'NK' }, { tr_cont: 'F' }))
      .answer(ok({ output1: [holding('000660', '0')], output2: totals }, { tr_cont: 'D' }))
      .answer(ok({ output: { ord_psbl_cash: '900000' } }));

    const balance = await aGateway(client).getBalance(ACCOUNT);

    expect(balance.toJSON()).toEqual({ accountId: ACCOUNT, totalEquity: '1710000', cashBalance: '1000000', buyingPower: '900000', currency: 'KRW' });
    expect(client.calls.map((call) => call.apiId)).toEqual(['VTTC8434R', 'VTTC8434R', 'VTTC8908R']);
    expect(client.calls[1]).toMatchObject({ continuation: { tr_cont: 'N' }, payload: { CTX_AREA_FK100: 'FK', CTX_AREA_NK100: 'NK', CANO: '50012345', ACNT_PRDT_CD: '01' } });
    expect(client.calls[2].payload).toMatchObject({ PDNO: KIS_BUYING_POWER_REFERENCE_SYMBOL, ORD_DVSN: '01' });
  });

  it('lists the held positions', async () => {
    const client = new ScriptedRestClient().answer(
      ok({ output1: [{ pdno: '005930', prdt_name: '삼성전자', hldg_qty: '10', pchs_avg_pric: '70000', prpr: '71000' }], output2: [{ dnca_tot_amt: '0', tot_evlu_amt: '0' }] }),
    );

    const [position] = await aGateway(client).getPositions('5001234501');

    expect(position.toJSON()).toMatchObject({ accountId: '5001234501', symbol: '005930', quantity: 10, unrealizedPnl: '10000' });
    expect(client.calls[0].operation).toBe('getPositions');
  });

  it('refuses another account before asking KIS', async () => {
    const client = new ScriptedRestClient();

    await expect(aGateway(client).getBalance('50099999-01')).rejects.toBeInstanceOf(AccountNotFoundError);
    expect(client.calls).toHaveLength(0);
  });

  it('places through the order adapter and answers an ACCEPTED Order with a generated clientOrderId', async () => {
    const client = new ScriptedRestClient().answerJson({ rt_cd: '0', msg_cd: '40600000', msg1: '모의투자 매수주문이 완료 되었습니다.', output: { KRX_FWDG_ORD_ORGNO: '91252', ODNO: '0000000007', ORD_TMD: '120000' } });

    const order = await aGateway(client).placeOrder({ accountId: ACCOUNT, symbol: '005930', side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 1, price: new Decimal('70000') });

    expect(order).toMatchObject({ id: '0000000007', clientOrderId: 'generated-1', status: OrderStatus.ACCEPTED, brokerId: 'kis' });
    expect(client.calls[0].apiId).toBe('VTTC0012U');
  });

  it('answers a refusal with an unknown code as OrderRejectedError (a domain error)', async () => {
    const client = new ScriptedRestClient().answerJson({ rt_cd: '1', msg_cd: 'APBK9998', msg1: '처리할 수 없는 주문입니다.' });

    const error = await aGateway(client).placeOrder({ accountId: ACCOUNT, symbol: '005930', side: OrderSide.BUY, orderType: OrderType.MARKET, quantity: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OrderRejectedError);
    expect((error as OrderRejectedError).brokerCode).toBe('APBK9998');
  });

  it('finds orders by number and by clientOrderId, never calling an ambiguous one absent', async () => {
    const row = (odno: string, tmd = '120000') => ({ ord_dt: '20261130', ord_gno_brno: '91252', odno, orgn_odno: '', sll_buy_dvsn_cd: '02', pdno: '005930', ord_qty: '1', ord_unpr: '70000', ord_tmd: tmd, tot_ccld_qty: '0', cncl_yn: 'N', ord_dvsn_cd: '00', cnc_cfrm_qty: '0', rmn_qty: '1', rjct_qty: '0' });
    const client = new ScriptedRestClient()
      .answer(ok({ output1: [row('0000000007')] }))
      .answer(ok({ output1: [] }))
      .answer(new RestTransportError('timeout', 'timed out'))
      .answer(ok({ output1: [row('0000000008'), row('0000000009', '120001')] }));
    const gateway = aGateway(client);

    const found = await gateway.getOrderStatus('7');
    await expect(gateway.getOrderStatus('0000000099')).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(gateway.placeOrder({ accountId: ACCOUNT, symbol: '005930', side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 1, price: new Decimal('70000'), clientOrderId: 'c-9' })).rejects.toBeInstanceOf(OrderOutcomeUnknownError);

    expect(found).toMatchObject({ id: '0000000007', status: OrderStatus.ACCEPTED, side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 1 });
    expect(found.createdAt.toISOString()).toBe('2026-11-30T03:00:00.000Z');
    await expect(gateway.findOrderByClientOrderId('c-9')).rejects.toThrow(/2 broker orders \(0000000008, 0000000009\)/);
    await expect(gateway.findOrderByClientOrderId('never-sent')).rejects.toBeInstanceOf(NotSupportedError);
  });
});
