import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { qtsExecutionV1, qtsGatewayV1, qtsTypeV1 } from '@qts/grpc-contracts';
import {
  SimulatorAdminClient,
  startBuiltApp,
  startSimulatorProcess,
  waitFor,
  type BuiltAppProcess,
  type SimulatorProcess,
} from '@qts/test-support';
import { CallLoad } from '../test/call-load';

const ADMIN_API_KEY = 'reliability-suite-admin-key-0123456789';
const PAPER_ACCOUNT = '50012345-01';
/** The one deadline of a broker call, its rate-limit wait included (BROKER_DEADLINE_MS). */
const BROKER_DEADLINE_MS = 1_500;
/** What a strategy engine gives SubmitIntent: the worker answers before it (PENDING when the outcome is unknown). */
const SUBMIT_DEADLINE_MS = 4_000;
/** Results that must never appear: an HTTP 500, a gRPC INTERNAL or UNKNOWN, a call the client could not make. */
const SERVER_FAULTS = /^(500|INTERNAL|UNKNOWN|thrown)/;

interface Scenario {
  name: string;
  /** Breaks the broker; resolves once it is broken. */
  fault(simulator: SimulatorProcess): Promise<void>;
  /** How long it stays broken. */
  brokenMs: number;
  /** Mends it; resolves once it is mended. */
  mend(simulator: SimulatorProcess): Promise<void>;
  /** The broker comes back as a new process (its counts start again). */
  restarts?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'simulator SIGSTOPped for 3 s', fault: (s) => s.kill('SIGSTOP'), brokenMs: 3_000, mend: (s) => s.kill('SIGCONT') },
  { name: 'simulator SIGSTOPped for 7 s', fault: (s) => s.kill('SIGSTOP'), brokenMs: 7_000, mend: (s) => s.kill('SIGCONT') },
  { name: 'simulator SIGKILLed, restarted 2 s later', fault: (s) => s.kill('SIGKILL'), brokenMs: 2_000, mend: (s) => s.restart(), restarts: true },
];

/**
 * The broker (the JTS simulator, KIS real limits: 20 requests in any second) stalls, or dies and comes back, while
 * the built gateway and worker are under load: REST and gRPC quotes at the gateway, intents at the worker. The
 * broker counts every request over its limit; the suite counts every answer and times every call.
 */
