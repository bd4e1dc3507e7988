import { AccountType, BrokerType, defaultMockSymbols, Market } from '@qts/broker-domain';
import { adminClient, kiwoomClient } from '../../../test/simulator-http';
import type { SimulatedRestBrokerConfig } from '../config/rest-simulator-config';
import { RestBrokerSimulator } from '../rest-broker-simulator';

jest.setTimeout(30_000);

function kiwoomBroker(id: string, overrides: Partial<SimulatedRestBrokerConfig> = {}): SimulatedRestBrokerConfig {
  return { id, type: BrokerType.KIWOOM, port: 0, preset: 'none', ruleOverrides: [], paper: true, accounts: [{ id: '5012345601', type: AccountType.PAPER }], ...overrides };
}

describe('Kiwoom-shaped API', () => {
  let simulator: RestBrokerSimulator;
  const port = (id: string) => simulator.brokerPorts()[id];

  beforeAll(async () => {
    simulator = await RestBrokerSimulator.start({
      brokers: [kiwoomBroker('kiwoom'), kiwoomBroker('limited', { preset: 'kiwoom', ruleOverrides: [{ id: 'requests', limit: 2, windowMs: 600_000 }] })],
      adminPort: 0,
      host: '127.0.0.1',
      seed: 42,
      tokenTtlMs: 24 * 3_600_000,
      acceptedAppKeys: [],
      latencyMs: 0,
      errorRate: 0,
      errorStatus: 500,
      refuse: false,
    });
  });

  afterAll(async () => {
    await simulator.stop();
  });

  it('issues a token at /oauth2/token (au10001) with expires_dt, and names what is wrong with a token request', async () => {
    const client = kiwoomClient(port('kiwoom'), 'kw-token-key', 'first');

    const issued = await client.issueToken();
    const noSecret = await client.issueToken({ secretkey: '' });
    const otherSecret = await client.issueToken({ secretkey: 'second' });
    const grant = await client.issueToken({ grant_type: 'password' });

    expect(issued.body).toMatchObject({ return_code: 0, token_type: 'bearer' });
    expect(issued.body['token']).toMatch(/^sim-/);
    expect(issued.body['expires_dt']).toMatch(/^\d{14}$/);
    expect(noSecret.body).toMatchObject({ return_code: 3, return_msg: expect.stringContaining('[8020:') });
    expect(otherSecret.body).toMatchObject({ return_code: 3, return_msg: expect.stringContaining('[8001:') });
    expect(grant.body['return_msg']).toContain('[8012:');
  });

  it('checks the authorization header: missing 1513, malformed 1514, unknown or expired token 8005', async () => {
    const client = kiwoomClient(port('kiwoom'), 'kw-auth-key');
    await client.issueToken();
    const info = (headers: Record<string, string>) => client.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '005930' }, headers);

    expect((await info({ authorization: '' })).body['return_msg']).toContain('[1513:');
    expect((await info({ authorization: 'Token abc def' })).body['return_msg']).toContain('[1514:');
    expect((await info({ authorization: 'Bearer sim-forged' })).body['return_msg']).toContain('[8005:');
    await adminClient(simulator.adminPort).post('/brokers/kiwoom/expire-tokens');
    expect((await info({})).body).toMatchObject({ return_code: 3, return_msg: expect.stringContaining('[8005:') });
  });

  it('answers prices with their direction sign, the order book, and 1902 for an unknown symbol', async () => {
    const client = kiwoomClient(port('kiwoom'));
    await client.issueToken();

    const info = await client.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '005930' });
    const book = await client.post('/api/dostk/mrkcond', 'ka10004', { stk_cd: '005930' });
    const unknown = await client.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '999999' });

    expect(info.body).toMatchObject({ return_code: 0, stk_cd: '005930' });
    expect(info.body['cur_prc']).toMatch(/^[+-]?\d+$/);
    expect(info.body['base_pric']).toMatch(/^\d+$/);
    expect(book.body['sel_fpr_bid']).toMatch(/^[+-]?\d+$/);
    expect(Number(book.body['sel_fpr_req'])).toBeGreaterThan(0);
    expect(unknown.body).toMatchObject({ return_code: 2, return_msg: expect.stringContaining('[1902:') });
  });

  it('pages the symbol list of a market with cont-yn and next-key headers', async () => {
    const client = kiwoomClient(port('kiwoom'));
    await client.issueToken();
    const codes: string[] = [];
    let headers: Record<string, string> = {};
    let pages = 0;
    for (;;) {
      const page = await client.post('/api/dostk/stkinfo', 'ka10099', { mrkt_tp: '0' }, headers);
      pages += 1;
      codes.push(...(page.body['list'] as Array<{ code: string }>).map((row) => row.code));
      if (page.headers['cont-yn'] !== 'Y') break;
      headers = { 'cont-yn': 'Y', 'next-key': page.headers['next-key'] };
    }

    const kospi = defaultMockSymbols().filter((symbol) => symbol.market === Market.KOSPI).map((symbol) => symbol.code);
    expect(kospi.length).toBeGreaterThan(20);
    expect(pages).toBe(Math.ceil(kospi.length / 20));
    expect(codes).toEqual(kospi);
  });

  it('places a buy (kt10000) numbered with 7 digits, lists it in kt00007 and cancels it (kt10003)', async () => {
    const client = kiwoomClient(port('kiwoom'));
    await client.issueToken();
    const info = await client.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '035720' });
    const low = String(Math.floor((Number(String(info.body['cur_prc']).replace(/^[+-]/, '')) * 0.8) / 50) * 50);

    const placed = await client.post('/api/dostk/ordr', 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '035720', ord_qty: '2', ord_uv: low, trde_tp: '0', cond_uv: '' });
    const orderNo = placed.body['ord_no'] as string;
    const cancelled = await client.post('/api/dostk/ordr', 'kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: orderNo, stk_cd: '035720', cncl_qty: '0' });
    const listed = await client.post('/api/dostk/acnt', 'kt00007', { ord_dt: '', qry_tp: '1', stk_bond_tp: '0', sell_tp: '0', stk_cd: '035720', fr_ord_no: '', dmst_stex_tp: '%' });

    expect(placed.body).toMatchObject({ return_code: 0, dmst_stex_tp: 'KRX' });
    expect(orderNo).toMatch(/^\d{7}$/);
    expect(cancelled.body).toMatchObject({ return_code: 0, base_orig_ord_no: orderNo, cncl_qty: '2' });
    const rows = listed.body['acnt_ord_cntr_prps_dtl'] as Array<Record<string, string>>;
    expect(rows.find((row) => row.ord_no === orderNo)).toMatchObject({ stk_cd: 'A035720', ord_qty: '2', ord_uv: low, io_tp_nm: '현금매수', ori_ord: '0000000' });
    expect(rows.find((row) => row.ori_ord === orderNo)).toMatchObject({ io_tp_nm: '현금매수취소', mdfy_cncl: '취소', ord_qty: '2' });
  });

  it('refuses a sell of what is not held with [2000](855057:...), and input it does not support with 1517', async () => {
    const client = kiwoomClient(port('kiwoom'));
    await client.issueToken();

    const sell = await client.post('/api/dostk/ordr', 'kt10001', { dmst_stex_tp: 'KRX', stk_cd: '000270', ord_qty: '5', ord_uv: '', trde_tp: '3' });
    const buyTooMuch = await client.post('/api/dostk/ordr', 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '100000', ord_uv: '', trde_tp: '3' });
    const venue = await client.post('/api/dostk/ordr', 'kt10000', { dmst_stex_tp: 'NXT', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3' });
    const cancelUnknown = await client.post('/api/dostk/ordr', 'kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: '9999999', stk_cd: '005930', cncl_qty: '0' });

    expect(sell.body).toMatchObject({ return_code: 20, return_msg: '[2000](855057:매도가능수량이 부족합니다.)' });
    expect(buyTooMuch.body).toMatchObject({ return_code: 20, return_msg: '[2000](855056:매수증거금이 부족합니다.)' });
    expect(venue.body['return_msg']).toContain('[1517:');
    expect(cancelUnknown.body['return_msg']).toContain('(800100:');
  });

  it('answers the deposit, the holdings and the charts with paging', async () => {
    const client = kiwoomClient(port('kiwoom'));
    await client.issueToken();

    const deposit = await client.post('/api/dostk/acnt', 'kt00001', { qry_tp: '3' });
    const holdings = await client.post('/api/dostk/acnt', 'kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' });
    const minutes = await client.post('/api/dostk/chart', 'ka10080', { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1', base_dt: '20261127' });
    const older = await client.post('/api/dostk/chart', 'ka10080', { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1', base_dt: '20261127' }, { 'cont-yn': 'Y', 'next-key': minutes.headers['next-key'] });
    const weeks = await client.post('/api/dostk/chart', 'ka10082', { stk_cd: '005930', base_dt: '20261127', upd_stkpc_tp: '1' });
    const badScope = await client.post('/api/dostk/chart', 'ka10080', { stk_cd: '005930', tic_scope: '2', base_dt: '20261127' });

    expect(deposit.body['entr']).toMatch(/^\d{15}$/);
    expect(deposit.body['ord_alow_amt']).toMatch(/^\d{15}$/);
    expect(holdings.body['prsm_dpst_aset_amt']).toMatch(/^\d{15}$/);
    expect(Array.isArray(holdings.body['acnt_evlt_remn_indv_tot'])).toBe(true);
    const newest = minutes.body['stk_min_pole_chart_qry'] as Array<{ cntr_tm: string }>;
    const next = older.body['stk_min_pole_chart_qry'] as Array<{ cntr_tm: string }>;
    expect(minutes.headers['cont-yn']).toBe('Y');
    expect(newest).toHaveLength(400);
    expect(newest[0].cntr_tm.startsWith('20261127')).toBe(true);
    expect(next[0].cntr_tm < newest[newest.length - 1].cntr_tm).toBe(true);
    expect((weeks.body['stk_stk_pole_chart_qry'] as unknown[]).length).toBeGreaterThan(0);
    expect(badScope.body['return_msg']).toContain('[1517:');
  });

  it('answers its rate limit with HTTP 429, return_code 5 and [1700:...], per app key, counting violations', async () => {
    const first = kiwoomClient(port('limited'), 'kw-rate-1');
    const second = kiwoomClient(port('limited'), 'kw-rate-2');
    await first.issueToken();
    await first.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '005930' });
    const over = await first.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '005930' });
    await second.issueToken();
    const otherKey = await second.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '005930' });

    expect(over).toMatchObject({ status: 429, body: { return_code: 5, return_msg: expect.stringContaining('[1700:허용된 요청 개수를 초과하였습니다. API ID=ka10001]') } });
    expect(otherKey.body).toMatchObject({ return_code: 0 });
    const stats = (await adminClient(simulator.adminPort).stats()).body['brokers'] as Record<string, { violations: Record<string, number> }>;
    expect(stats['limited'].violations).toEqual({ requests: 1 });
  });

  it('refuses an api-id the path does not serve with 1504', async () => {
    const client = kiwoomClient(port('kiwoom'));
    await client.issueToken();

    const answer = await client.post('/api/dostk/ordr', 'ka10001', { stk_cd: '005930' });

    expect(answer.body).toMatchObject({ return_code: 2, return_msg: expect.stringContaining('[1504:') });
  });
});
