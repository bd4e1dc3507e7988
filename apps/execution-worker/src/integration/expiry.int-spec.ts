import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import { startSimulatorProcess, TEST_ACCOUNTS, waitFor, type SimulatorProcess } from '@qts/test-support';
import { grpcFailure, submitRequest } from '../../test/execution-grpc-client';
import { ExecutionReportRecorder } from '../../test/execution-report-recorder';
import { scratchDir, startWorkerProcess, writeWorkerBrokersConfig, type WorkerProcess } from '../../test/worker-process';

const ADMIN_KEY = 'integration-admin-key-0123456789';
/** The strategy engine's deadline for every SubmitIntent of these tests. */
const CLIENT_DEADLINE_MS = 2_000;
const SYMBOL = '001510';

const { PendingReason } = qtsExecutionV1;
const { OrderStatus, OrderType } = qtsTypeV1;

/** A one-share MARKET buy of SYMBOL. */
function marketBuy(intentId: string, overrides: Partial<qtsExecutionV1.SubmitIntentRequest> = {}) {
  return submitRequest(intentId, { symbol: SYMBOL, quantity: 1, orderType: OrderType.MARKET, limitPrice: '', ...overrides });
}

/** A one-share LIMIT buy of SYMBOL far below the market: it rests at the simulator. */
function restingBuy(intentId: string, overrides: Partial<qtsExecutionV1.SubmitIntentRequest> = {}) {
  return submitRequest(intentId, { symbol: SYMBOL, quantity: 1, limitPrice: '500', ...overrides });
}

/** A warm-up order on another symbol, to learn that the report stream is subscribed. */
const warmUp = (intentId: string) => submitRequest(intentId, { symbol: '034220', quantity: 1, limitPrice: '5000' });

function simulatorWithOneKisAccount(): Promise<SimulatorProcess> {
  return startSimulatorProcess({
    brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
  });
}

async function placeOrderCalls(simulator: SimulatorProcess): Promise<number> {
  return (await simulator.admin.getBrokerStats('kis')).requests['PlaceOrder'] ?? 0;
}

async function untilStatus(worker: WorkerProcess, intentId: string, wanted: (status: qtsTypeV1.OrderStatus) => boolean) {
  return waitFor(
    async () => {
      const intent = await worker.client.getIntent(intentId);
      return wanted(intent.status) ? intent : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50, description: `${intentId} in the wanted state` },
  );
}

/** Waits until the worker has stored the intent (GetIntent knows it): the next one arrives after it. */
function untilStored(worker: WorkerProcess, intentId: string) {
  return waitFor(() => worker.client.getIntent(intentId), { timeoutMs: 10_000, intervalMs: 10, description: `${intentId} stored` });
}

