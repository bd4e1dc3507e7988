import { join } from 'node:path';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { qtsTypeV1 } from '@qts/grpc-contracts';
import { startSimulatorProcess, waitFor, type SimulatorProcess, TEST_ACCOUNTS } from '@qts/test-support';
import { submitRequest } from '../../test/execution-grpc-client';
import {
  scratchDir,
  startWorkerProcess,
  writeWorkerBrokersConfig,
  type WorkerProcess,
} from '../../test/worker-process';

describe('unknown outcome: a broker answer slower than the worker deadline', () => {
  let simulator: SimulatorProcess;
  let worker: WorkerProcess;

  beforeAll(async () => {
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
    });
    const dir = scratchDir('worker-unknown-');
    worker = await startWorkerProcess({
      brokersConfig: writeWorkerBrokersConfig(simulator, dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      env: {
        BROKER_DEADLINE_MS: '1000',
        WORKER_RECONCILE_GRACE_MS: '4000',
        WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
        WORKER_RECONCILE_MAX_DELAY_MS: '500',
      },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await simulator?.stop();
  });

  afterEach(async () => {
    await simulator.admin.clearFaults('kis');
  });

  it('leaves the order UNKNOWN, then reconciliation settles it to the status the simulator has', async () => {
    // Latency is added after the order is placed: the broker has it, the worker never hears back in time.
    await simulator.admin.setFaults('kis', { latency: { latencyMs: 3000, rpcs: ['PlaceOrder'] } });

    const response = await worker.client.submitIntent(submitRequest('slow-1', { symbol: '001510', quantity: 1, limitPrice: '500' }));

    expect(response).toMatchObject({
      accepted: false,
      status: qtsTypeV1.OrderStatus.UNKNOWN,
      failSafeCode: 'FS042',
      duplicate: false,
    });
    const [order] = (await simulator.admin.listOrders('kis')).filter((o) => o.clientOrderId === 'slow-1');
    expect(order).toBeDefined();
    const settled = await waitFor(
      async () => {
        const intent = await worker.client.getIntent('slow-1');
        return intent.status !== qtsTypeV1.OrderStatus.UNKNOWN ? intent : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'slow-1 reconciled' },
    );
    const atBroker = (await simulator.admin.listOrders('kis')).filter((o) => o.clientOrderId === 'slow-1');
    expect(atBroker).toHaveLength(1);
    expect(settled).toMatchObject({ accepted: true, orderId: atBroker[0].orderId, failSafeCode: '' });
    // jts.v1 and qts.type.v1 name their order statuses alike (ORDER_STATUS_ACCEPTED ...).
    expect(String(settled.status)).toBe(String(atBroker[0].status));
    expect(settled.message).toMatch(/reconciled with the broker/);

    // A repetition gets the reconciled result and sends nothing.
    const again = await worker.client.submitIntent(submitRequest('slow-1', { symbol: '001510', quantity: 1, limitPrice: '500' }));
    expect(again).toMatchObject({ duplicate: true, accepted: true, orderId: atBroker[0].orderId });
    expect((await simulator.admin.getBrokerStats('kis')).requests['PlaceOrder']).toBe(1);
  });

  it('declares an order that never reached the broker REJECTED after the grace period, without re-sending it', async () => {
    // UNAVAILABLE on a READY channel: the client cannot tell whether the order arrived (it did not).
    await simulator.admin.setFaults('kis', { failNext: { count: 1, code: 'UNAVAILABLE', rpcs: ['PlaceOrder'] } });
    const placeOrdersBefore = (await simulator.admin.getBrokerStats('kis')).requests['PlaceOrder'] ?? 0;

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
    expect((await simulator.admin.listOrders('kis')).some((o) => o.clientOrderId === 'lost-1')).toBe(false);
    expect((await simulator.admin.getBrokerStats('kis')).requests['PlaceOrder']).toBe(placeOrdersBefore + 1);

    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/execution_worker_reconciliation_outcomes_total\{outcome="found"\} 1/);
    expect(metrics).toMatch(/execution_worker_reconciliation_outcomes_total\{outcome="never_reached"\} 1/);
  });
});
