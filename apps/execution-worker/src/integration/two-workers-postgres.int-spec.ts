import { AccountType, BrokerType } from '@qts/broker-domain';
import { qtsTypeV1, type qtsExecutionV1 } from '@qts/grpc-contracts';
import {
  startPostgres,
  startSimulatorProcess,
  TEST_ACCOUNTS,
  waitFor,
  type PostgresServer,
  type SimulatorProcess,
} from '@qts/test-support';
import { Client } from 'pg';
import { submitRequest } from '../../test/execution-grpc-client';
import { scratchDir, startWorkerProcess, writeWorkerBrokersConfig, type WorkerProcess } from '../../test/worker-process';
import { WORKER_DATABASE } from '../app/persistence/worker-database';

const SYMBOLS: [string, string][] = [
  ['001510', '500'],
  ['034220', '5000'],
  ['010140', '5000'],
  ['015760', '10000'],
  ['003490', '10000'],
  ['030200', '20000'],
  ['000660', '100000'],
  ['005930', '70100'],
];
const SETTLED_AT_BROKER = new Set([
  qtsTypeV1.OrderStatus.ACCEPTED,
  qtsTypeV1.OrderStatus.PARTIAL,
  qtsTypeV1.OrderStatus.FILLED,
  qtsTypeV1.OrderStatus.CANCELLED,
]);
const IN_FLIGHT = new Set([qtsTypeV1.OrderStatus.PENDING, qtsTypeV1.OrderStatus.UNKNOWN, qtsTypeV1.OrderStatus.UNSPECIFIED]);

/** `count` intents spread over the symbols (one queue per symbol in a worker), ids `<prefix>-<n>`. */
function intents(prefix: string, count: number): qtsExecutionV1.SubmitIntentRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const [symbol, price] = SYMBOLS[i % SYMBOLS.length];
    return submitRequest(`${prefix}-${i}`, { symbol, quantity: 1, limitPrice: price });
  });
}

