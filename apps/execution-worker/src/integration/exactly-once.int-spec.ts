import { join } from 'node:path';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { qtsTypeV1, type qtsExecutionV1 } from '@qts/grpc-contracts';
import { startSimulatorProcess, type SimulatorProcess, TEST_ACCOUNTS } from '@qts/test-support';
import { submitRequest } from '../../test/execution-grpc-client';
import {
  scratchDir,
  startWorkerProcess,
  writeWorkerBrokersConfig,
  type WorkerProcess,
} from '../../test/worker-process';

/** Cheap symbols and resting limit prices on the KRX grid: 1,000 one-share buys reserve a few million KRW. */
const SYMBOLS: [string, string][] = [
  ['001510', '500'],
  ['034220', '5000'],
  ['010140', '5000'],
  ['015760', '10000'],
  ['003490', '10000'],
  ['030200', '20000'],
  ['055550', '20000'],
  ['035720', '20000'],
];

describe('exactly once: 1,000 intents submitted concurrently, each twice (real simulator, worker process)', () => {
  let simulator: SimulatorProcess;
  let worker: WorkerProcess;

  beforeAll(async () => {
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
    });
    const dir = scratchDir('worker-exactly-once-');
    worker = await startWorkerProcess({
      brokersConfig: writeWorkerBrokersConfig(simulator, dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      // No gateway in this test: the worker may use the whole (generous) budget of the test broker.
      env: { WORKER_RATE_LIMIT_SHARE: '1' },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await simulator?.stop();
  });

  it('places exactly 1,000 orders at the simulator and answers 1,000 accepted, duplicates flagged', async () => {
    const requests = Array.from({ length: 1000 }, (_, i) => {
      const [symbol, price] = SYMBOLS[i % SYMBOLS.length];
      return submitRequest(`once-${i}`, { symbol, quantity: 1, limitPrice: price });
    });

    const started = Date.now();
    const responses = await Promise.all(
      requests.flatMap((request) => [worker.client.submitIntent(request, 240_000), worker.client.submitIntent(request, 240_000)]),
    );
    const wallMs = Date.now() - started;
    console.log(`1,000 intents x 2 submitted concurrently: ${wallMs} ms (${Math.round(2000 / (wallMs / 1000))} calls/s)`);

    const byIntent = new Map<string, qtsExecutionV1.SubmitIntentResponse[]>();
    for (const response of responses) byIntent.set(response.intentId, [...(byIntent.get(response.intentId) ?? []), response]);
    expect(byIntent.size).toBe(1000);
    for (const [intentId, pair] of byIntent) {
      expect(pair).toHaveLength(2);
      expect(pair.map((r) => r.duplicate).sort()).toEqual([false, true]);
      expect(pair[0].accepted && pair[1].accepted).toBe(true);
      expect(pair[0].orderId).not.toBe('');
      expect(pair[1].orderId).toBe(pair[0].orderId);
      expect(pair[0].status).toBe(qtsTypeV1.OrderStatus.ACCEPTED);
      expect(intentId).toMatch(/^once-\d+$/);
    }
    expect(responses.filter((r) => r.accepted)).toHaveLength(2000);

    const orders = await simulator.admin.listOrders('kis');
    expect(orders).toHaveLength(1000);
    expect(new Set(orders.map((order) => order.clientOrderId))).toEqual(new Set(byIntent.keys()));
    const orderIdByIntent = new Map(orders.map((order) => [order.clientOrderId, order.orderId]));
    for (const [intentId, pair] of byIntent) expect(pair[0].orderId).toBe(orderIdByIntent.get(intentId));

    const stats = await simulator.admin.getBrokerStats('kis');
    expect(stats.ordersPlaced).toBe(1000);
    expect(stats.requests['PlaceOrder']).toBe(1000);
    expect(stats.totalViolations).toBe(0);

    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/execution_worker_intents_duplicate_total 1000/);
    expect(metrics).toMatch(/execution_worker_intents_accepted_total 1000/);
  });
});