describe('time: intents never execute after their expiry, SubmitIntent never outlives its deadline (real worker and simulator)', () => {
  describe('three ambiguous failures on one symbol', () => {
    let simulator: SimulatorProcess;
    let worker: WorkerProcess;
    let recorder: ExecutionReportRecorder;

    beforeAll(async () => {
      simulator = await simulatorWithOneKisAccount();
      const dir = scratchDir('worker-expiry-');
      worker = await startWorkerProcess({
        // The broker's own grace (2.5 s) rather than WORKER_RECONCILE_GRACE_MS (30 s by default).
        brokersConfig: writeWorkerBrokersConfig(simulator, dir, undefined, { reconcileGraceMs: 2_500 }),
        databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
        env: {
          ADMIN_API_KEY: ADMIN_KEY,
          BROKER_DEADLINE_MS: '1000',
          WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
          WORKER_RECONCILE_MAX_DELAY_MS: '250',
          WORKER_OPEN_ORDER_POLL_MS: '0',
        },
      });
      recorder = new ExecutionReportRecorder(worker.client);
      await recorder.ready(worker.client, warmUp);
    });

    afterAll(async () => {
      recorder?.close();
      await worker?.stop();
      await simulator?.stop();
    });

    it('runs later intents after reconciliation within their expiry, or refuses them EXPIRED, never later', async () => {
      await simulator.admin.setFaults('kis', { failNext: { count: 3, code: 'UNAVAILABLE', rpcs: ['PlaceOrder'] } });
      const placeOrdersBefore = await placeOrderCalls(simulator);

      // The first MARKET order fails ambiguously: UNKNOWN, and its key is blocked until the broker's grace has passed.
      const first = await worker.client.submitIntent(marketBuy('first'), CLIENT_DEADLINE_MS);
      expect(first).toMatchObject({ status: OrderStatus.UNKNOWN, failSafeCode: 'FS042', pendingReason: PendingReason.RECONCILING });
      const metrics = await (await fetch(`${worker.httpUrl}/metrics`)).text();
      expect(metrics).toContain('execution_worker_blocked_keys{broker_id="kis"} 1');
      expect(metrics).toMatch(/execution_worker_oldest_unknown_order_age_seconds\{broker_id="kis"\} \d/);

      // What a strategy sends meanwhile on the same symbol, each stored before the next arrives. The second and the
      // fourth are sent after reconciliation and fail ambiguously too (the simulator fails three PlaceOrder calls).
      const plan: [string, qtsExecutionV1.SubmitIntentRequest][] = [
        ['stale-1', marketBuy('stale-1', { maxDelayMs: 1_500 })],
        ['second', restingBuy('second')],
        ['stale-2', marketBuy('stale-2', { maxDelayMs: 4_000 })],
        ['third', restingBuy('third')],
        ['late-market', marketBuy('late-market', { maxDelayMs: 20_000 })],
        ['late-limit', restingBuy('late-limit')],
      ];
      const answers = new Map<string, Promise<qtsExecutionV1.SubmitIntentResponse | { code: number; details: string }>>();
      for (const [id, request] of plan) {
        answers.set(id, worker.client.submitIntent(request, CLIENT_DEADLINE_MS).catch(grpcFailure));
        await untilStored(worker, id);
      }

      // The operator resets the fail-safe once the third ambiguous failure has tripped it.
      await untilStatus(worker, 'third', (s) => s === OrderStatus.UNKNOWN);
      await expect(worker.client.resetFailSafe({ brokerId: 'kis', reason: 'injected failures' }, ADMIN_KEY)).resolves.toEqual({
        resetBrokerIds: ['kis'],
      });
      for (const id of ['late-market', 'late-limit']) await untilStatus(worker, id, (s) => s !== OrderStatus.PENDING);
      for (const id of ['first', 'second', 'third']) await untilStatus(worker, id, (s) => s !== OrderStatus.UNKNOWN);

      // No SubmitIntent call outlived its deadline: each answered OK, the blocked ones PENDING with the reason.
      const answered = new Map<string, qtsExecutionV1.SubmitIntentResponse>();
      for (const [id, answer] of answers) {
        const response = await answer;
        expect({ id, code: 'code' in response ? response.code : status.OK }).toEqual({ id, code: status.OK });
        answered.set(id, response as qtsExecutionV1.SubmitIntentResponse);
      }
      expect(answered.get('stale-1')).toMatchObject({ status: OrderStatus.REJECTED, failSafeCode: 'FS050' });
      for (const id of ['second', 'stale-2', 'third', 'late-market', 'late-limit']) {
        expect(answered.get(id)).toMatchObject({
          status: OrderStatus.PENDING,
          pendingReason: PendingReason.BLOCKED_BY_UNKNOWN_ORDER,
          failSafeCode: '',
        });
      }

      // The outcomes.
      const final = new Map(
        await Promise.all(['first', ...plan.map(([id]) => id)].map(async (id) => [id, await worker.client.getIntent(id)] as const)),
      );
      for (const id of ['first', 'second', 'third']) {
        expect(final.get(id)).toMatchObject({ status: OrderStatus.REJECTED, failSafeCode: 'FS042', submittedAt: expect.any(String) });
        expect(final.get(id)?.message).toMatch(/never reached the broker/);
      }
      for (const id of ['stale-1', 'stale-2']) {
        expect(final.get(id)).toMatchObject({ status: OrderStatus.REJECTED, failSafeCode: 'FS050', submittedAt: '' });
        expect(recorder.of(id).map((report) => [report.status, report.failSafeCode])).toEqual([
          [OrderStatus.PENDING, ''],
          [OrderStatus.REJECTED, 'FS050'],
        ]);
      }
      expect(final.get('late-market')).toMatchObject({ accepted: true, status: OrderStatus.FILLED });
      expect(final.get('late-limit')).toMatchObject({ accepted: true, status: OrderStatus.ACCEPTED });

      // At the simulator: only the two late intents exist, each placed before its expiry; the stale ones never arrived.
      const orders = (await simulator.admin.listOrders('kis')).filter((order) => final.has(order.clientOrderId));
      expect(orders.map((order) => order.clientOrderId).sort()).toEqual(['late-limit', 'late-market']);
      for (const order of orders) {
        expect(Date.parse(order.createdAt)).toBeLessThanOrEqual(Date.parse(final.get(order.clientOrderId)?.expiresAt ?? ''));
      }
      // Five PlaceOrder calls: the three that failed and the two late intents.
      expect((await placeOrderCalls(simulator)) - placeOrdersBefore).toBe(5);
      // A stale intent was refused at its expiry, not when the grace of the order ahead of it ended.
      const staleRefused = recorder.of('stale-1').find((report) => report.status === OrderStatus.REJECTED);
      const firstSettled = recorder.of('first').find((report) => report.status === OrderStatus.REJECTED);
      expect(Date.parse(staleRefused?.timestamp ?? '')).toBeLessThan(Date.parse(firstSettled?.timestamp ?? ''));
      expect(Date.parse(staleRefused?.timestamp ?? '')).toBeGreaterThanOrEqual(Date.parse(final.get('stale-1')?.expiresAt ?? ''));
      expect(await (await fetch(`${worker.httpUrl}/metrics`)).text()).toContain(
        'execution_worker_intents_rejected_total{fail_safe_code="FS050"} 2',
      );
    });
  });

  describe('a broker much slower than the caller', () => {
    let simulator: SimulatorProcess;
    let worker: WorkerProcess;
    let recorder: ExecutionReportRecorder;

    beforeAll(async () => {
      simulator = await simulatorWithOneKisAccount();
      const dir = scratchDir('worker-deadline-');
      worker = await startWorkerProcess({
        brokersConfig: writeWorkerBrokersConfig(simulator, dir),
        databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
        env: { WORKER_RECONCILE_INITIAL_DELAY_MS: '100', WORKER_RECONCILE_MAX_DELAY_MS: '250', WORKER_OPEN_ORDER_POLL_MS: '0' },
      });
      recorder = new ExecutionReportRecorder(worker.client);
      await recorder.ready(worker.client, warmUp);
    });

    afterAll(async () => {
      recorder?.close();
      await worker?.stop();
      await simulator?.stop();
    });

    it('answers PENDING within a 2 s deadline while the broker takes 10 s; the outcome follows on the stream and GetIntent', async () => {
      // The simulator places the order, then answers 10 s later; the worker's broker deadline is 5 s (the default).
      await simulator.admin.setFaults('kis', { latency: { latencyMs: 10_000, rpcs: ['PlaceOrder'] } });

      const startedAt = Date.now();
      const answer = await worker.client.submitIntent(marketBuy('slow-1'), CLIENT_DEADLINE_MS);
      const elapsedMs = Date.now() - startedAt;

      expect(answer).toMatchObject({
        intentId: 'slow-1',
        accepted: false,
        status: OrderStatus.PENDING,
        pendingReason: PendingReason.AWAITING_BROKER,
        failSafeCode: '',
        duplicate: false,
      });
      expect(elapsedMs).toBeLessThan(CLIENT_DEADLINE_MS);
      const repeated = await worker.client.submitIntent(marketBuy('slow-1'), CLIENT_DEADLINE_MS);
      expect(repeated).toMatchObject({ duplicate: true, status: OrderStatus.PENDING, pendingReason: PendingReason.AWAITING_BROKER });

      const settled = await recorder.waitFor('slow-1', (report) => report.status === OrderStatus.FILLED, 30_000);
      expect(settled.message).toMatch(/reconciled with the broker/);
      expect(recorder.of('slow-1').map((report) => report.status)).toEqual([
        OrderStatus.PENDING,
        OrderStatus.UNKNOWN,
        OrderStatus.FILLED,
      ]);
      await expect(worker.client.getIntent('slow-1')).resolves.toMatchObject({
        accepted: true,
        status: OrderStatus.FILLED,
        pendingReason: PendingReason.UNSPECIFIED,
      });
      await expect(worker.client.submitIntent(marketBuy('slow-1'), CLIENT_DEADLINE_MS)).resolves.toMatchObject({
        duplicate: true,
        accepted: true,
        status: OrderStatus.FILLED,
      });
      const atBroker = (await simulator.admin.listOrders('kis')).filter((order) => order.clientOrderId === 'slow-1');
      expect(atBroker).toHaveLength(1);
      expect(Date.parse(atBroker[0].createdAt)).toBeLessThanOrEqual(Date.parse(answer.expiresAt));
    });
  });

  describe('a worker restarted after a long outage', () => {
    let simulator: SimulatorProcess;
    let worker: WorkerProcess;

    beforeAll(async () => {
      simulator = await simulatorWithOneKisAccount();
      const dir = scratchDir('worker-outage-');
      worker = await startWorkerProcess({
        brokersConfig: writeWorkerBrokersConfig(simulator, dir),
        databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
        env: { WORKER_RECONCILE_INITIAL_DELAY_MS: '100', WORKER_RECONCILE_MAX_DELAY_MS: '250', WORKER_OPEN_ORDER_POLL_MS: '0' },
      });
    });

    afterAll(async () => {
      await worker?.stop();
      await simulator?.stop();
    });

    it('refuses the stored intents whose expiry passed while it was down, sends none of them, and sends the others', async () => {
      // The head of the queue is in flight for 3 s (placed at the simulator, answered late), so the others wait.
      await simulator.admin.setFaults('kis', { latency: { latencyMs: 3_000, rpcs: ['PlaceOrder'] } });
      const head = await worker.client.submitIntent(restingBuy('head'), 1_000);
      expect(head).toMatchObject({ status: OrderStatus.PENDING, pendingReason: PendingReason.AWAITING_BROKER });
      const queued = new Map<string, qtsExecutionV1.SubmitIntentResponse>();
      for (const [id, request] of [
        ['stale-a', marketBuy('stale-a', { maxDelayMs: 2_000 })],
        ['stale-b', marketBuy('stale-b', { maxDelayMs: 2_000 })],
        ['patient', restingBuy('patient', { maxDelayMs: 120_000 })],
      ] as const) {
        const answer = await worker.client.submitIntent(request, 500);
        expect(answer).toMatchObject({ status: OrderStatus.PENDING, pendingReason: PendingReason.QUEUED });
        queued.set(id, answer);
      }

      // The worker dies with them stored and unsent, and stays down past their expiry.
      await worker.kill('SIGKILL');
      const staleUntil = Math.max(...['stale-a', 'stale-b'].map((id) => Date.parse(queued.get(id)?.expiresAt ?? '')));
      await waitFor(() => Date.now() > staleUntil + 200, { timeoutMs: 10_000, intervalMs: 50, description: 'the stale intents expired' });
      await simulator.admin.clearFaults('kis');
      await worker.restart();

      for (const id of ['head', 'patient']) await untilStatus(worker, id, (s) => s === OrderStatus.ACCEPTED);
      for (const id of ['stale-a', 'stale-b']) {
        const stale = await untilStatus(worker, id, (s) => s === OrderStatus.REJECTED);
        expect(stale).toMatchObject({ failSafeCode: 'FS050', submittedAt: '' });
        expect(stale.message).toMatch(/^expired at /);
      }
      const orders = await simulator.admin.listOrders('kis');
      expect(orders.map((order) => order.clientOrderId).sort()).toEqual(['head', 'patient']);
      expect(await placeOrderCalls(simulator)).toBe(2);
      const patient = await worker.client.getIntent('patient');
      const placed = orders.find((order) => order.clientOrderId === 'patient');
      expect(Date.parse(placed?.createdAt ?? '')).toBeLessThanOrEqual(Date.parse(patient.expiresAt));
    });
  });

  describe('ambiguous failures across symbols', () => {
    let simulator: SimulatorProcess;
    let worker: WorkerProcess;

    beforeAll(async () => {
      simulator = await simulatorWithOneKisAccount();
      const dir = scratchDir('worker-failsafe-symbols-');
      worker = await startWorkerProcess({
        brokersConfig: writeWorkerBrokersConfig(simulator, dir),
        databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
        env: { WORKER_OPEN_ORDER_POLL_MS: '0' },
      });
    });

    afterAll(async () => {
      await worker?.stop();
      await simulator?.stop();
    });

    it('still trips the fail-safe after three in a row: the next intents are refused at once (FS046), nothing sent', async () => {
      await simulator.admin.setFaults('kis', { failNext: { count: 3, code: 'UNAVAILABLE', rpcs: ['PlaceOrder'] } });
      const symbols = ['001510', '034220', '005930', '000660', '035720'];

      const answers = [];
      for (const [index, symbol] of symbols.entries()) {
        answers.push(await worker.client.submitIntent(marketBuy(`across-${index}`, { symbol }), CLIENT_DEADLINE_MS));
      }

      expect(answers.slice(0, 3).map((answer) => [answer.status, answer.failSafeCode])).toEqual([
        [OrderStatus.UNKNOWN, 'FS042'],
        [OrderStatus.UNKNOWN, 'FS042'],
        [OrderStatus.UNKNOWN, 'FS042'],
      ]);
      expect(answers.slice(3)).toEqual([
        expect.objectContaining({ broker: 'failsafe', status: OrderStatus.REJECTED, failSafeCode: 'FS046' }),
        expect.objectContaining({ broker: 'failsafe', status: OrderStatus.REJECTED, failSafeCode: 'FS046' }),
      ]);
      expect(await placeOrderCalls(simulator)).toBe(3);
    });
  });
});
