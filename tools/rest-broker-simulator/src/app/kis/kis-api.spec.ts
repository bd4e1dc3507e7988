import { AccountType, BrokerType } from '@qts/broker-domain';
import { adminClient, kisClient } from '../../../test/simulator-http';
import type { SimulatedRestBrokerConfig } from '../config/rest-simulator-config';
import { RestBrokerSimulator } from '../rest-broker-simulator';

jest.setTimeout(30_000);

const ACCOUNT = { CANO: '50012345', ACNT_PRDT_CD: '01' };

function kisBroker(id: string, overrides: Partial<SimulatedRestBrokerConfig> = {}): SimulatedRestBrokerConfig {
  return { id, type: BrokerType.KIS, port: 0, preset: 'none', ruleOverrides: [], paper: true, accounts: [{ id: '50012345-01', type: AccountType.PAPER }], ...overrides };
}

describe('KIS-shaped API', () => {
  let simulator: RestBrokerSimulator;
  const port = (id: string) => simulator.brokerPorts()[id];

  beforeAll(async () => {
    simulator = await RestBrokerSimulator.start({
      brokers: [
        kisBroker('kis'),
        kisBroker('limited', { preset: 'kis-paper', ruleOverrides: [{ id: 'requests', limit: 3, windowMs: 600_000 }] }),
        kisBroker('real', { paper: false, accounts: [{ id: '50012345-01', type: AccountType.REAL }] }),
      ],
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

  it('issues a ~24 h bearer token at /oauth2/tokenP with its KST expiry', async () => {
    const client = kisClient(port('kis'), 'PStoken-key');

    const answer = await client.issueToken();

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 86_400 });
    expect(answer.body['access_token']).toMatch(/^sim-[0-9a-f]{48}$/);
    expect(answer.body['access_token_token_expired']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('refuses token requests with a wrong grant type, no app key or another secret for the same key (HTTP 403)', async () => {
    const client = kisClient(port('kis'), 'PSsecret-key', 'first-secret');
    await client.issueToken();

    expect((await client.issueToken({ grant_type: 'password' })).status).toBe(403);
    expect((await client.issueToken({ appkey: '' })).body).toMatchObject({ error_code: 'EGW00103' });
    expect((await client.issueToken({ appsecret: 'another-secret' })).body).toMatchObject({ error_code: 'EGW00105' });
  });

  it('answers a quote with the inquire-price fields, and APBK0656 for an unknown symbol', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();

    const price = await client.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' });
    const book = await client.get('/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn', 'FHKST01010200', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' });
    const unknown = await client.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '999999' });

    expect(price.body).toMatchObject({ rt_cd: '0', msg_cd: 'MCA00000' });
    expect((price.body['output'] as Record<string, string>)['stck_prpr']).toMatch(/^\d+$/);
    expect(Object.keys(price.body['output'] as object)).toEqual(expect.arrayContaining(['prdy_vrss', 'prdy_ctrt', 'stck_oprc', 'stck_hgpr', 'stck_lwpr', 'stck_sdpr', 'acml_vol']));
    expect(Number((book.body['output1'] as Record<string, string>)['askp1'])).toBeGreaterThan(Number((book.body['output1'] as Record<string, string>)['bidp1']));
    expect(unknown.body).toMatchObject({ rt_cd: '1', msg_cd: 'APBK0656' });
  });

  it('checks the headers: no app key EGW00102, no token EGW00121, another secret EGW00105, a tr_id the path does not serve OPSQ0002', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();
    const path = '/uapi/domestic-stock/v1/quotations/inquire-price';
    const query = { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' };

    expect(await client.get(path, 'FHKST01010100', query, { appkey: '' })).toMatchObject({ status: 500, body: { msg_cd: 'EGW00102' } });
    expect(await client.get(path, 'FHKST01010100', query, { authorization: 'Bearer sim-forged' })).toMatchObject({ body: { rt_cd: '1', msg_cd: 'EGW00121' } });
    expect(await client.get(path, 'FHKST01010100', query, { appsecret: 'wrong' })).toMatchObject({ status: 500, body: { msg_cd: 'EGW00105' } });
    expect(await client.get(path, 'TTTC8434R', query)).toMatchObject({ status: 500, body: { msg_cd: 'OPSQ0002' } });
  });

  it('answers EGW00123 once the token expired, and a new token works', async () => {
    const client = kisClient(port('kis'), 'PSexpiry-key');
    await client.issueToken();
    const admin = adminClient(simulator.adminPort);
    const query = { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' };

    await admin.post('/brokers/kis/expire-tokens');
    const expired = await client.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', query);
    await client.issueToken();
    const renewed = await client.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', query);

    expect(expired.body).toMatchObject({ rt_cd: '1', msg_cd: 'EGW00123' });
    expect(renewed.body).toMatchObject({ rt_cd: '0' });
  });

  it('places with the paper tr_id, numbers orders with 10 digits and refuses the real tr_id on the paper server', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();
    const order = { ...ACCOUNT, PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0', EXCG_ID_DVSN_CD: 'KRX' };

    const placed = await client.post('/uapi/domestic-stock/v1/trading/order-cash', 'VTTC0012U', order);
    const realTrId = await client.post('/uapi/domestic-stock/v1/trading/order-cash', 'TTTC0012U', order);

    expect(placed.body).toMatchObject({ rt_cd: '0', msg_cd: '40600000', output: { KRX_FWDG_ORD_ORGNO: '91252' } });
    expect((placed.body['output'] as Record<string, string>)['ODNO']).toMatch(/^\d{10}$/);
    expect((placed.body['output'] as Record<string, string>)['ORD_TMD']).toMatch(/^\d{6}$/);
    expect(realTrId.body).toMatchObject({ msg_cd: 'OPSQ0002' });
  });

  it('serves the real tr_ids on a real server', async () => {
    const client = kisClient(port('real'));
    await client.issueToken();

    const placed = await client.post('/uapi/domestic-stock/v1/trading/order-cash', 'TTTC0012U', { ...ACCOUNT, PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' });

    expect(placed.body).toMatchObject({ rt_cd: '0', msg_cd: 'APBK0013' });
  });

  it('refuses another account (OPSQ2000), short cash (APBK0952), short holdings (APBK0400) and unsupported divisions', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();
    const send = (trId: string, fields: Record<string, string>) =>
      client.post('/uapi/domestic-stock/v1/trading/order-cash', trId, { ...ACCOUNT, PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0', ...fields });

    expect((await send('VTTC0012U', { CANO: '50099999' })).body).toMatchObject({ rt_cd: '1', msg_cd: 'OPSQ2000' });
    expect((await send('VTTC0012U', { ORD_QTY: '100000' })).body).toMatchObject({ rt_cd: '1', msg_cd: 'APBK0952' });
    expect((await send('VTTC0011U', { PDNO: '000270', ORD_QTY: '5' })).body).toMatchObject({ rt_cd: '1', msg_cd: 'APBK0400' });
    expect((await send('VTTC0012U', { ORD_DVSN: '05' })).body).toMatchObject({ rt_cd: '1', msg_cd: 'APBK0017' });
  });

  it('lists the day orders newest first in pages of 15 (paper) with tr_cont and CTX_AREA_NK100, cancel rows included', async () => {
    const client = kisClient(port('kis'), 'PSpaging-key');
    await client.issueToken();
    const quote = await client.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '035720' });
    const low = String(Math.floor((Number((quote.body['output'] as Record<string, string>)['stck_prpr']) * 0.8) / 50) * 50);
    const numbers: string[] = [];
    for (let i = 0; i < 16; i++) {
      const placed = await client.post('/uapi/domestic-stock/v1/trading/order-cash', 'VTTC0012U', { ...ACCOUNT, PDNO: '035720', ORD_DVSN: '00', ORD_QTY: '1', ORD_UNPR: low });
      expect(placed.body).toMatchObject({ rt_cd: '0' });
      numbers.push((placed.body['output'] as Record<string, string>)['ODNO']);
    }
    const cancel = await client.post('/uapi/domestic-stock/v1/trading/order-rvsecncl', 'VTTC0013U', {
      ...ACCOUNT, KRX_FWDG_ORD_ORGNO: '91252', ORGN_ODNO: numbers[0], ORD_DVSN: '00', RVSE_CNCL_DVSN_CD: '02', ORD_QTY: '0', ORD_UNPR: '0', QTY_ALL_ORD_YN: 'Y',
    });
    expect(cancel.body).toMatchObject({ rt_cd: '0' });
    // A range around today, so that a run across midnight KST still finds its orders.
    const kstDate = (offsetDays: number) => new Date(Date.now() + 9 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const inquiry = { ...ACCOUNT, INQR_STRT_DT: kstDate(-1), INQR_END_DT: kstDate(1), SLL_BUY_DVSN_CD: '00', PDNO: '035720', ODNO: '', INQR_DVSN: '00', CCLD_DVSN: '00', CTX_AREA_FK100: '', CTX_AREA_NK100: '' };

    const first = await client.get('/uapi/domestic-stock/v1/trading/inquire-daily-ccld', 'VTTC0081R', inquiry);
    const second = await client.get(
      '/uapi/domestic-stock/v1/trading/inquire-daily-ccld',
      'VTTC0081R',
      { ...inquiry, CTX_AREA_FK100: first.body['ctx_area_fk100'] as string, CTX_AREA_NK100: first.body['ctx_area_nk100'] as string },
      { tr_cont: 'N' },
    );

    const rows = [...(first.body['output1'] as Array<Record<string, string>>), ...(second.body['output1'] as Array<Record<string, string>>)];
    expect(first.headers['tr_cont']).toBe('M');
    expect(first.body['output1']).toHaveLength(15);
    expect(second.headers['tr_cont']).toBe('D');
    expect(rows).toHaveLength(17);
    expect(rows[0]).toMatchObject({ cncl_yn: 'Y', orgn_odno: numbers[0], sll_buy_dvsn_cd: '02', pdno: '035720' });
    expect(rows.filter((row) => row.cncl_yn === 'N').map((row) => row.odno).sort()).toEqual([...numbers].sort());
    expect(rows.find((row) => row.odno === numbers[0])).toMatchObject({ cnc_cfrm_qty: '1', rmn_qty: '0', ord_unpr: low, ord_dvsn_cd: '00' });
    // The lookup by order number KIS serves with ODNO.
    const byNumber = await client.get('/uapi/domestic-stock/v1/trading/inquire-daily-ccld', 'VTTC0081R', { ...inquiry, ODNO: numbers[3].replace(/^0+/, '') });
    expect((byNumber.body['output1'] as Array<Record<string, string>>).map((row) => row.odno)).toEqual([numbers[3]]);
  });

  it('refuses a cancel of an order it does not know', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();

    const cancel = await client.post('/uapi/domestic-stock/v1/trading/order-rvsecncl', 'VTTC0013U', {
      ...ACCOUNT, KRX_FWDG_ORD_ORGNO: '91252', ORGN_ODNO: '0009999999', ORD_DVSN: '00', RVSE_CNCL_DVSN_CD: '02', ORD_QTY: '0', ORD_UNPR: '0', QTY_ALL_ORD_YN: 'Y',
    });

    expect(cancel.body).toMatchObject({ rt_cd: '1', msg_cd: 'APBK0344' });
  });

  it('answers the balance, the orderable cash and the charts', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();

    const balance = await client.get('/uapi/domestic-stock/v1/trading/inquire-balance', 'VTTC8434R', { ...ACCOUNT, CTX_AREA_FK100: '', CTX_AREA_NK100: '' });
    const orderable = await client.get('/uapi/domestic-stock/v1/trading/inquire-psbl-order', 'VTTC8908R', { ...ACCOUNT, PDNO: '005930', ORD_UNPR: '', ORD_DVSN: '01' });
    const daily = await client.get('/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice', 'FHKST03010100', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930', FID_INPUT_DATE_1: '20260101', FID_INPUT_DATE_2: '20261130', FID_PERIOD_DIV_CODE: 'D', FID_ORG_ADJ_PRC: '0' });
    const minutes = await client.get('/uapi/domestic-stock/v1/quotations/inquire-time-dailychartprice', 'FHKST03010230', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930', FID_INPUT_DATE_1: '20261127', FID_INPUT_HOUR_1: '153000', FID_PW_DATA_INCU_YN: 'N' });
    const badPeriod = await client.get('/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice', 'FHKST03010100', { FID_INPUT_ISCD: '005930', FID_INPUT_DATE_1: '20260101', FID_INPUT_DATE_2: '20261130', FID_PERIOD_DIV_CODE: 'M' });

    expect((balance.body['output2'] as Array<Record<string, string>>)[0]).toMatchObject({ dnca_tot_amt: expect.stringMatching(/^\d+$/), tot_evlu_amt: expect.stringMatching(/^\d+$/) });
    expect((orderable.body['output'] as Record<string, string>)['ord_psbl_cash']).toMatch(/^\d+$/);
    const dailyRows = daily.body['output2'] as Array<Record<string, string>>;
    expect(dailyRows).toHaveLength(100);
    expect(dailyRows[0].stck_bsop_date > dailyRows[99].stck_bsop_date).toBe(true);
    const minuteRows = minutes.body['output2'] as Array<Record<string, string>>;
    expect(minuteRows).toHaveLength(120);
    expect(minuteRows[0]).toMatchObject({ stck_bsop_date: '20261127', stck_cntg_hour: expect.stringMatching(/^15[23]\d00$/) });
    expect(badPeriod.body).toMatchObject({ rt_cd: '1', msg_cd: 'OPSQ0001' });
  });

  it('describes a symbol with search-stock-info', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();

    const found = await client.get('/uapi/domestic-stock/v1/quotations/search-stock-info', 'CTPF1002R', { PRDT_TYPE_CD: '300', PDNO: '005930' });
    const missing = await client.get('/uapi/domestic-stock/v1/quotations/search-stock-info', 'CTPF1002R', { PRDT_TYPE_CD: '300', PDNO: '999999' });

    expect(found.body['output']).toMatchObject({ prdt_abrv_name: '삼성전자', mket_id_cd: 'STK' });
    expect(missing.body).toMatchObject({ msg_cd: 'APBK0656' });
  });

  it('enforces the rate limit per app key with EGW00201 (HTTP 500) and the token rule with EGW00133 (HTTP 403), counting violations', async () => {
    const admin = adminClient(simulator.adminPort);
    const first = kisClient(port('limited'), 'PSrate-key-1');
    const second = kisClient(port('limited'), 'PSrate-key-2');
    const query = { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' };

    expect((await first.issueToken()).status).toBe(200);
    const reissue = await first.issueToken();
    await first.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', query);
    await first.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', query);
    const over = await first.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', query);
    await second.issueToken();
    const otherKey = await second.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', query);

    expect(reissue).toMatchObject({ status: 403, body: { error_code: 'EGW00133' } });
    expect(over).toMatchObject({ status: 500, body: { rt_cd: '1', msg_cd: 'EGW00201', msg1: '초당 거래건수를 초과하였습니다.' } });
    expect(otherKey.body).toMatchObject({ rt_cd: '0' });
    const stats = (await admin.stats()).body['brokers'] as Record<string, { violations: Record<string, number>; tokensIssued: number; rules: unknown[] }>;
    expect(stats['limited'].violations).toEqual({ token: 1, requests: 1 });
    expect(stats['limited'].tokensIssued).toBe(2);
    expect(stats['limited'].rules).toEqual([
      { id: 'requests', limit: 3, windowMs: 600_000 },
      { id: 'token', limit: 1, windowMs: 60_000 },
    ]);
  });

  it('answers 404 for a path KIS does not have and refuses a body that is not JSON', async () => {
    const client = kisClient(port('kis'));
    await client.issueToken();

    const missing = await client.get('/uapi/domestic-stock/v1/quotations/nothing', 'FHKST01010100', {});
    const notJson = await fetch(`http://127.0.0.1:${port('kis')}/uapi/domestic-stock/v1/trading/order-cash`, {
      method: 'POST',
      headers: { tr_id: 'VTTC0012U', appkey: 'PSkis-test-key', appsecret: 'kis-test-secret', authorization: `Bearer ${client.token}` },
      body: '[1,2]',
    });

    expect(missing.status).toBe(404);
    expect(await notJson.json()).toMatchObject({ rt_cd: '1', msg_cd: 'OPSQ0002' });
  });
});