describe('reliability: the broker stalls and dies under load; the gateway and the worker ride it out', () => {
  let folder: string;
  let simulator: SimulatorProcess;
  let gateway: BuiltAppProcess;
  let worker: BuiltAppProcess;
  const closers: Array<() => void> = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'reliability-e2e-'));
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: 'KIS', preset: 'kis-real', accounts: [{ id: PAPER_ACCOUNT, type: 'PAPER' }] }],
    });
    const common = {
      BROKERS_CONFIG: simulator.configPath,
      ADMIN_API_KEY,
      RATE_LIMIT_MODE: 'split',
      BROKER_HEALTH_INTERVAL_MS: '500',
      BROKER_DEADLINE_MS: String(BROKER_DEADLINE_MS),
    };
    [gateway, worker] = await Promise.all([
      startBuiltApp('gateway-api', 'gateway', { ...common, DATABASE_URL: `sqlite:${join(folder, 'gateway.sqlite')}` }),
      startBuiltApp('execution-worker', 'worker', { ...common, DATABASE_URL: `sqlite:${join(folder, 'worker.sqlite')}`, WORKER_RECONCILE_GRACE_MS: '3000' }),
    ]);
    for (const app of [gateway, worker]) await waitFor(async () => (await readiness(app)) === 200, { timeoutMs: 30_000, description: `${app.name} ready` });
  });

  afterAll(async () => {
    closers.forEach((close) => close());
    await Promise.all([gateway?.stop(), worker?.stop()]);
    await simulator?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it.each(SCENARIOS)('$name: no 500, no call past its deadline + 1 s, no violation; readiness 503 while broken, 200 again after', async (scenario) => {
    const loads = startLoads();
    const probes = new ReadinessProbes([gateway, worker]);
    let violationsBefore = 0;
    try {
      await delay(1_000);
      violationsBefore = await violations(simulator);
      const brokenAt = performance.now();
      await scenario.fault(simulator);
      await delay(scenario.brokenMs);
      await scenario.mend(simulator);
      const mendedAt = performance.now();
      await waitFor(async () => (await readiness(gateway)) === 200 && (await readiness(worker)) === 200, {
        timeoutMs: 15_000,
        intervalMs: 50,
        description: 'both apps ready again',
      });
      const readyAfterMs = performance.now() - mendedAt;
      // Recovered without a restart: quotes answered again by the same processes.
      await waitFor(() => loads.rest.okAfter(mendedAt + readyAfterMs) > 0, { timeoutMs: 10_000, description: 'a quote answered after recovery' });
      await delay(500);
      await Promise.all(Object.values(loads).map((load) => load.stop()));
      probes.stop();
      const violationsAfter = await violations(simulator);

      const report = {
        scenario: scenario.name,
        readyAgainAfterMs: Math.round(readyAfterMs),
        readinessWhileBroken: probes.statuses(brokenAt, mendedAt),
        brokerViolations: scenario.restarts === true ? violationsBefore + violationsAfter : violationsAfter,
        longestCallMs: Object.fromEntries(Object.values(loads).map((load) => [load.name, Math.round(load.longestMs())])),
        answers: Object.fromEntries(Object.values(loads).map((load) => [load.name, load.counts()])),
      };
      console.log(`reliability: ${JSON.stringify(report)}`);

      expect(report.brokerViolations).toBe(0);
      for (const load of Object.values(loads)) {
        expect(Object.keys(load.counts()).filter((result) => SERVER_FAULTS.test(result))).toEqual([]);
      }
      expect(loads.rest.longestMs()).toBeLessThanOrEqual(BROKER_DEADLINE_MS + 1_000);
      expect(loads.grpc.longestMs()).toBeLessThanOrEqual(BROKER_DEADLINE_MS + 1_000);
      expect(loads.intents.counts()['DEADLINE_EXCEEDED'] ?? 0).toBe(0);
      expect(loads.intents.longestMs()).toBeLessThanOrEqual(SUBMIT_DEADLINE_MS + 1_000);
      // The probes saw the broker's outage: 503 while it was broken, from both apps.
      expect(report.readinessWhileBroken[gateway.name]).toContain(503);
      expect(report.readinessWhileBroken[worker.name]).toContain(503);
      expect([gateway.exit, worker.exit]).toEqual([undefined, undefined]);
    } finally {
      await Promise.all(Object.values(loads).map((load) => load.stop()));
      probes.stop();
    }
  });

  /** REST quotes (4 callers) and gRPC quotes (2) at the gateway, distinct intents (2) at the worker. */
  function startLoads(): { rest: CallLoad; grpc: CallLoad; intents: CallLoad } {
    const quotes = new qtsGatewayV1.BrokerGatewayServiceClient(gateway.grpcAddress, credentials.createInsecure());
    const execution = new qtsExecutionV1.ExecutionServiceClient(worker.grpcAddress, credentials.createInsecure());
    closers.push(
      () => quotes.close(),
      () => execution.close(),
    );
    const keyed = new Metadata();
    keyed.set('x-api-key', ADMIN_API_KEY);
    const rest = new CallLoad('gateway REST quotes', 4, async () => {
      const response = await fetch(`${gateway.httpUrl}/api/v1/brokers/kis/quotes/005930`, { headers: { 'x-api-key': ADMIN_API_KEY } });
      await response.arrayBuffer();
      return response.status === 200 ? 'ok' : String(response.status);
    });
    const grpc = new CallLoad('gateway gRPC quotes', 2, () =>
      new Promise((resolve) =>
        quotes.getQuote({ brokerId: 'kis', symbol: '005930' }, keyed, { deadline: Date.now() + 10_000 }, (error) => resolve(outcomeOf(error))),
      ),
    );
    const run = `${Date.now().toString(36)}`;
    const intents = new CallLoad('worker intents', 2, (index) =>
      new Promise((resolve) =>
        execution.submitIntent(
          {
            intentId: `reliability-${run}-${index}`,
            strategyId: 'reliability',
            brokerId: 'kis',
            accountId: PAPER_ACCOUNT,
            symbol: '005930',
            side: qtsTypeV1.OrderSide.BUY,
            quantity: 1,
            orderType: qtsTypeV1.OrderType.LIMIT,
            // Far under the market: the orders rest and use up nothing.
            limitPrice: '1000',
            dryRun: false,
            expiresAt: '',
            maxDelayMs: 0,
          },
          keyed,
          { deadline: Date.now() + SUBMIT_DEADLINE_MS },
          (error) => resolve(outcomeOf(error)),
        ),
      ),
    );
    return { rest, grpc, intents };
  }
});

/** Polls `/health/ready` of each app every 200 ms, keeping when and what it answered. */
class ReadinessProbes {
  private readonly samples: Array<{ app: string; at: number; status: number }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(apps: BuiltAppProcess[]) {
    this.timer = setInterval(() => {
      for (const app of apps) {
        const at = performance.now();
        void readiness(app).then((answer) => this.samples.push({ app: app.name, at, status: answer }));
      }
    }, 200);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The distinct statuses each app answered to probes sent in [from, to). */
  statuses(from: number, to: number): Record<string, number[]> {
    const seen: Record<string, number[]> = {};
    for (const sample of this.samples) {
      if (sample.at < from || sample.at >= to) continue;
      const statuses = (seen[sample.app] ??= []);
      if (!statuses.includes(sample.status)) statuses.push(sample.status);
    }
    return seen;
  }
}

/** The status of `/health/ready`, or 0 when the app did not answer within 2 s. */
async function readiness(app: BuiltAppProcess): Promise<number> {
  try {
    const response = await fetch(`${app.httpUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Requests the broker refused over its limit, as it counted them (this simulator process). */
async function violations(simulator: SimulatorProcess): Promise<number> {
  const admin = new SimulatorAdminClient(`127.0.0.1:${simulator.adminPort}`);
  try {
    return (await admin.getBrokerStats('kis')).totalViolations;
  } finally {
    admin.close();
  }
}

function outcomeOf(error: ServiceError | null): string {
  return error === null ? 'ok' : (status[error.code] ?? String(error.code));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
