import { status } from '@grpc/grpc-js';
import { qtsTypeV1 } from '@qts/grpc-contracts';
import { listeningUrl, openConsoleStream, testPlatformConfig } from '@qts/test-support';
import request from 'supertest';
import { grpcFailure, submitRequest } from '../../../test/execution-grpc-client';
import { startTestWorker, type TestWorker } from '../../../test/worker-test-app';

const ADMIN_KEY = 'console-admin-key-0123456789';

interface Snapshot {
  worker: { instanceId: string; maxConsecutiveFailures: number; liveTradingEnabled: boolean };
  failSafe: Array<{ brokerId: string; accountId: string; tripped: boolean; consecutiveFailures: number }>;
  unknownOrders: unknown[];
  intents: Array<{ intentId: string; accountId: string; status: string; failSafeCode: string | null; filledQuantity: number }>;
}

describe('the execution console and the accounts added at run time (worker)', () => {
  let worker: TestWorker;
  const server = () => worker.app.getHttpServer();
  const admin = (method: 'get' | 'post' | 'delete', path: string) => request(server())[method](path).set('X-API-Key', ADMIN_KEY);

  beforeAll(async () => {
    worker = await startTestWorker(testPlatformConfig({ adminApiKey: ADMIN_KEY, worker: { shutdownGraceMs: 2_000 } }));
  });

  afterAll(async () => {
    worker?.client.close();
    await worker?.app.close();
  });

  it('serves the page shell without a key, its data only with one', async () => {
    const page = await request(server()).get('/executions').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('/console-ui/execution-console.js');
    await request(server()).get('/console-ui/execution-console.js').expect(200);
    await request(server()).get('/console-ui/gateway-console.js').expect(404);
    expect((await request(server()).get('/executions/data').expect(401)).body.code).toBe('API_KEY_REQUIRED');
    const stream = await openConsoleStream(await listeningUrl(server()), '/executions/stream', {});
    expect(stream.status).toBe(401);
    await stream.ended;
  });

  it('trades an account at once once it is added, lists it, and refuses it once deactivated', async () => {
    await expect(
      worker.client.submitIntent(submitRequest('runtime-before', { accountId: '50012345-09' })).catch(grpcFailure),
    ).resolves.toMatchObject({ code: status.NOT_FOUND });

    const added = await admin('post', '/admin/accounts').send({ brokerId: 'kis', accountId: '50012345-09', name: '추가 계좌', type: 'PAPER' }).expect(201);
    expect(added.body).toMatchObject({ brokerId: 'kis', id: '50012345-09', source: 'runtime', active: true, created: true });
    expect((await admin('post', '/admin/accounts').send({ brokerId: 'kis', accountId: '50012345-09', name: '추가 계좌', type: 'PAPER' }).expect(200)).body.created).toBe(false);

    const answer = await worker.client.submitIntent(submitRequest('runtime-1', { accountId: '50012345-09', orderType: qtsTypeV1.OrderType.MARKET, limitPrice: '' }));
    expect(answer).toMatchObject({ accepted: true, failSafeCode: '' });

    const listed = await admin('get', '/admin/accounts').expect(200);
    expect(listed.body.accounts.map((account: { id: string; source: string }) => [account.id, account.source])).toContainEqual(['50012345-09', 'runtime']);

    await admin('delete', '/admin/accounts/kis/50012345-09').expect(200);
    await expect(
      worker.client.submitIntent(submitRequest('runtime-2', { accountId: '50012345-09' })).catch(grpcFailure),
    ).resolves.toMatchObject({ code: status.NOT_FOUND });
    expect((await admin('delete', '/admin/accounts/kis/50012345-01').expect(409)).body.code).toBe('ACCOUNT_CONFLICT');
    expect((await admin('post', '/admin/accounts').send({ brokerId: 'nope', accountId: '1', name: 'x', type: 'PAPER' }).expect(404)).body.code).toBe('BROKER_NOT_FOUND');
    expect((await admin('post', '/admin/accounts').send({ brokerId: 'kis', accountId: '1', name: 'x', type: 'PAPER', extra: 1 }).expect(400)).body.code).toBe('INVALID_ARGUMENT');
    await request(server()).post('/admin/accounts').send({ brokerId: 'kis', accountId: '1', name: 'x', type: 'PAPER' }).expect(401);
  });

  it('shows recent intents with their orders, every account with its guard, and no UNKNOWN orders', async () => {
    await worker.client.submitIntent(submitRequest('console-1'));
    const data = await admin('get', '/executions/data').expect(200);
    const snapshot = data.body as Snapshot;
    expect(snapshot.worker).toMatchObject({ maxConsecutiveFailures: 3, liveTradingEnabled: false });
    expect(snapshot.worker.instanceId).toEqual(expect.any(String));
    expect(snapshot.intents[0]).toMatchObject({ intentId: 'console-1', failSafeCode: null });
    expect(['ACCEPTED', 'FILLED']).toContain(snapshot.intents[0].status);
    expect(snapshot.intents.map((intent) => intent.intentId)).toEqual(expect.arrayContaining(['runtime-1', 'console-1']));
    expect(snapshot.failSafe.map((guard) => [guard.brokerId, guard.accountId, guard.tripped])).toEqual([
      ['kis', '50012345-01', false],
      ['kis', '70000001-01', false],
    ]);
    expect(snapshot.unknownOrders).toEqual([]);
  });

  it("shows a key bound to strategies their intents only, as over gRPC; the guards to every reader", async () => {
    const keyFor = async (strategies: string[]) =>
      (await admin('post', '/admin/api-keys').send({ name: `console ${strategies.join(' ')}`, scopes: ['read'], strategies }).expect(201)).body
        .key as string;
    const own = (await request(server()).get('/executions/data').set('X-API-Key', await keyFor(['momentum-kr'])).expect(200)).body as Snapshot;
    expect(own.intents.map((intent) => intent.intentId)).toEqual(expect.arrayContaining(['console-1', 'runtime-1']));
    const other = (await request(server()).get('/executions/data').set('X-API-Key', await keyFor(['mean-reversion'])).expect(200)).body as Snapshot;
    expect(other.intents).toEqual([]);
    expect(other.failSafe).toHaveLength(2);
  });

  it('pushes a snapshot at once when an execution report is committed', async () => {
    const stream = await openConsoleStream(await listeningUrl(server()), '/executions/stream', { 'X-API-Key': ADMIN_KEY });
    try {
      await stream.next((event) => event.event === 'snapshot');
      await worker.client.submitIntent(submitRequest('console-live'));
      const seen = await stream.next((event) => (event.data as Snapshot).intents.some((intent) => intent.intentId === 'console-live'));
      expect((seen.data as Snapshot).intents[0].intentId).toBe('console-live');
    } finally {
      stream.close();
    }
  });
});
