import {
  AccountNotFoundError,
  AuthenticationError,
  BrokerUnavailableError,
  Decimal,
  OrderSide,
  OrderStatus,
  OrderType,
  RateLimitExceededError,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { ScriptedRestClient } from '../../../test/scripted-rest-client';
import { KiwoomOrderAdapter } from './kiwoom-order-adapter';
import { KiwoomRestBrokerGateway } from './kiwoom-rest-broker-gateway';

const NOW = new Date('2026-11-30T03:00:00Z'); // 12:00 KST, Monday
const ACCOUNT = '81234567';

function aGateway(client: ScriptedRestClient, maxPages?: number) {
  const orders = new KiwoomOrderAdapter(client, { accountId: ACCOUNT, clock: () => NOW });
  return new KiwoomRestBrokerGateway({ brokerId: 'kiwoom', client, orders, clock: () => NOW, newClientOrderId: () => 'generated-1', ...(maxPages === undefined ? {} : { maxPages }) });
}

const ok = (fields: Record<string, unknown>, headers?: Record<string, string>) => ({
  status: 200,
  body: { return_code: 0, return_msg: '정상적으로 처리되었습니다', ...fields },
  ...(headers ? { headers } : {}),
});
const more = (key: string) => ({ 'cont-yn': 'Y', 'next-key': key });

const INFO = ok({ stk_cd: '005930', stk_nm: '삼성전자', cur_prc: '-70100', pred_pre: '-200', flu_rt: '-0.28', open_pric: '+70500', high_pric: '+70900', low_pric: '-69800', base_pric: '70300', trde_qty: '1234567' });
const BOOK = ok({ sel_fpr_bid: '+70200', buy_fpr_bid: '-70100', sel_fpr_req: '150', buy_fpr_req: '320' });

function dayRows(from: Date, count: number): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = [];
  for (let at = from.getTime(); rows.length < count; at -= 86_400_000) {
    const weekday = new Date(at).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    rows.push({ dt: new Date(at).toISOString().slice(0, 10).replace(/-/g, ''), open_pric: '+70000', high_pric: '+71000', low_pric: '-69000', cur_prc: '+70500', trde_qty: '100' });
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
    rows.push({ cntr_tm: `${day}${hh}${mm}00`, cur_prc: '-70100', open_pric: '+70000', high_pric: '+70200', low_pric: '-69900', trde_qty: '10' });
  }
  return rows;
}

