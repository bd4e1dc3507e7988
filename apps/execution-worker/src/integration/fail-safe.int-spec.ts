import { join } from 'node:path';
import { startBrokerBench, TEST_ACCOUNTS, TRANSPORTS_UNDER_TEST, type BrokerBench } from '@qts/test-support';
import { grpcFailure, submitRequest } from '../../test/execution-grpc-client';
import { scratchDir, startWorkerProcess, writeBenchBrokersConfig, type WorkerProcess } from '../../test/worker-process';

const ADMIN_KEY = 'integration-admin-key-0123456789';

describe.each(TRANSPORTS_UNDER_TEST)('fail-safe: three broker failures in a row trip it, an admin reset clears it (%s transport)', (transport) => {
  let bench: BrokerBench;
  let worker: WorkerProcess;
  let next = 0;

  /** A fresh one-share resting buy. */
  function intent() {
    next += 1;
    return submitRequest(`fs-${next}`, { symbol: '001510', quantity: 1, limitPrice: '500' });
  }

  function placeOrderCalls(): Promise<number> {
    return bench.requests('kis', 'order');
  }

  /**
   * The broker's "over the limit" (JTS RESOURCE_EXHAUSTED, KIS EGW00201) is a definite refusal, nothing was placed:
   * the client maps it to RateLimitExceeded, the worker answers FS043, and the guard counts it as a broker failure.
   * (A failure the client cannot tell from a lost answer would be an unknown outcome instead, reconciled.)
   */
  async function tripTheGuard(): Promise<void> {
    await bench.failNext('kis', 'order', 3, 'rate-limited');
    for (let i = 0; i < 3; i += 1) {
      const response = await worker.client.submitIntent(intent());
      expect(response).toMatchObject({ accepted: false, failSafeCode: 'FS043' });
    }
    const before = await placeOrderCalls();
    const refused = await worker.client.submitIntent(intent());
    expect(refused).toMatchObject({ accepted: false, broker: 'failsafe', failSafeCode: 'FS046' });
    expect(await placeOrderCalls()).toBe(before);
  }

  beforeAll(async () => {
    bench = await startBrokerBench(transport, [{ id: 'kis', account: { id: TEST_ACCOUNTS.paper, type: 'PAPER' } }]);
    const dir = scratchDir('worker-fail-safe-');
    worker = await startWorkerProcess({
      brokersConfig: writeBenchBrokersConfig(bench, ['kis'], dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      env: { ...bench.credentials(), ADMIN_API_KEY: ADMIN_KEY },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await bench?.stop();
  });

  it('does not count business refusals: orders the broker refuses for short cash never trip it', async () => {
    // A million shares of Samsung Electronics: far beyond the paper account's cash, refused by the broker itself.
    for (let i = 0; i < 4; i += 1) {
      next += 1;
      const refused = await worker.client.submitIntent(submitRequest(`fs-${next}`, { symbol: '005930', quantity: 1_000_000, limitPrice: '70000' }));
      expect(refused).toMatchObject({ accepted: false, failSafeCode: 'FS041' });
    }

    await expect(worker.client.submitIntent(intent())).resolves.toMatchObject({ accepted: true, failSafeCode: '' });
    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    expect(metrics).toContain('execution_worker_fail_safe_tripped{broker_id="kis",account="1"} 0');
    expect(metrics).not.toContain(TEST_ACCOUNTS.paper);
  });

  it('trips after three failures, and the gRPC admin reset (x-api-key) clears it', async () => {
    await expect(worker.client.submitIntent(intent())).resolves.toMatchObject({ accepted: true });

    await tripTheGuard();
    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    // The account by its position in brokers.yaml: metrics carry no account numbers.
    expect(metrics).toContain('execution_worker_fail_safe_tripped{broker_id="kis",account="1"} 1');
    expect(metrics).not.toContain(TEST_ACCOUNTS.paper);

    await expect(worker.client.resetFailSafe({ brokerId: 'kis', reason: 'test' }).catch(grpcFailure)).resolves.toMatchObject({
      code: 16,
    });
    await expect(worker.client.resetFailSafe({ brokerId: 'kis', reason: 'test' }, 'not-the-admin-key').catch(grpcFailure)).resolves.toMatchObject({
      code: 16,
    });
    await expect(worker.client.resetFailSafe({ brokerId: 'kis', reason: 'broker is back' }, ADMIN_KEY)).resolves.toEqual({
      resetBrokerIds: ['kis'],
    });
    await expect(worker.client.submitIntent(intent())).resolves.toMatchObject({ accepted: true, failSafeCode: '' });
  });

  it('trips again, and the HTTP admin reset (X-API-Key) clears it', async () => {
    await tripTheGuard();

    const unauthorized = await fetch(`${worker.httpUrl}/admin/fail-safe/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brokerId: 'kis' }),
    });
    expect(unauthorized.status).toBe(401);
    const reset = await fetch(`${worker.httpUrl}/admin/fail-safe/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
      body: JSON.stringify({ brokerId: 'kis', reason: 'ops ticket 7' }),
    });
    expect(reset.status).toBe(200);
    await expect(reset.json()).resolves.toEqual({ resetBrokerIds: ['kis'] });

    await expect(worker.client.submitIntent(intent())).resolves.toMatchObject({ accepted: true });
    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    expect(metrics).toContain('execution_worker_fail_safe_tripped{broker_id="kis",account="1"} 0');
  });
});
