import { join } from 'node:path';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { qtsTypeV1, type qtsExecutionV1 } from '@qts/grpc-contracts';
import { startSimulatorProcess, waitFor, type SimulatorProcess, TEST_ACCOUNTS } from '@qts/test-support';
import { submitRequest } from '../../test/execution-grpc-client';
import {
  scratchDir,
  startWorkerProcess,
  writeWorkerBrokersConfig,
  type WorkerProcess,
} from '../../test/worker-process';

const SYMBOLS: [string, string][] = [
  ['001510', '500'],
  ['034220', '5000'],
  ['010140', '5000'],
  ['015760', '10000'],
  ['003490', '10000'],
  ['030200', '20000'],
];
const IN_FLIGHT = new Set([qtsTypeV1.OrderStatus.PENDING, qtsTypeV1.OrderStatus.UNKNOWN, qtsTypeV1.OrderStatus.UNSPECIFIED]);
const AT_BROKER = new Set([
  qtsTypeV1.OrderStatus.ACCEPTED,
  qtsTypeV1.OrderStatus.PARTIAL,
  qtsTypeV1.OrderStatus.FILLED,
  qtsTypeV1.OrderStatus.CANCELLED,
]);

describe('crash recovery: the worker is SIGKILLed in the middle of a run and restarted on the same database', () => {
  let simulator: SimulatorProcess;
  let worker: WorkerProcess;

  beforeAll(async () => {
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
    });
    // Every PlaceOrder answers 100 ms after the order is placed, so the kill lands while orders are in flight.
    await simulator.admin.setFaults('kis', { latency: { latencyMs: 100, rpcs: ['PlaceOrder'] } });
    const dir = scratchDir('worker-crash-');
    worker = await startWorkerProcess({
      brokersConfig: writeWorkerBrokersConfig(simulator, dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      env: {
        WORKER_RATE_LIMIT_SHARE: '1',
        WORKER_RECONCILE_GRACE_MS: '8000',
        WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
        WORKER_RECONCILE_MAX_DELAY_MS: '1000',
      },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await simulator?.stop();
  });

  it('loses no acknowledged intent and duplicates no order at the broker', async () => {
    const requests = Array.from({ length: 300 }, (_, i) => {
      const [symbol, price] = SYMBOLS[i % SYMBOLS.length];
      return submitRequest(`crash-${i}`, { symbol, quantity: 1, limitPrice: price });
    });

    // 1. Submit everything; SIGKILL the worker once 60 intents were acknowledged.
    const acknowledged = new Map<string, qtsExecutionV1.SubmitIntentResponse>();
    let killing: Promise<void> | undefined;
    const errors: string[] = [];
    const firstRun = requests.map((request) =>
      worker.client.submitIntent(request, 120_000).then(
        (response) => {
          acknowledged.set(response.intentId, response);
          if (acknowledged.size >= 60 && killing === undefined) killing = worker.kill('SIGKILL');
        },
        (error: unknown) => {
          if (killing === undefined) errors.push(String(error));
        },
      ),
    );
    // (waitFor awaits what the predicate returns: answer a boolean, not the kill promise.)
    await waitFor(
      () => {
        if (errors.length > 0) throw new Error(errors[0]);
        return killing !== undefined;
      },
      { timeoutMs: 120_000, description: '60 acknowledged intents' },
    ).catch((error) => {
      throw new Error(`${String(error)}; acknowledged ${acknowledged.size}\n${worker.logs()}`);
    });
    await killing;
    await Promise.all(firstRun);
    const acknowledgedAtKill = new Map(acknowledged);
    expect(acknowledgedAtKill.size).toBeGreaterThanOrEqual(60);
    expect(acknowledgedAtKill.size).toBeLessThan(300);
    const placedAtKill = (await simulator.admin.listOrders('kis')).length;
    console.log(`killed after ${acknowledgedAtKill.size} acknowledged intents, ${placedAtKill} orders at the broker`);

    // 2. Restart on the same database; the strategy submits every intent again (same intent ids).
    await worker.restart();
    const retried = await Promise.all(requests.map((request) => worker.client.submitIntent(request, 120_000)));

    for (const [intentId, first] of acknowledgedAtKill) {
      const again = retried.find((response) => response.intentId === intentId);
      expect(again).toMatchObject({ duplicate: true, orderId: first.orderId, accepted: first.accepted });
    }

    // 3. Everything settles: sent orders reconciled, unsent ones sent once, none left in flight.
    const finals = await waitFor(
      async () => {
        const all = await Promise.all(requests.map((request) => worker.client.getIntent(request.intentId)));
        return all.every((intent) => !IN_FLIGHT.has(intent.status)) ? all : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'every intent settled' },
    );

    const orders = await simulator.admin.listOrders('kis');
    const clientOrderIds = orders.map((order) => order.clientOrderId);
    expect(new Set(clientOrderIds).size).toBe(clientOrderIds.length);
    expect((await simulator.admin.getBrokerStats('kis')).ordersPlaced).toBe(orders.length);

    // The broker's orders are exactly the intents the worker records as placed, with the same order ids.
    const placed = finals.filter((intent) => AT_BROKER.has(intent.status));
    expect(new Set(clientOrderIds)).toEqual(new Set(placed.map((intent) => intent.intentId)));
    const orderIdAtBroker = new Map(orders.map((order) => [order.clientOrderId, order.orderId]));
    for (const intent of placed) expect(intent.orderId).toBe(orderIdAtBroker.get(intent.intentId));

    // Every acknowledged intent is there, as acknowledged.
    for (const [intentId, first] of acknowledgedAtKill) {
      const stored = finals.find((intent) => intent.intentId === intentId);
      expect(stored).toMatchObject({ orderId: first.orderId, accepted: first.accepted });
    }
    // Anything not placed was refused with a reason (e.g. "never reached the broker"), never silently dropped.
    for (const intent of finals.filter((i) => !AT_BROKER.has(i.status))) {
      expect(intent.status).toBe(qtsTypeV1.OrderStatus.REJECTED);
      expect(intent.message).not.toBe('');
    }
    console.log(`after restart: ${placed.length} placed, ${finals.length - placed.length} rejected, ${orders.length} orders at the broker`);
  });
});
