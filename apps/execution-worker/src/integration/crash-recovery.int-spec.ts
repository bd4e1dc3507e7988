import { join } from 'node:path';
import { qtsTypeV1, type qtsExecutionV1 } from '@qts/grpc-contracts';
import { startBrokerBench, TEST_ACCOUNTS, TRANSPORTS_UNDER_TEST, waitFor, type BenchOrder, type BrokerBench } from '@qts/test-support';
import { submitRequest } from '../../test/execution-grpc-client';
import { scratchDir, startWorkerProcess, writeBenchBrokersConfig, type WorkerProcess } from '../../test/worker-process';

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

/**
 * Over JTS, an order is found again by its client order id; over REST (no client order id) by matching what the
 * worker stored of it (account, symbol, side, type, quantity, price, send time) in the broker's order list, which
 * is why every intent of this run has its own quantity: two identical orders sent together could not be told
 * apart by any broker (they would be left to an operator, never re-sent).
 */
describe.each(TRANSPORTS_UNDER_TEST)('crash recovery: the worker is SIGKILLed in the middle of a run and restarted on the same database (%s transport)', (transport) => {
  let bench: BrokerBench;
  let worker: WorkerProcess;
  /** What identifies an order at the broker: its client order id (JTS); its symbol and quantity (REST). */
  const keyOf = (order: BenchOrder) => order.clientOrderId ?? `${order.symbol}:${order.quantity}`;
  const intentKey = (request: qtsExecutionV1.SubmitIntentRequest) =>
    transport === 'jts' ? request.intentId : `${request.symbol}:${request.quantity}`;

  beforeAll(async () => {
    bench = await startBrokerBench(transport, [{ id: 'kis', account: { id: TEST_ACCOUNTS.paper, type: 'PAPER' } }]);
    // Every order is answered 100 ms after it is placed, so the kill lands while orders are in flight.
    await bench.delay('kis', ['order'], 100);
    const dir = scratchDir('worker-crash-');
    worker = await startWorkerProcess({
      brokersConfig: writeBenchBrokersConfig(bench, ['kis'], dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      env: {
        ...bench.credentials(),
        WORKER_RATE_LIMIT_SHARE: '1',
        WORKER_RECONCILE_GRACE_MS: '8000',
        WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
        WORKER_RECONCILE_MAX_DELAY_MS: '1000',
      },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await bench?.stop();
  });

  it('loses no acknowledged intent and duplicates no order at the broker', async () => {
    const requests = Array.from({ length: 300 }, (_, i) => {
      const [symbol, price] = SYMBOLS[i % SYMBOLS.length];
      return submitRequest(`crash-${i}`, { symbol, quantity: 1 + Math.floor(i / SYMBOLS.length), limitPrice: price });
    });
    const requestOf = new Map(requests.map((request) => [request.intentId, request]));

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
    const placedAtKill = await bench.ordersPlaced('kis');
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

    const orders = await bench.orders('kis');
    const keys = orders.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await bench.ordersPlaced('kis')).toBe(orders.length);

    // The broker's orders are exactly the intents the worker records as placed, with the same order ids.
    const placed = finals.filter((intent) => AT_BROKER.has(intent.status));
    const placedKey = (intent: qtsExecutionV1.GetIntentResponse) => intentKey(requestOf.get(intent.intentId) as qtsExecutionV1.SubmitIntentRequest);
    expect(new Set(keys)).toEqual(new Set(placed.map(placedKey)));
    const orderIdAtBroker = new Map(orders.map((order) => [keyOf(order), order.orderId]));
    for (const intent of placed) expect(intent.orderId).toBe(orderIdAtBroker.get(placedKey(intent)));
    // Over REST the orders of the run were told apart by what was sent: none was left to an operator.
    expect(finals.filter((intent) => intent.operatorFlag !== '')).toEqual([]);

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
