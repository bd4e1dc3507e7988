import { BrokerType } from '@qts/broker-domain';
import { adminClient, kisClient, kiwoomClient } from '../../test/simulator-http';
import { defaultRestBrokers, RestSimulatorConfig } from './config/rest-simulator-config';
import { READY_PREFIX, RestBrokerSimulator } from './rest-broker-simulator';

jest.setTimeout(30_000);

function config(overrides: Partial<RestSimulatorConfig> = {}): RestSimulatorConfig {
  return {
    brokers: defaultRestBrokers().map((broker) => ({ ...broker, port: 0, preset: 'none' })),
    adminPort: 0,
    host: '127.0.0.1',
    seed: 42,
    tokenTtlMs: 24 * 3_600_000,
    acceptedAppKeys: [],
    latencyMs: 0,
    errorRate: 0,
    errorStatus: 500,
    refuse: false,
    ...overrides,
  };
}

const QUOTE_PATH = '/uapi/domestic-stock/v1/quotations/inquire-price';
const QUOTE = { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' };

describe('RestBrokerSimulator', () => {
  let simulator: RestBrokerSimulator | undefined;

  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
  });

  it('binds free ports for port 0 and reports them on the READY line', async () => {
    simulator = await RestBrokerSimulator.start(config());

    const ports = simulator.brokerPorts();
    expect(ports['kis']).toBeGreaterThan(0);
    expect(ports['kiwoom']).toBeGreaterThan(0);
    expect(simulator.readyLine()).toBe(`${READY_PREFIX}${JSON.stringify({ admin: simulator.adminPort, brokers: ports })}`);
  });

  it('reports requests, tokens per app key (hashed), orders and faults in /admin/stats', async () => {
    simulator = await RestBrokerSimulator.start(config());
    const kis = kisClient(simulator.brokerPorts()['kis'], 'PSstats-key');
    await kis.issueToken();
    await kis.get(QUOTE_PATH, 'FHKST01010100', QUOTE);
    await kis.post('/uapi/domestic-stock/v1/trading/order-cash', 'VTTC0012U', { CANO: '50012345', ACNT_PRDT_CD: '01', PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' });

    const stats = await adminClient(simulator.adminPort).stats();

    const kisStats = (stats.body['brokers'] as Record<string, Record<string, unknown>>)['kis'];
    expect(kisStats).toMatchObject({ up: true, type: BrokerType.KIS, requests: { token: 1, FHKST01010100: 1, VTTC0012U: 1 }, violations: {}, tokensIssued: 1, ordersPlaced: 1, injectedFailures: 0, stalled: 0, faults: {} });
    expect(Object.keys(kisStats['tokensIssuedPerAppKey'] as object)).toEqual([expect.stringMatching(/^key-[0-9a-f]{12}$/)]);
    expect(JSON.stringify(stats.body)).not.toContain('PSstats-key');
  });

  it('fails the next requests with the broker code asked for, then answers again', async () => {
    simulator = await RestBrokerSimulator.start(config());
    const admin = adminClient(simulator.adminPort);
    const kis = kisClient(simulator.brokerPorts()['kis']);
    await kis.issueToken();

    const set = await admin.post('/brokers/kis/faults', { failNext: { count: 1, status: 500, brokerCode: 'EGW00201', apis: ['FHKST01010100'] } });
    const failed = await kis.get(QUOTE_PATH, 'FHKST01010100', QUOTE);
    const next = await kis.get(QUOTE_PATH, 'FHKST01010100', QUOTE);

    expect(set.body).toEqual({ brokers: { kis: { failNext: { count: 1, failure: { status: 500, brokerCode: 'EGW00201' }, apis: ['FHKST01010100'] } } } });
    expect(failed).toMatchObject({ status: 500, body: { rt_cd: '1', msg_cd: 'EGW00201' } });
    expect(next.body).toMatchObject({ rt_cd: '0' });
    const stats = (await admin.stats()).body['brokers'] as Record<string, { injectedFailures: number }>;
    expect(stats['kis'].injectedFailures).toBe(1);
  });

  it('fails Kiwoom requests in its own shape, and every request at --error-rate 1', async () => {
    simulator = await RestBrokerSimulator.start(config({ errorRate: 1, errorStatus: 503 }));
    const admin = adminClient(simulator.adminPort);
    const kiwoom = kiwoomClient(simulator.brokerPorts()['kiwoom']);

    expect(await kiwoom.issueToken()).toMatchObject({ status: 503, body: { error: 'injected failure' } });
    await admin.post('/brokers/*/clear-faults');
    await kiwoom.issueToken();
    await admin.post('/brokers/kiwoom/faults', { failNext: { count: 1, status: 429, brokerCode: '1700' } });
    expect(await kiwoom.post('/api/dostk/stkinfo', 'ka10001', { stk_cd: '005930' })).toMatchObject({ status: 429, body: { return_code: 1, return_msg: '[1700:injected failure]' } });
  });

  it('holds requests in a stall and lets them through together when the stall is cleared', async () => {
    simulator = await RestBrokerSimulator.start(config());
    const admin = adminClient(simulator.adminPort);
    const kis = kisClient(simulator.brokerPorts()['kis']);
    await kis.issueToken();
    await admin.post('/brokers/kis/faults', { stall: { apis: ['FHKST01010100'] } });

    const held = [kis.get(QUOTE_PATH, 'FHKST01010100', QUOTE), kis.get(QUOTE_PATH, 'FHKST01010100', QUOTE)];
    for (let polls = 0; polls < 200; polls++) {
      const stats = (await admin.stats()).body['brokers'] as Record<string, { stalled: number }>;
      if (stats['kis'].stalled === 2) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stalled = ((await admin.stats()).body['brokers'] as Record<string, { stalled: number }>)['kis'].stalled;
    await admin.post('/brokers/kis/clear-faults');
    const answers = await Promise.all(held);

    expect(stalled).toBe(2);
    expect(answers.map((answer) => answer.body['rt_cd'])).toEqual(['0', '0']);
  });

  it('closes a broker port on down (connections refused) and reopens the same port on up', async () => {
    simulator = await RestBrokerSimulator.start(config());
    const admin = adminClient(simulator.adminPort);
    const port = simulator.brokerPorts()['kis'];
    const kis = kisClient(port);

    await admin.post('/brokers/kis/down');
    const refused = await kis.issueToken().then(
      () => undefined,
      (error: { cause?: { code?: string } }) => error,
    );
    const up = await admin.post('/brokers/kis/up');

    expect(refused?.cause?.code).toBe('ECONNREFUSED');
    expect(up.body).toEqual({ brokers: { kis: { up: true, port } } });
    expect((await kis.issueToken()).status).toBe(200);
  });

  it('starts with the broker ports closed under --refuse, still reporting them', async () => {
    simulator = await RestBrokerSimulator.start(config({ refuse: true }));
    const port = simulator.brokerPorts()['kiwoom'];

    expect(port).toBeGreaterThan(0);
    await expect(kiwoomClient(port).issueToken()).rejects.toThrow();
    await adminClient(simulator.adminPort).post('/brokers/kiwoom/up');
    expect((await kiwoomClient(port).issueToken()).body).toMatchObject({ return_code: 0 });
  });

  it('lists orders with their broker numbers, and zeroes counters on reset-stats', async () => {
    simulator = await RestBrokerSimulator.start(config());
    const admin = adminClient(simulator.adminPort);
    const kiwoom = kiwoomClient(simulator.brokerPorts()['kiwoom']);
    await kiwoom.issueToken();
    await kiwoom.post('/api/dostk/ordr', 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3' });

    const orders = await admin.get('/brokers/kiwoom/orders');
    const reset = await admin.post('/brokers/kiwoom/reset-stats', { resetRateWindows: true });

    expect((orders.body['brokers'] as Record<string, unknown[]>)['kiwoom']).toEqual([
      expect.objectContaining({ orderNo: '0000001', kind: 'order', accountId: '5012345601', symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 }),
    ]);
    expect((reset.body['brokers'] as Record<string, unknown>)['kiwoom']).toMatchObject({ requests: {}, tokensIssued: 0, injectedFailures: 0 });
  });

  it('answers bad admin requests with 4xx naming the problem', async () => {
    simulator = await RestBrokerSimulator.start(config());
    const admin = adminClient(simulator.adminPort);

    expect(await admin.post('/brokers/kis/faults', { shake: {} })).toMatchObject({ status: 400, body: { error: expect.stringContaining('shake is not a fault') } });
    expect(await admin.post('/brokers/kis/faults', { errorRate: { rate: 2 } })).toMatchObject({ status: 400, body: { error: expect.stringContaining('errorRate.rate') } });
    expect(await admin.post('/brokers/kis/faults', { failNext: { count: 1.5 } })).toMatchObject({ status: 400 });
    expect(await admin.post('/brokers/kis/faults', { failNext: { count: 1, status: 200 } })).toMatchObject({ status: 400, body: { error: expect.stringContaining('failNext.status') } });
    expect(await admin.post('/brokers/kis/faults', { latency: { latencyMs: -1 } })).toMatchObject({ status: 400 });
    expect(await admin.post('/brokers/kis/faults', 'not json')).toMatchObject({ status: 400 });
    expect(await admin.post('/brokers/nobody/down')).toMatchObject({ status: 404, body: { error: "no broker 'nobody'" } });
    expect(await admin.post('/brokers/kis/explode')).toMatchObject({ status: 404 });
    expect(await admin.get('/brokers/kis/down')).toMatchObject({ status: 405 });
    expect(await admin.get('/nothing')).toMatchObject({ status: 404 });
  });

  it('accepts only the listed app keys when told to', async () => {
    simulator = await RestBrokerSimulator.start(config({ acceptedAppKeys: ['PSallowed'] }));

    expect((await kisClient(simulator.brokerPorts()['kis'], 'PSallowed').issueToken()).status).toBe(200);
    expect((await kisClient(simulator.brokerPorts()['kis'], 'PSother').issueToken()).body).toMatchObject({ error_code: 'EGW00103' });
    expect((await kiwoomClient(simulator.brokerPorts()['kiwoom'], 'other').issueToken()).body['return_msg']).toContain('[8001:');
  });

  it('fails to start on a taken port (admin or broker), naming EADDRINUSE', async () => {
    simulator = await RestBrokerSimulator.start(config());
    const taken = simulator.adminPort;

    await expect(RestBrokerSimulator.start(config({ adminPort: taken }))).rejects.toThrow(`admin API: cannot listen on 127.0.0.1:${taken} (EADDRINUSE)`);
    const brokerTaken = simulator.brokerPorts()['kis'];
    await expect(
      RestBrokerSimulator.start(config({ brokers: [{ ...defaultRestBrokers()[1], port: 0 }, { ...defaultRestBrokers()[0], port: brokerTaken }] })),
    ).rejects.toThrow(`broker kis: cannot listen on 127.0.0.1:${brokerTaken} (EADDRINUSE)`);
  });
});