describe('KiwoomRestBrokerGateway', () => {
  it('reads a quote from ka10001 and ka10004, prices without their direction sign', async () => {
    const client = new ScriptedRestClient().answer(INFO, BOOK);

    const quote = await aGateway(client).getQuote('005930');

    expect(client.calls.map((call) => [call.operation, call.path, call.apiId, call.payload])).toEqual([
      ['getQuote', '/api/dostk/stkinfo', 'ka10001', { stk_cd: '005930' }],
      ['getQuote', '/api/dostk/mrkcond', 'ka10004', { stk_cd: '005930' }],
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

  it('answers SymbolNotFoundError for a symbol Kiwoom does not know, by code [1902] or by an empty price', async () => {
    const client = new ScriptedRestClient()
      .answerJson({ return_code: 20, return_msg: '[1902:종목정보가 존재하지 않습니다]' })
      .answer(ok({ cur_prc: '' }));
    const gateway = aGateway(client);

    await expect(gateway.getQuote('999999')).rejects.toBeInstanceOf(SymbolNotFoundError);
    await expect(gateway.getQuote('999998')).rejects.toBeInstanceOf(SymbolNotFoundError);
    expect(client.calls).toHaveLength(2);
  });

  it.each([
    [{ status: 429, body: { return_code: 5, return_msg: '허용된 요청 개수를 초과하였습니다[1700:허용된 요청 개수를 초과하였습니다. API ID=ka10001]' } }, RateLimitExceededError],
    [{ status: 200, body: { return_code: 3, return_msg: '[8005:Token이 유효하지 않습니다]' } }, AuthenticationError],
    [{ status: 200, body: { return_code: 5, return_msg: '[1634:조회 가능한 종목 수를 초과하였습니다]' } }, BrokerUnavailableError],
    [{ status: 200, body: { return_code: 0, cur_prc: '70100', pred_pre: 'x', flu_rt: '0', trde_qty: '1' } }, BrokerUnavailableError],
    [{ status: 200, body: { return_msg: 'no return_code' } }, BrokerUnavailableError],
    [{ status: 200, body: 'not json' }, BrokerUnavailableError],
  ])('maps a refused or unreadable inquiry to a domain error: %p', async (answer, errorClass) => {
    const client = new ScriptedRestClient().answer(answer);

    await expect(aGateway(client).getQuote('005930')).rejects.toBeInstanceOf(errorClass);
  });

  it('lists KOSPI and KOSDAQ symbols over every page of ka10099, skipping codes that are not KRX short codes', async () => {
    const client = new ScriptedRestClient()
      .answer(ok({ list: [{ code: '005930', name: '삼성전자', marketName: '거래소', upName: '전기전자' }, { code: 'Q500001', name: 'ETN' }] }, more('K1')))
      .answer(ok({ list: [{ code: '000660', name: 'SK하이닉스' }, { code: '000670', name: '' }] }, { 'cont-yn': 'N', 'next-key': '' }))
      .answer(ok({ list: [{ code: '196170', name: '알테오젠', upName: '' }] }));

    const symbols = await aGateway(client).getSymbols();

    expect(symbols.map((symbol) => symbol.toJSON())).toEqual([
      { code: '005930', name: '삼성전자', market: 'KOSPI', sector: '전기전자' },
      { code: '000660', name: 'SK하이닉스', market: 'KOSPI' },
      { code: '196170', name: '알테오젠', market: 'KOSDAQ' },
    ]);
    expect(client.calls.map((call) => [call.apiId, call.payload['mrkt_tp'], call.continuation])).toEqual([
      ['ka10099', '0', undefined],
      ['ka10099', '0', { 'cont-yn': 'Y', 'next-key': 'K1' }],
      ['ka10099', '10', undefined],
    ]);
  });

  it('pages daily bars backwards with next-key until the start is covered', async () => {
    const first = dayRows(new Date('2026-11-30T00:00:00Z'), 100);
    const second = dayRows(new Date('2026-07-13T00:00:00Z'), 40);
    const client = new ScriptedRestClient()
      .answer(ok({ stk_dt_pole_chart_qry: [...first, { dt: '' }] }, more('D2')))
      .answer(ok({ stk_dt_pole_chart_qry: second }, more('D3')));

    const candles = await aGateway(client).getCandles('005930', '1d', new Date('2026-06-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));

    expect(client.calls.map((call) => [call.apiId, call.payload['base_dt'], call.continuation?.['next-key']])).toEqual([
      ['ka10081', '20261130', undefined],
      ['ka10081', '20261130', 'D2'],
    ]);
    expect(candles[0].timestamp.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(candles[candles.length - 1].timestamp.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(candles[0].toJSON()).toMatchObject({ open: '70000', high: '71000', low: '69000', close: '70500', volume: 100 });
  });

  it('reads weekly bars from ka10082 at the Monday session open', async () => {
    const client = new ScriptedRestClient().answer(ok({ stk_stk_pole_chart_qry: [{ dt: '20261127', open_pric: '1', high_pric: '2', low_pric: '1', cur_prc: '2', trde_qty: '5' }] }));

    const [week] = await aGateway(client).getCandles('005930', '1w', new Date('2026-11-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));

    expect(client.calls[0].apiId).toBe('ka10082');
    expect(week.timestamp.toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('asks ka10080 for the timeframe itself and pages minutes until the start', async () => {
    const client = new ScriptedRestClient()
      .answer(ok({ stk_min_pole_chart_qry: minuteRows('20261130', 11, 59, 120) }, more('M2')))
      .answer(ok({ stk_min_pole_chart_qry: minuteRows('20261130', 9, 59, 60) }, more('M3')));

    const candles = await aGateway(client).getCandles('005930', '1m', new Date('2026-11-30T00:00:00Z'), new Date('2026-11-30T02:59:00Z'));

    expect(client.calls.map((call) => [call.payload['tic_scope'], call.continuation?.['next-key']])).toEqual([
      ['1', undefined],
      ['1', 'M2'],
    ]);
    expect(candles).toHaveLength(180);
    expect(candles[0].timestamp.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(candles[0].toJSON()).toMatchObject({ close: '70100', low: '69900' });
  });

  it('refuses an answer of more pages than the bound rather than answer partly', async () => {
    const client = new ScriptedRestClient()
      .answer(ok({ stk_min_pole_chart_qry: minuteRows('20261130', 11, 59, 60) }, more('M2')))
      .answer(ok({ stk_min_pole_chart_qry: minuteRows('20261130', 10, 59, 60) }, more('M3')));

    await expect(aGateway(client, 2).getCandles('005930', '5m', new Date('2026-11-30T00:00:00Z'), new Date('2026-11-30T02:59:00Z'))).rejects.toThrow(
      /more than 2 pages/,
    );
    expect(client.calls[0].payload['tic_scope']).toBe('5');
  });

  it('reads the balance from kt00001 and every page of kt00018', async () => {
    const holding = (stk_cd: string, rmnd_qty: string) => ({ stk_cd, stk_nm: stk_cd === 'A005930' ? '삼성전자' : '', rmnd_qty, pur_pric: '70000', cur_prc: '+71000' });
    const client = new ScriptedRestClient()
      .answer(ok({ entr: '1000000', ord_alow_amt: '900000' }))
      .answer(ok({ prsm_dpst_aset_amt: '1710000', acnt_evlt_remn_indv_tot: [holding('A005930', '10')] }, more('B2')))
      .answer(ok({ prsm_dpst_aset_amt: '1710000', acnt_evlt_remn_indv_tot: [holding('A000660', '0')] }));

    const balance = await aGateway(client).getBalance(ACCOUNT);

    expect(balance.toJSON()).toEqual({ accountId: ACCOUNT, totalEquity: '1710000', cashBalance: '1000000', buyingPower: '900000', currency: 'KRW' });
    expect(client.calls.map((call) => [call.apiId, call.payload, call.continuation])).toEqual([
      ['kt00001', { qry_tp: '3' }, undefined],
      ['kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' }, undefined],
      ['kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' }, { 'cont-yn': 'Y', 'next-key': 'B2' }],
    ]);
  });

  it('lists the held positions with the A prefix of the code removed', async () => {
    const client = new ScriptedRestClient().answer(
      ok({ prsm_dpst_aset_amt: '0', acnt_evlt_remn_indv_tot: [{ stk_cd: 'A005930', stk_nm: '삼성전자', rmnd_qty: '10', pur_pric: '70000', cur_prc: '-71000' }, { stk_cd: '', rmnd_qty: '3', cur_prc: '1' }] }),
    );

    const positions = await aGateway(client).getPositions(ACCOUNT);

    expect(positions.map((position) => position.toJSON())).toEqual([
      expect.objectContaining({ accountId: ACCOUNT, symbol: '005930', symbolName: '삼성전자', quantity: 10, avgPrice: '70000', currentPrice: '71000', unrealizedPnl: '10000' }),
    ]);
    expect(client.calls[0].operation).toBe('getPositions');
  });

  it('answers a balance refusal as the domain error of a read, and refuses another account before asking', async () => {
    const refused = new ScriptedRestClient().answerJson({ return_code: 2, return_msg: '[8030:실전/모의투자 구분이 맞지 않습니다]' });
    const empty = new ScriptedRestClient();

    await expect(aGateway(refused).getBalance(ACCOUNT)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(aGateway(empty).getBalance('89999999')).rejects.toBeInstanceOf(AccountNotFoundError);
    expect(empty.calls).toHaveLength(0);
  });

  it('places a buy through kt10000 and answers an ACCEPTED order', async () => {
    const client = new ScriptedRestClient().answer(ok({ ord_no: '0000007', dmst_stex_tp: 'KRX' }));

    const order = await aGateway(client).placeOrder({ accountId: ACCOUNT, symbol: '005930', side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 2, price: new Decimal('70000') });

    expect(order).toMatchObject({ id: '0000007', clientOrderId: 'generated-1', status: OrderStatus.ACCEPTED, brokerId: 'kiwoom', quantity: 2 });
    expect(client.calls[0]).toMatchObject({ apiId: 'kt10000', path: '/api/dostk/ordr', payload: { stk_cd: '005930', ord_qty: '2', ord_uv: '70000', dmst_stex_tp: 'KRX' } });
  });
});
