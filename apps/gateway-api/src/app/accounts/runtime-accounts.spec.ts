import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountDirectory } from '@qts/broker-accounts';
import request from 'supertest';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, type TestGateway } from '../../../test/gateway-test-app';

const WORKER_KEY = 'worker-admin-key-0123456789';

/** A stand-in for the execution worker's account routes: records calls, answers as told. */
class FakeWorker {
  readonly calls: Array<{ method: string; url: string; key: string | undefined; body: unknown }> = [];
  answer: (method: string) => { status: number; body: object } = (method) =>
    method === 'POST' ? { status: 201, body: { created: true } } : { status: 200, body: {} };
  private readonly server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      this.calls.push({ method: req.method ?? '', url: req.url ?? '', key: req.headers['x-api-key'] as string | undefined, body: raw === '' ? undefined : JSON.parse(raw) });
      const { status, body } = this.answer(req.method ?? '');
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('accounts added at run time through the gateway', () => {
  let worker: FakeWorker;
  let gateway: TestGateway;
  const server = () => gateway.app.getHttpServer();
  const add = (brokerId: string, body: object, key = ADMIN_KEY) =>
    request(server()).post(`/api/v1/brokers/${brokerId}/accounts`).set('X-API-Key', key).send(body);
  const listed = async () => (await request(server()).get('/api/v1/accounts').set('X-API-Key', ADMIN_KEY).expect(200)).body.accounts as Array<{ brokerId: string; id: string; source: string; active: boolean }>;

  beforeAll(async () => {
    worker = new FakeWorker();
    const url = await worker.start();
    gateway = await createTestGateway({ gateway: { httpPort: 0, grpcPort: 0, worker: { kind: 'http', url, apiKey: WORKER_KEY } } });
  });

  afterAll(async () => {
    await gateway.close();
    await worker.stop();
  });

  beforeEach(() => {
    worker.calls.length = 0;
    worker.answer = (method) => (method === 'POST' ? { status: 201, body: { created: true } } : { status: 200, body: {} });
  });

  it('tells the worker first, then uses the account at once: listed, balance, orders', async () => {
    const added = await add('sim', { accountId: '87654321-01', name: '대신 모의 2', type: 'PAPER' }).expect(201);
    expect(added.body).toMatchObject({ brokerId: 'sim', id: '87654321-01', name: '대신 모의 2', type: 'PAPER', source: 'runtime', active: true, addedBy: 'ADMIN_API_KEY' });
    expect(worker.calls).toEqual([
      { method: 'POST', url: '/admin/accounts', key: WORKER_KEY, body: { brokerId: 'sim', accountId: '87654321-01', name: '대신 모의 2', type: 'PAPER' } },
    ]);
    expect((await listed()).filter((account) => account.brokerId === 'sim').map((account) => [account.id, account.source])).toEqual([
      ['12345678', 'config'],
      ['87654321-01', 'runtime'],
    ]);
    const brokers = await request(server()).get('/api/v1/brokers/sim').set('X-API-Key', ADMIN_KEY).expect(200);
    expect(brokers.body.accounts.map((account: { id: string }) => account.id)).toContain('87654321-01');
    const balance = await request(server()).get('/api/v1/brokers/sim/accounts/87654321-01/balance').set('X-API-Key', ADMIN_KEY).expect(200);
    expect(balance.body.cashBalance).toBe('100000000');
    await request(server())
      .post('/api/v1/brokers/sim/accounts/87654321-01/orders')
      .set('X-API-Key', ADMIN_KEY)
      .send({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 })
      .expect(201);

    const repeat = await add('sim', { accountId: '87654321-01', name: '대신 모의 2', type: 'PAPER' }).expect(200);
    expect(repeat.body.id).toBe('87654321-01');
  });

  it('changes nothing when the worker cannot be reached, refuses, or refuses our key', async () => {
    const body = { accountId: '11112222', name: 'never', type: 'PAPER' };
    worker.answer = () => ({ status: 404, body: { statusCode: 404, code: 'BROKER_NOT_FOUND', message: "broker 'sim' is not configured" } });
    const refused = await add('sim', body).expect(404);
    expect(refused.body).toMatchObject({ code: 'BROKER_NOT_FOUND' });
    expect(refused.body.message).toMatch(/^the execution worker refused the change, so nothing was changed here: broker 'sim'/);

    worker.answer = () => ({ status: 401, body: { code: 'API_KEY_INVALID', message: 'the API key is not valid' } });
    const badKey = await add('sim', body).expect(503);
    expect(badKey.body.code).toBe('WORKER_UNAVAILABLE');
    expect(badKey.body.message).toContain("refused the gateway's key");
    expect(JSON.stringify(badKey.body)).not.toContain(WORKER_KEY);

    worker.answer = () => ({ status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
    expect((await add('sim', body).expect(503)).body.message).toMatch(/the execution worker failed \(HTTP 500 INTERNAL\)/);
    expect((await listed()).some((account) => account.id === '11112222')).toBe(false);
  });

  it('refuses what the gateway itself would refuse before asking the worker', async () => {
    expect((await add('kis', { accountId: PAPER_ACCOUNT, name: 'dup', type: 'PAPER' }).expect(409)).body.code).toBe('ACCOUNT_CONFLICT');
    expect((await add('nope', { accountId: '1', name: 'x', type: 'PAPER' }).expect(404)).body.code).toBe('BROKER_NOT_FOUND');
    const badNumber = await add('kis', { accountId: '1234 5678', name: 'x', type: 'PAPER' }).expect(400);
    expect(badNumber.body.message).toContain('accountId');
    expect((await add('kis', { accountId: '12345678', name: 'x', type: 'MARGIN' }).expect(400)).body.message).toContain('type');
    expect((await add('kis', { accountId: '12345678', name: 'x', type: 'PAPER', isDefault: true }).expect(400)).body.code).toBe('INVALID_ARGUMENT');
    const reader = (await request(server()).post('/api/v1/admin/api-keys').set('X-API-Key', ADMIN_KEY).send({ name: 'r', scopes: ['read'] }).expect(201)).body.key;
    expect((await add('kis', { accountId: '12345678', name: 'x', type: 'PAPER' }, reader).expect(403)).body.code).toBe('INSUFFICIENT_SCOPE');
    await request(server()).post('/api/v1/brokers/kis/accounts').send({ accountId: '12345678', name: 'x', type: 'PAPER' }).expect(401);
    expect(worker.calls).toEqual([]);
  });

  it('adds a REAL account, whose orders are refused while live trading is off', async () => {
    await add('sim', { accountId: '70001111-01', name: '실전 추가', type: 'REAL' }).expect(201);
    const order = await request(server())
      .post('/api/v1/brokers/sim/accounts/70001111-01/orders')
      .set('X-API-Key', ADMIN_KEY)
      .send({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 })
      .expect(403);
    expect(order.body.code).toBe('LIVE_TRADING_DISABLED');
  });

  it('deactivates on the worker first, then here: no new orders; configured accounts are refused', async () => {
    await add('sim', { accountId: '33334444', name: 'short-lived', type: 'PAPER' }).expect(201);
    worker.calls.length = 0;
    const deactivated = await request(server()).delete('/api/v1/brokers/sim/accounts/33334444').set('X-API-Key', ADMIN_KEY).expect(200);
    expect(deactivated.body).toMatchObject({ id: '33334444', active: false });
    expect(worker.calls.map((call) => `${call.method} ${call.url}`)).toEqual(['DELETE /admin/accounts/sim/33334444']);
    const order = await request(server())
      .post('/api/v1/brokers/sim/accounts/33334444/orders')
      .set('X-API-Key', ADMIN_KEY)
      .send({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 })
      .expect(404);
    expect(order.body.message).toContain('deactivated');
    expect((await listed()).find((account) => account.id === '33334444')).toMatchObject({ active: false });

    worker.calls.length = 0;
    expect((await request(server()).delete(`/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}`).set('X-API-Key', ADMIN_KEY).expect(409)).body.code).toBe('ACCOUNT_CONFLICT');
    worker.answer = () => ({ status: 404, body: { code: 'ACCOUNT_NOT_FOUND', message: 'not added' } });
    expect((await request(server()).delete('/api/v1/brokers/sim/accounts/99990000').set('X-API-Key', ADMIN_KEY).expect(404)).body.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('undoes its addition on the worker when its own write fails, so neither side keeps it alone', async () => {
    const directory = gateway.app.get(AccountDirectory);
    const failing = jest.spyOn(directory, 'add').mockRejectedValueOnce(new Error('disk full'));
    try {
      await add('sim', { accountId: '55556666', name: 'half', type: 'PAPER' }).expect(500);
    } finally {
      failing.mockRestore();
    }
    expect(worker.calls.map((call) => `${call.method} ${call.url}`)).toEqual(['POST /admin/accounts', 'DELETE /admin/accounts/sim/55556666']);
    expect((await listed()).some((account) => account.id === '55556666')).toBe(false);
  });
});

describe('accounts added at run time without a worker link', () => {
  it('refuses (503) while GATEWAY_WORKER_URL is unset, and adds locally with GATEWAY_WORKER_URL=none', async () => {
    const unset = await createTestGateway();
    try {
      const refused = await request(unset.app.getHttpServer())
        .post('/api/v1/brokers/sim/accounts')
        .set('X-API-Key', ADMIN_KEY)
        .send({ accountId: '12121212', name: 'x', type: 'PAPER' })
        .expect(503);
      expect(refused.body).toMatchObject({ code: 'WORKER_UNAVAILABLE' });
      expect(refused.body.message).toContain('GATEWAY_WORKER_URL is not set');
    } finally {
      await unset.close();
    }
    const none = await createTestGateway({ gateway: { httpPort: 0, grpcPort: 0, worker: { kind: 'none' } } });
    try {
      await request(none.app.getHttpServer())
        .post('/api/v1/brokers/sim/accounts')
        .set('X-API-Key', ADMIN_KEY)
        .send({ accountId: '12121212', name: 'x', type: 'PAPER' })
        .expect(201);
    } finally {
      await none.close();
    }
  });

  it('answers 503 when the worker does not listen at all', async () => {
    const idle = http.createServer();
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', () => resolve()));
    const port = (idle.address() as AddressInfo).port;
    await new Promise<void>((resolve) => idle.close(() => resolve()));
    const gateway = await createTestGateway({ gateway: { httpPort: 0, grpcPort: 0, worker: { kind: 'http', url: `http://127.0.0.1:${port}` } } });
    try {
      const refused = await request(gateway.app.getHttpServer())
        .post('/api/v1/brokers/sim/accounts')
        .set('X-API-Key', ADMIN_KEY)
        .send({ accountId: '12121212', name: 'x', type: 'PAPER' })
        .expect(503);
      expect(refused.body.message).toMatch(/could not be reached: nothing was changed here/);
      const accounts = await request(gateway.app.getHttpServer()).get('/api/v1/accounts').set('X-API-Key', ADMIN_KEY).expect(200);
      expect(accounts.body.accounts.some((account: { id: string }) => account.id === '12121212')).toBe(false);
    } finally {
      await gateway.close();
    }
  });
});
