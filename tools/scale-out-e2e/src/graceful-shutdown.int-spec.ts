import { request as httpRequest } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import {
  findRepositoryRoot,
  startPostgres,
  startRedisServer,
  startSimulatorProcess,
  waitFor,
  type PostgresServer,
  type RedisServerProcess,
  type SimulatorProcess,
} from '@qts/test-support';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { parseAllDocuments, stringify } from 'yaml';
import { scratchDir, startApp, type AppProcess } from '../test/app-process';

/**
 * SIGTERM under load, on real processes: 2 gateways and 2 workers built from the apps, on one PostgreSQL and one
 * Redis, in front of the simulator answering every PlaceOrder after 800 ms (so orders are in flight). A strategy
 * engine submits intents to both workers, a backend team places REST orders through the first gateway; then the
 * first gateway and the first worker get SIGTERM, as Kubernetes sends it after the preStop pause. Clients do what
 * the error tells them: a call refused with SERVICE_STOPPING or a refused connection was not processed and is sent
 * again to the other replica (some intents deliberately not, to prove the other worker takes them over by itself).
 */
const BROKER_ID = 'kis';
const ACCOUNT_ID = '50012345-01';
const ADMIN_API_KEY = 'drain-admin-key-0123456789abcdef';
const PLACE_ORDER_LATENCY_MS = 800;
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
const INTENTS = 96;
const REST_ORDERS = 40;
const REST_CONCURRENCY = 8;
const SETTLED_AT_BROKER = new Set([
  qtsTypeV1.OrderStatus.ACCEPTED,
  qtsTypeV1.OrderStatus.PARTIAL,
  qtsTypeV1.OrderStatus.FILLED,
  qtsTypeV1.OrderStatus.CANCELLED,
]);

/** What a client got for one call. `refused`: a definite "not processed here" (retry elsewhere). */
type CallOutcome =
  { kind: 'answered'; at: number } | { kind: 'refused'; why: string } | { kind: 'cut'; why: string };

/** The pod's drain budget in the manifests: terminationGracePeriodSeconds minus the preStop pause before SIGTERM. */
function drainBudgetMs(deployment: string): number {
  const root = findRepositoryRoot(__dirname);
  const documents = parseAllDocuments(
    readFileSync(join(root, 'deploy', 'base', `${deployment}.yaml`), 'utf8'),
  ).map((doc) => doc.toJS());
  const spec = documents.find((doc) => doc?.kind === 'Deployment')?.spec?.template?.spec;
  const grace = Number(spec?.terminationGracePeriodSeconds);
  const preStop = Number(spec?.containers?.[0]?.lifecycle?.preStop?.sleep?.seconds ?? 0);
  if (!(grace > preStop))
    throw new Error(`deploy/base/${deployment}.yaml: no terminationGracePeriodSeconds above its preStop`);
  return (grace - preStop) * 1_000;
}

function withKey(): Metadata {
  const metadata = new Metadata();
  metadata.set('x-api-key', ADMIN_API_KEY);
  return metadata;
}

/** A refusal the server made before processing anything: its SERVICE_STOPPING answer, or no connection at all. */
function grpcOutcome(error: ServiceError): CallOutcome {
  const code = error.metadata?.get('qts-error-code')?.[0];
  if (error.code === status.UNAVAILABLE && code === 'SERVICE_STOPPING')
    return { kind: 'refused', why: 'SERVICE_STOPPING' };
  if (error.code === status.UNAVAILABLE && /ECONNREFUSED|No connection established/i.test(error.details)) {
    return { kind: 'refused', why: 'connection refused' };
  }
  return { kind: 'cut', why: `${status[error.code]}: ${error.details}` };
}

function submitIntent(
  client: qtsExecutionV1.ExecutionServiceClient,
  request: qtsExecutionV1.SubmitIntentRequest,
): Promise<{ outcome: CallOutcome; response?: qtsExecutionV1.SubmitIntentResponse }> {
  return new Promise((resolve) =>
    client.submitIntent(request, withKey(), { deadline: Date.now() + 60_000 }, (error, response) =>
      resolve(
        error ? { outcome: grpcOutcome(error) } : { outcome: { kind: 'answered', at: Date.now() }, response },
      ),
    ),
  );
}

