import request from 'supertest';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, type TestGateway } from '../../../test/gateway-test-app';
import { listeningUrl, openConsoleStream, type ConsoleStreamReader } from '@qts/test-support';

interface SnapshotBroker {
  id: string;
  status: string;
  lastHealthCheckAt: string | null;
  accounts: Array<{ id: string; source: string; balance: { totalEquity: string; buyingPower: string } | null }>;
  rateLimit: { rules: Array<{ ruleId: string; used: number; limit: number; ratio: number; waiters: number }> } | null;
}

describe('the gateway console', () => {
  let gateway: TestGateway;
  let readKey: string;
  let tradeKey: string;
  const server = () => gateway.app.getHttpServer();

  beforeAll(async () => {
    gateway = await createTestGateway({ gateway: { httpPort: 0, grpcPort: 0, worker: { kind: 'none' }, consoleBalanceRefreshMs: 60_000 } });
    const create = async (name: string, scopes: string[]) =>
      (await request(server()).post('/api/v1/admin/api-keys').set('X-API-Key', ADMIN_KEY).send({ name, scopes }).expect(201)).body.key as string;
    readKey = await create('console-reader', ['read']);
    tradeKey = await create('trader', ['trade']);
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('serves a page shell that holds no data, under a policy without inline script or style', async () => {
    const page = await request(server()).get('/dashboard').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const policy = page.headers['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(page.text).toContain('<script type="module" src="/console-ui/gateway-console.js"></script>');
    expect(page.text).not.toContain(PAPER_ACCOUNT);
    expect(page.text).not.toMatch(/https?:\/\//);
  });

  it('answers its data and its stream only to a key with the read scope', async () => {
    expect((await request(server()).get('/dashboard/data').expect(401)).body.code).toBe('API_KEY_REQUIRED');
    expect((await request(server()).get('/dashboard/data').set('X-API-Key', 'qts_not-a-key').expect(401)).body.code).toBe('API_KEY_INVALID');
    expect((await request(server()).get('/dashboard/data').set('X-API-Key', tradeKey).expect(403)).body.code).toBe('INSUFFICIENT_SCOPE');
    const url = await listeningUrl(server());
    const anonymous = await openConsoleStream(url, '/dashboard/stream', {});
    expect(anonymous.status).toBe(401);
    await anonymous.ended;
    expect(anonymous.events).toEqual([]);
    // A key in the URL is not a key.
    expect((await request(server()).get(`/dashboard/data?api_key=${readKey}`).expect(401)).body.code).toBe('API_KEY_REQUIRED');
  });

  it('shows every broker with its connection, last health check, accounts and rate-limit rules', async () => {
    const data = await request(server()).get('/dashboard/data').set('X-API-Key', readKey).expect(200);
    expect(data.body).toMatchObject({ liveTradingEnabled: false, workerLink: 'none', viewer: { name: 'console-reader', scopes: ['read'] } });
    const [kis, sim] = data.body.brokers as SnapshotBroker[];
    expect(kis).toMatchObject({ id: 'kis', status: 'CONNECTED', accounts: [{ id: PAPER_ACCOUNT, source: 'config' }, { source: 'config' }] });
    expect(kis.rateLimit?.rules).toEqual([{ ruleId: 'requests', limit: 100, windowMs: 1000, used: 0, ratio: 0, waiters: 0 }]);
    expect(sim).toMatchObject({ id: 'sim', mock: true, rateLimit: null, lastHealthCheckAt: null });
  });

  it('streams snapshots at once and every second, with balances asked of the brokers while it is open', async () => {
    const url = await listeningUrl(server());
    const balancesBefore = gateway.kis.count('getBalance');
    const stream: ConsoleStreamReader = await openConsoleStream(url, '/dashboard/stream', { 'X-API-Key': readKey });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const first = await stream.next((event) => event.event === 'snapshot');
      expect((first.data as { viewer: { scopes: string[] } }).viewer.scopes).toEqual(['read']);
      const withBalance = await stream.next((event) => {
        const broker = (event.data as { brokers: SnapshotBroker[] }).brokers[0];
        return broker.accounts[0].balance !== null;
      });
      const account = (withBalance.data as { brokers: SnapshotBroker[] }).brokers[0].accounts[0];
      expect(account.balance?.totalEquity).toMatch(/^\d+(\.\d+)?$/);
      expect(account.balance?.buyingPower).toMatch(/^\d+(\.\d+)?$/);
      // One balance request per account, however many snapshots were pushed.
      expect(gateway.kis.count('getBalance') - balancesBefore).toBe(2);
      await stream.next((event) => event.event === 'snapshot');
    } finally {
      stream.close();
    }
  });

  it('pushes a change at once: an account added through the API appears in the open stream', async () => {
    const url = await listeningUrl(server());
    const stream = await openConsoleStream(url, '/dashboard/stream', { 'X-API-Key': ADMIN_KEY });
    try {
      await stream.next();
      await request(server())
        .post('/api/v1/brokers/sim/accounts')
        .set('X-API-Key', ADMIN_KEY)
        .send({ accountId: '87654321', name: '대신 추가', type: 'PAPER' })
        .expect(201);
      const seen = await stream.next((event) =>
        (event.data as { brokers: SnapshotBroker[] }).brokers.some((broker) => broker.accounts.some((account) => account.id === '87654321')),
      );
      const sim = (seen.data as { brokers: SnapshotBroker[] }).brokers.find((broker) => broker.id === 'sim');
      expect(sim?.accounts.find((account) => account.id === '87654321')).toMatchObject({ source: 'runtime' });
    } finally {
      stream.close();
    }
  });
});