describe('two workers on one PostgreSQL (real server, real worker processes, the simulator with latency)', () => {
  let postgres: PostgresServer;
  let simulator: SimulatorProcess;
  let databaseUrl: string;
  let database: Client;
  let brokersConfig: string;
  const workers: WorkerProcess[] = [];
  const env = {
    WORKER_RATE_LIMIT_SHARE: '1',
    WORKER_LEASE_TTL_MS: '4000',
    WORKER_RECONCILE_GRACE_MS: '6000',
    WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
    WORKER_RECONCILE_MAX_DELAY_MS: '1000',
  };

  /** Orders at the simulator whose client order id starts with the prefix. */
  const ordersAtBroker = async (prefix: string) =>
    (await simulator.admin.listOrders('kis')).filter((order) => order.clientOrderId.startsWith(`${prefix}-`));

  const orderEvents = async (prefix: string) =>
    (
      await database.query<{ intent_id: string; to_status: string; source: string }>(
        `SELECT intent_id, to_status, source FROM order_events WHERE intent_id LIKE $1 ORDER BY id`,
        [`${prefix}-%`],
      )
    ).rows;

  beforeAll(async () => {
    postgres = await startPostgres();
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
    });
    brokersConfig = writeWorkerBrokersConfig(simulator, scratchDir('two-workers-'));
    databaseUrl = await postgres.createDatabase('two_workers');
    database = new Client({ connectionString: databaseUrl });
    await database.connect();
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await database?.end();
    await simulator?.stop();
    await postgres?.stop();
  });

  it('starts three workers at once on an empty database: each becomes ready, every migration runs once', async () => {
    const started = await Promise.all([1, 2, 3].map(() => startWorkerProcess({ brokersConfig, databaseUrl, env })));
    workers.push(...started);

    const applied = await database.query<{ name: string }>('SELECT name FROM worker_migrations ORDER BY id');
    expect(applied.rows.map((row) => row.name)).toEqual(WORKER_DATABASE.migrations.map((migration) => migration.name));
    const leases = await database.query<{ pid: number }>('SELECT pid FROM worker_leases');
    expect(leases.rows.map((row) => Number(row.pid)).sort()).toEqual(started.map((worker) => worker.pid).sort());

    // Two replicas from here on; the third stops cleanly and removes its lease.
    const third = workers.pop() as WorkerProcess;
    await third.stop();
    expect((await database.query('SELECT pid FROM worker_leases')).rows).toHaveLength(2);
  });

  it('places one order for each intent submitted to both workers at the same moment; both callers get its answer', async () => {
    const [a, b] = workers;
    await simulator.admin.setFaults('kis', { latency: { latencyMs: 300, rpcs: ['PlaceOrder'] } });
    const requests = intents('both', 48);

    const answers = await Promise.all(requests.map((request) => Promise.all([a.client.submitIntent(request), b.client.submitIntent(request)])));

    for (const [fromA, fromB] of answers) {
      expect(fromA).toMatchObject({ accepted: true, orderId: fromB.orderId, status: fromB.status });
      expect([fromA.duplicate, fromB.duplicate].sort()).toEqual([false, true]);
      expect(fromA.orderId).not.toBe('');
    }
    const orders = await ordersAtBroker('both');
    expect(orders).toHaveLength(48);
    expect(new Set(orders.map((order) => order.clientOrderId)).size).toBe(48);
  });

  it("restarts one worker while the other has orders in flight: the starting worker's recovery leaves them alone", async () => {
    const [a, b] = workers;
    await simulator.admin.setFaults('kis', { latency: { latencyMs: 1_500, rpcs: ['PlaceOrder'] } });
    const requests = intents('busy', 40);
    const submitted = Promise.all(requests.map((request) => a.client.submitIntent(request, 60_000)));
    const inFlightAtBroker = async () =>
      Number(
        (
          await database.query(
            `SELECT count(*) AS n FROM orders WHERE intent_id LIKE 'busy-%' AND status = 'PENDING' AND submitted_at IS NOT NULL`,
          )
        ).rows[0].n,
      );
    await waitFor(async () => (await inFlightAtBroker()) > 0, { timeoutMs: 30_000, intervalMs: 50, description: 'orders in flight' });

    await b.restart();
    // The race was real: the restarted worker ran its start-up recovery while the other still had orders in flight.
    expect(await inFlightAtBroker()).toBeGreaterThan(0);

    const answers = await submitted;
    expect(answers.every((answer) => answer.accepted && answer.status === qtsTypeV1.OrderStatus.ACCEPTED)).toBe(true);
    const events = await orderEvents('busy');
    expect(events.filter((event) => event.to_status === 'UNKNOWN' || event.source !== 'intent' && event.source !== 'broker')).toEqual([]);
    const orders = await ordersAtBroker('busy');
    expect(orders).toHaveLength(40);
    expect(new Set(orders.map((order) => order.clientOrderId)).size).toBe(40);
  });

  it('lets the running worker take over what a killed one left: unsent intents sent once, sent orders reconciled, none sent twice', async () => {
    const [a, b] = workers;
    await simulator.admin.setFaults('kis', { latency: { latencyMs: 1_000, rpcs: ['PlaceOrder'] } });
    const requests = intents('killed', 40);
    const firstAnswers = requests.map((request) => a.client.submitIntent(request, 60_000).catch(() => undefined));
    await waitFor(async () => (await ordersAtBroker('killed')).length >= 8, {
      timeoutMs: 30_000,
      intervalMs: 50,
      description: 'orders reaching the broker',
    });
    await a.kill('SIGKILL');
    await Promise.all(firstAnswers);
    const leftBehind = await database.query<{ n: string }>(
      `SELECT count(*) AS n FROM intents WHERE intent_id LIKE 'killed-%' AND answered_at IS NULL`,
    );
    expect(Number(leftBehind.rows[0].n)).toBeGreaterThan(0);

    // Nobody submits them again: the other worker takes them over by itself (the killed process ran on this host).
    const finals = await waitFor(
      async () => {
        const all = await Promise.all(requests.map((request) => b.client.getIntent(request.intentId)));
        return all.every((intent) => !IN_FLIGHT.has(intent.status)) ? all : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'every intent of the killed worker settled by the other one' },
    );

    const orders = await ordersAtBroker('killed');
    expect(new Set(orders.map((order) => order.clientOrderId)).size).toBe(orders.length);
    const placed = finals.filter((intent) => SETTLED_AT_BROKER.has(intent.status));
    expect(new Set(orders.map((order) => order.clientOrderId))).toEqual(new Set(placed.map((intent) => intent.intentId)));
    for (const intent of finals.filter((candidate) => !SETTLED_AT_BROKER.has(candidate.status))) {
      expect(intent).toMatchObject({ status: qtsTypeV1.OrderStatus.REJECTED, message: expect.stringContaining('never reached the broker') });
    }
    const owners = await database.query<{ owner_id: string }>(
      `SELECT DISTINCT owner_id FROM intents WHERE intent_id LIKE 'killed-%' AND answered_at IS NOT NULL AND owner_id IS NOT NULL`,
    );
    expect(owners.rows.every((row) => row.owner_id.includes(`/${b.pid}/`) || row.owner_id.includes(`/${a.pid}/`))).toBe(true);
    console.log(
      `killed worker: ${orders.length} orders at the broker for 40 intents, ${placed.length} placed, ${finals.length - placed.length} never reached it`,
    );
    workers.splice(0, 1);
  });
});