/** POST an order on a connection of its own (no keep-alive reuse across the shutdown). */
function placeRestOrder(
  baseUrl: string,
  key: string,
  symbol: string,
  price: string,
): Promise<{ outcome: CallOutcome; status?: number; body?: string }> {
  const body = JSON.stringify({ symbol, side: 'BUY', orderType: 'LIMIT', quantity: 1, price });
  return new Promise((resolve) => {
    const request = httpRequest(
      `${baseUrl}/api/v1/brokers/${BROKER_ID}/accounts/${ACCOUNT_ID}/orders`,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'X-API-Key': ADMIN_API_KEY, 'Idempotency-Key': key },
        timeout: 60_000,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const stopping = response.statusCode === 503 && text.includes('"SERVICE_STOPPING"');
          resolve({
            outcome: stopping
              ? { kind: 'refused', why: 'SERVICE_STOPPING' }
              : { kind: 'answered', at: Date.now() },
            status: response.statusCode,
            body: text,
          });
        });
        response.on('error', (error) =>
          resolve({ outcome: { kind: 'cut', why: `response: ${error.message}` } }),
        );
      },
    );
    // A connection refused, or reset before it was established (the exiting process's listen backlog), carried no
    // request: as definite a refusal as SERVICE_STOPPING. Anything later is a cut.
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        outcome:
          error.code === 'ECONNREFUSED' || (error.code === 'ECONNRESET' && error.syscall === 'connect')
            ? { kind: 'refused', why: `connection not established (${error.code})` }
            : { kind: 'cut', why: `${error.code}: ${error.message}` },
      }),
    );
    request.end(body);
  });
}

interface HealthWatch {
  statuses: string[];
  cancel(): void;
}

function watchHealth(address: string): HealthWatch {
  const definition = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: {
      health: {
        v1: {
          Health: new (
            address: string,
            creds: unknown,
          ) => {
            watch(request: { service: string }): NodeJS.EventEmitter & { cancel(): void };
            close(): void;
          };
        };
      };
    };
  };
  const client = new definition.grpc.health.v1.Health(address, credentials.createInsecure());
  const call = client.watch({ service: '' });
  const statuses: string[] = [];
  call.on('data', (answer: { status: string }) => statuses.push(answer.status));
  call.on('error', () => undefined);
  return {
    statuses,
    cancel: () => {
      call.cancel();
      client.close();
    },
  };
}

