import { join } from 'node:path';
import { qtsTypeV1 } from '@qts/grpc-contracts';
import { startBrokerBench, TEST_ACCOUNTS, TRANSPORTS_UNDER_TEST, waitFor, type BrokerBench } from '@qts/test-support';
import { submitRequest } from '../../test/execution-grpc-client';
import { scratchDir, startWorkerProcess, writeBenchBrokersConfig, type WorkerProcess } from '../../test/worker-process';

/**
 * A broker answer slower than the worker's deadline, over both transports: through JTS the order is found again by
 * its client order id; over REST (no client order id) by matching what was sent in the broker's daily order list.
 */
describe.each(TRANSPORTS_UNDER_TEST)('unknown outcome: a broker answer slower than the worker deadline (%s transport)', (transport) => {
  let bench: BrokerBench;
  let worker: WorkerProcess;

  beforeAll(async () => {
    bench = await startBrokerBench(transport, [{ id: 'kis', account: { id: TEST_ACCOUNTS.paper, type: 'PAPER' } }]);
    const dir = scratchDir('worker-unknown-');
    worker = await startWorkerProcess({
      brokersConfig: writeBenchBrokersConfig(bench, ['kis'], dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      env: {
        ...bench.credentials(),
        BROKER_DEADLINE_MS: '1000',
        WORKER_RECONCILE_GRACE_MS: '4000',
        WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
        WORKER_RECONCILE_MAX_DELAY_MS: '500',
      },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await bench?.stop();
  });

  afterEach(async () => {
    await bench.clearFaults('kis');
  });

  it('leaves the order UNKNOWN, then reconciliation settles it to the status the broker has', async () => {
    // Latency is added after the order is placed: the broker has it, the worker never hears back in time.
    await bench.delay('kis', ['order'], 3000);
    const placedBefore = await bench.ordersPlaced('kis');

    const response = await worker.client.submitIntent(submitRequest('slow-1', { symbol: '001510', quantity: 1, limitPrice: '500' }));

    expect(response).toMatchObject({
      accepted: false,
      status: qtsTypeV1.OrderStatus.UNKNOWN,
      failSafeCode: 'FS042',
      duplicate: false,
    });
    expect((await bench.ordersPlaced('kis')) - placedBefore).toBe(1);
    const settled = await waitFor(
      async () => {
        const intent = await worker.client.getIntent('slow-1');
        return intent.status !== qtsTypeV1.OrderStatus.UNKNOWN ? intent : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'slow-1 reconciled' },
    );
    // A resting buy far below the market: the broker holds it, accepted, under the order number it gave it.
    expect(settled).toMatchObject({ accepted: true, status: qtsTypeV1.OrderStatus.ACCEPTED, failSafeCode: '', operatorFlag: '' });
    expect(await bench.orderIds('kis')).toContain(settled.orderId);
    expect(settled.message).toMatch(/reconciled with the broker/);

    // A repetition gets the reconciled result and sends nothing.
    const again = await worker.client.submitIntent(submitRequest('slow-1', { symbol: '001510', quantity: 1, limitPrice: '500' }));
    expect(again).toMatchObject({ duplicate: true, accepted: true, orderId: settled.orderId });
    expect((await bench.ordersPlaced('kis')) - placedBefore).toBe(1);
    expect(await bench.requests('kis', 'order')).toBe(1);
  });

  it('declares an order that never reached the broker REJECTED after the grace period, without re-sending it', async () => {
    // A failure the client cannot tell from a lost answer (it did not arrive).
    await bench.failNext('kis', 'order', 1, 'unclear');
    const ordersBefore = await bench.requests('kis', 'order');
    const placedBefore = await bench.ordersPlaced('kis');

    const response = await worker.client.submitIntent(submitRequest('lost-1', { symbol: '034220', quantity: 1, limitPrice: '5000' }));

    expect(response).toMatchObject({ accepted: false, status: qtsTypeV1.OrderStatus.UNKNOWN, failSafeCode: 'FS042' });
    const settled = await waitFor(
      async () => {
        const intent = await worker.client.getIntent('lost-1');
        return intent.status !== qtsTypeV1.OrderStatus.UNKNOWN ? intent : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'lost-1 reconciled' },
    );
    expect(settled).toMatchObject({ status: qtsTypeV1.OrderStatus.REJECTED, accepted: false, failSafeCode: 'FS042' });
    expect(settled.message).toMatch(/never reached the broker/);
    expect(await bench.ordersPlaced('kis')).toBe(placedBefore);
    expect(await bench.requests('kis', 'order')).toBe(ordersBefore + 1);

    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/execution_worker_reconciliation_outcomes_total\{outcome="found"\} 1/);
    expect(metrics).toMatch(/execution_worker_reconciliation_outcomes_total\{outcome="never_reached"\} 1/);
    expect(metrics).toMatch(/execution_worker_orders_needing_operator\{flag="AMBIGUOUS_MATCH"\} 0/);
  });
});
