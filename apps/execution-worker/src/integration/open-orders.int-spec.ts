import { join } from 'node:path';
import { credentials, Metadata, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { jtsV1, qtsTypeV1, type qtsExecutionV1 } from '@qts/grpc-contracts';
import { startSimulatorProcess, waitFor, type SimulatorProcess, TEST_ACCOUNTS } from '@qts/test-support';
import { submitRequest } from '../../test/execution-grpc-client';
import {
  scratchDir,
  startWorkerProcess,
  writeWorkerBrokersConfig,
  type WorkerProcess,
} from '../../test/worker-process';

const POLL_MS = 250;

describe('open orders: a change made at the broker after the order was accepted reaches the worker', () => {
  let simulator: SimulatorProcess;
  let worker: WorkerProcess;
  let trading: jtsV1.TradingServiceClient;
  let stream: ClientReadableStream<qtsExecutionV1.ExecutionReport> | undefined;
  const reports: qtsExecutionV1.ExecutionReport[] = [];

  beforeAll(async () => {
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
    });
    const dir = scratchDir('worker-open-orders-');
    worker = await startWorkerProcess({
      brokersConfig: writeWorkerBrokersConfig(simulator, dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      env: { WORKER_OPEN_ORDER_POLL_MS: String(POLL_MS) },
    });
    trading = new jtsV1.TradingServiceClient(simulator.brokerAddress('kis'), credentials.createInsecure());
    stream = worker.client.streamExecutionReports({ strategyId: '', brokerId: 'kis' });
    stream.on('data', (report: qtsExecutionV1.ExecutionReport) => reports.push(report));
    stream.on('error', () => undefined);
  });

  afterAll(async () => {
    stream?.cancel();
    trading?.close();
    await worker?.stop();
    await simulator?.stop();
  });

  it('reports a resting LIMIT buy cancelled at the simulator as CANCELLED (GetIntent and the report stream)', async () => {
    // 500 KRW for 001510 is far below its quote: the order rests, ACCEPTED.
    const response = await worker.client.submitIntent(submitRequest('rest-1', { symbol: '001510', quantity: 1, limitPrice: '500' }));
    expect(response).toMatchObject({ accepted: true, status: qtsTypeV1.OrderStatus.ACCEPTED, duplicate: false });
    expect(response.orderId).not.toBe('');

    // A few poll rounds over an unchanged order change nothing.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 4));
    expect((await worker.client.getIntent('rest-1')).status).toBe(qtsTypeV1.OrderStatus.ACCEPTED);
    expect(reports.filter((report) => report.intentId === 'rest-1').map((report) => report.status)).toEqual([
      qtsTypeV1.OrderStatus.PENDING,
      qtsTypeV1.OrderStatus.ACCEPTED,
    ]);

    const cancelled = await new Promise<jtsV1.OrderResponse>((resolve, reject) =>
      trading.cancelOrder(
        { orderId: response.orderId, accountId: TEST_ACCOUNTS.paper },
        new Metadata(),
        { deadline: Date.now() + 5_000 },
        (error: ServiceError | null, value?: jtsV1.OrderResponse) => (error ? reject(error) : resolve(value as jtsV1.OrderResponse)),
      ),
    );
    expect(cancelled).toBeDefined();
    const cancelledAt = Date.now();

    const settled = await waitFor(
      async () => {
        const intent = await worker.client.getIntent('rest-1');
        return intent.status === qtsTypeV1.OrderStatus.CANCELLED ? intent : undefined;
      },
      { timeoutMs: POLL_MS * 20, intervalMs: 50, description: 'rest-1 CANCELLED at the worker' },
    );
    console.log(`cancellation at the simulator seen by the worker after ${Date.now() - cancelledAt} ms (poll ${POLL_MS} ms)`);
    expect(settled).toMatchObject({ accepted: true, orderId: response.orderId });
    await waitFor(
      async () => reports.some((report) => report.intentId === 'rest-1' && report.status === qtsTypeV1.OrderStatus.CANCELLED) || undefined,
      { timeoutMs: 5_000, intervalMs: 50, description: 'CANCELLED report streamed' },
    );
    const streamed = reports.filter((report) => report.intentId === 'rest-1');
    expect(streamed.map((report) => report.status)).toEqual([
      qtsTypeV1.OrderStatus.PENDING,
      qtsTypeV1.OrderStatus.ACCEPTED,
      qtsTypeV1.OrderStatus.CANCELLED,
    ]);
    expect(streamed[2]).toMatchObject({ orderId: response.orderId, filledQuantity: 0, strategyId: 'momentum-kr', brokerId: 'kis' });

    // Followed by reading only: the order was placed once.
    const stats = await simulator.admin.getBrokerStats('kis');
    expect(stats.requests['PlaceOrder']).toBe(1);
    expect(stats.requests['GetOrderStatus'] ?? 0).toBeGreaterThan(0);
    const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/execution_worker_open_order_changes_total\{status="CANCELLED"\} 1/);
    expect(metrics).toMatch(/execution_worker_open_order_polls_total [1-9]\d*/);
  });
});