/** SIGTERM, then what the process did until it exited by itself (or was killed at the manifests' budget). */
async function terminate(
  app: AppProcess,
  budgetMs: number,
): Promise<{ exitedAfterMs: number; killed: boolean; readiness: number[] }> {
  const readiness: number[] = [];
  const started = Date.now();
  const exited = app.terminate(budgetMs);
  let done = false;
  void exited.then(() => (done = true));
  // Readiness as the kubelet reads it, until the HTTP server closes.
  while (!done) {
    const answer = await fetch(`${app.httpUrl}/health/ready`).then(
      (response) => response.status,
      () => undefined,
    );
    if (answer !== undefined) readiness.push(answer);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { killed } = await exited;
  return { exitedAfterMs: Date.now() - started, killed, readiness };
}

describe('graceful shutdown under load: SIGTERM to a gateway and a worker while orders are in flight', () => {
  let simulator: SimulatorProcess;
  let redis: RedisServerProcess;
  let postgres: PostgresServer;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    simulator = await startSimulatorProcess({
      brokers: [
        { id: BROKER_ID, type: 'KIS', preset: 'none', accounts: [{ id: ACCOUNT_ID, type: 'PAPER' }] },
      ],
    });
    await simulator.admin.setFaults(BROKER_ID, {
      latency: { latencyMs: PLACE_ORDER_LATENCY_MS, rpcs: ['PlaceOrder'] },
    });
    [redis, postgres] = await Promise.all([startRedisServer(), startPostgres('drain')]);
    const [gatewayDb, workerDb] = await Promise.all([
      postgres.createDatabase('gateway'),
      postgres.createDatabase('worker'),
    ]);
    const brokersConfig = join(scratchDir('drain-'), 'brokers.yaml');
    writeFileSync(
      brokersConfig,
      stringify({
        brokers: [
          {
            id: BROKER_ID,
            type: 'KIS',
            grpc: { host: '127.0.0.1', port: simulator.brokerPorts[BROKER_ID] },
            rateLimit: { rules: [{ id: 'requests', limit: 500, windowMs: 1000 }] },
            required: true,
            accounts: [{ id: ACCOUNT_ID, name: 'paper', type: 'PAPER', default: true }],
          },
        ],
      }),
    );
    const common = {
      BROKERS_CONFIG: brokersConfig,
      RATE_LIMIT_MODE: 'redis',
      REDIS_URL: redis.url,
      ADMIN_API_KEY,
      BROKER_HEALTH_INTERVAL_MS: '1000',
      WORKER_LEASE_TTL_MS: '4000',
      LOG_LEVEL: 'info',
    };
    // All four at once on empty databases: the migrations serialise themselves.
    apps.push(
      ...(await Promise.all([
        startApp('gateway-api', 'gateway-1', { ...common, DATABASE_URL: gatewayDb }),
        startApp('gateway-api', 'gateway-2', { ...common, DATABASE_URL: gatewayDb }),
        startApp('execution-worker', 'worker-1', { ...common, DATABASE_URL: workerDb }),
        startApp('execution-worker', 'worker-2', { ...common, DATABASE_URL: workerDb }),
      ])),
    );
    for (const app of apps) {
      await waitFor(async () => (await fetch(`${app.httpUrl}/health/ready`)).status === 200, {
        timeoutMs: 60_000,
        intervalMs: 200,
        description: `${app.name} ready`,
      });
    }
    // A new (empty) Redis ledger grants nothing for one owner TTL (docs/operations.md): the load starts once the
    // shared budget grants, as it would minutes after a first deploy.
    await waitFor(
      async () =>
        (
          await fetch(`${apps[0].httpUrl}/api/v1/brokers/${BROKER_ID}/quotes/${SYMBOLS[0][0]}`, {
            headers: { 'X-API-Key': ADMIN_API_KEY },
          })
        ).status === 200,
      { timeoutMs: 20_000, intervalMs: 250, description: 'the shared rate budget granting' },
    );
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await simulator?.stop();
    await redis?.stop();
    await postgres?.stop();
  });

  it('answers every call, loses no intent and places no order twice; readiness goes first, the drain fits the manifests', async () => {
    const [gateway1, gateway2, worker1, worker2] = apps;
    const workerClients = [worker1, worker2].map(
      (worker) => new qtsExecutionV1.ExecutionServiceClient(worker.grpcAddress, credentials.createInsecure()),
    );
    const workerHealth = watchHealth(worker1.grpcAddress);
    const gatewayHealth = watchHealth(gateway1.grpcAddress);
    await waitFor(
      () => workerHealth.statuses.includes('SERVING') && gatewayHealth.statuses.includes('SERVING'),
      {
        timeoutMs: 10_000,
        description: 'health watches SERVING',
      },
    );

    // The strategy engine: every intent to one of the two workers; refused ones again to the other, except every
    // fourth, which nobody submits again.
    const intentOutcomes: {
      intentId: string;
      toFirstWorker: boolean;
      first: CallOutcome;
      retried?: CallOutcome;
    }[] = [];
    const intents = Array.from({ length: INTENTS }, (_, n) => {
      const [symbol, price] = SYMBOLS[n % SYMBOLS.length];
      const request: qtsExecutionV1.SubmitIntentRequest = {
        intentId: `drain-${n}`,
        strategyId: 'drain',
        brokerId: BROKER_ID,
        accountId: ACCOUNT_ID,
        symbol,
        side: qtsTypeV1.OrderSide.BUY,
        quantity: 1,
        orderType: qtsTypeV1.OrderType.LIMIT,
        limitPrice: price,
        dryRun: false,
        expiresAt: '',
        maxDelayMs: 0,
      };
      const target = n % 2;
      return submitIntent(workerClients[target], request).then(async ({ outcome }) => {
        const record: (typeof intentOutcomes)[number] = {
          intentId: request.intentId,
          toFirstWorker: target === 0,
          first: outcome,
        };
        if (outcome.kind === 'refused' && n % 4 !== 0)
          record.retried = (await submitIntent(workerClients[1 - target], request)).outcome;
        intentOutcomes.push(record);
      });
    });

    // A backend team: REST orders through the first gateway, refused ones again through the second, same key.
    const restOutcomes: {
      key: string;
      first: CallOutcome;
      retried?: CallOutcome;
      status?: number;
      body?: string;
    }[] = [];
    let nextOrder = 0;
    const restLoops = Array.from({ length: REST_CONCURRENCY }, async () => {
      for (let n = nextOrder++; n < REST_ORDERS; n = nextOrder++) {
        const [symbol, price] = SYMBOLS[n % SYMBOLS.length];
        const key = `drain-rest-${n}`;
        const first = await placeRestOrder(gateway1.httpUrl, key, symbol, price);
        const record: (typeof restOutcomes)[number] = {
          key,
          first: first.outcome,
          status: first.status,
          body: first.body?.slice(0, 300),
        };
        if (first.outcome.kind === 'refused') {
          const again = await placeRestOrder(gateway2.httpUrl, key, symbol, price);
          record.retried = again.outcome;
          record.status = again.status;
          record.body = again.body?.slice(0, 300);
        }
        restOutcomes.push(record);
      }
    });

    // Orders of each worker at the broker (its next ones in flight behind them), then SIGTERM to one of each.
    const ordersFromWorker = (orders: { clientOrderId: string }[], target: number) =>
      orders.filter((order) => Number(/^drain-(\d+)$/.exec(order.clientOrderId)?.[1] ?? -1) % 2 === target)
        .length;
    await waitFor(
      async () => {
        const orders = await simulator.admin.listOrders(BROKER_ID);
        return orders.length >= 8 && ordersFromWorker(orders, 0) >= 4 && ordersFromWorker(orders, 1) >= 4;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 20,
        description: 'orders in flight',
      },
    );
    const sigtermAt = Date.now();
    const [workerStop, gatewayStop] = await Promise.all([
      terminate(worker1, drainBudgetMs('execution-worker')),
      terminate(gateway1, drainBudgetMs('gateway-api')),
    ]);
    await Promise.all([...intents, ...restLoops]);

    // No call cut without an answer; the refusals are definite (SERVICE_STOPPING, or no connection).
    const cut = [
      ...intentOutcomes.flatMap((o) => [o.first, o.retried]).filter((o) => o?.kind === 'cut'),
      ...restOutcomes.flatMap((o) => [o.first, o.retried]).filter((o) => o?.kind === 'cut'),
    ];
    expect(cut).toEqual([]);
    expect(restOutcomes.filter((o) => o.status !== 201 && o.status !== 200)).toEqual([]);
    // The drain had work of each kind: calls the stopping processes answered after SIGTERM, and intents handed back.
    const answeredAfterSigterm = intentOutcomes.filter(
      (o) => o.toFirstWorker && o.first.kind === 'answered' && o.first.at > sigtermAt,
    ).length;
    const handedBack = intentOutcomes.filter(
      (o) => o.first.kind === 'refused' && o.first.why === 'SERVICE_STOPPING',
    ).length;
    expect(answeredAfterSigterm).toBeGreaterThan(0);
    expect(handedBack).toBeGreaterThan(0);
    expect(
      restOutcomes.filter((o) => o.first.kind === 'answered' && o.first.at > sigtermAt).length,
    ).toBeGreaterThan(0);

    // Readiness first: 503 while draining; gRPC health NOT_SERVING before the servers closed; exits by themselves,
    // within the pods' budgets.
    expect(workerStop.readiness).toContain(503);
    expect(gatewayStop.readiness).toContain(503);
    expect(workerHealth.statuses).toContain('NOT_SERVING');
    expect(gatewayHealth.statuses).toContain('NOT_SERVING');
    expect({ worker: workerStop.killed, gateway: gatewayStop.killed }).toEqual({
      worker: false,
      gateway: false,
    });
    workerHealth.cancel();
    gatewayHealth.cancel();

    // No intent lost: each one is placed, those nobody submitted again too (taken over by the other worker).
    const survivor = workerClients[1];
    const finals = await waitFor(
      async () => {
        const all = await Promise.all(
          Array.from(
            { length: INTENTS },
            (_, n) =>
              new Promise<qtsExecutionV1.GetIntentResponse | undefined>((resolve) =>
                survivor.getIntent({ intentId: `drain-${n}` }, withKey(), (error, response) =>
                  resolve(error ? undefined : response),
                ),
              ),
          ),
        );
        return all.every((intent) => intent !== undefined && SETTLED_AT_BROKER.has(intent.status))
          ? all
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'every intent placed' },
    );
    expect(finals).toHaveLength(INTENTS);

    // No order twice: one order per intent and per REST idempotency key, counted at the broker.
    const orders = await simulator.admin.listOrders(BROKER_ID);
    const clientOrderIds = orders.map((order) => order.clientOrderId);
    expect(new Set(clientOrderIds).size).toBe(clientOrderIds.length);
    expect(clientOrderIds.filter((id) => id.startsWith('drain-')).length).toBe(INTENTS);
    expect(orders.length).toBe(INTENTS + REST_ORDERS);

    console.log(
      `SIGTERM under load: worker drained and exited in ${workerStop.exitedAfterMs} ms (budget ${drainBudgetMs('execution-worker')} ms), ` +
        `gateway in ${gatewayStop.exitedAfterMs} ms (budget ${drainBudgetMs('gateway-api')} ms); the stopping worker answered ${answeredAfterSigterm} ` +
        `intents after SIGTERM and handed ${handedBack} back (${intentOutcomes.filter((o) => o.first.kind === 'refused' && !o.retried).length} ` +
        `left to the other worker), ${restOutcomes.filter((o) => o.retried).length} REST orders sent again to the other gateway`,
    );
    for (const client of workerClients) client.close();
  });
});
