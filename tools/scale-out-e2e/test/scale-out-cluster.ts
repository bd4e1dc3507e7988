import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startRedisServer,
  startSimulatorProcess,
  waitFor,
  type RedisServerProcess,
  type SimulatorProcess,
  startPostgres,
  type PostgresServer,
} from '@qts/test-support';
import { stringify } from 'yaml';
import { scratchDir, startApp, type AppProcess } from './app-process';

export const BROKER_ID = 'kis';
export const ACCOUNT_ID = '50012345-01';
export const ADMIN_API_KEY = 'scale-out-admin-key-0123456789';

export interface ScaleOutCluster {
  simulator: SimulatorProcess;
  redis: RedisServerProcess;
  postgres: PostgresServer;
  gateways: AppProcess[];
  workers: AppProcess[];
  /** Names of the app processes that exited on their own. */
  exited(): string[];
  stop(): Promise<void>;
}

export interface ScaleOutOptions {
  gateways: number;
  workers: number;
  /** Part of the broker's limit only trading may use (the broker entry's `tradingReserve`). */
  tradingReserve: number;
  /** RATE_LIMIT_OWNER_TTL_MS of every app (also the fence after Redis lost its data). */
  ownerTtlMs: number;
}

/**
 * The platform as its users deploy it, on this machine: one simulated KIS paper broker (2 requests/s, counted
 * on arrival), Redis for the shared rate-limit ledger, PostgreSQL with one database for the gateways and one
 * for the workers, and N gateway and M worker processes built from the apps, all started at once on the empty
 * databases (each app's migrations run under a lock, once).
 */
export async function startScaleOutCluster(options: ScaleOutOptions): Promise<ScaleOutCluster> {
  const started: { stop(): Promise<void> }[] = [];
  const apps: AppProcess[] = [];
  try {
    const simulator = await startSimulatorProcess({
      brokers: [
        { id: BROKER_ID, type: 'KIS', preset: 'kis-paper', accounts: [{ id: ACCOUNT_ID, type: 'PAPER' }] },
      ],
      args: ['--quote-interval-ms', '200'],
    });
    started.push(simulator);
    const redis = await startRedisServer();
    started.push(redis);
    const postgres = await startPostgres('scale_out');
    started.push(postgres);
    const [gatewayDb, workerDb] = await Promise.all([
      postgres.createDatabase('gateway'),
      postgres.createDatabase('worker'),
    ]);

    const dir = scratchDir('scale-out-');
    const brokersConfig = join(dir, 'brokers.yaml');
    writeFileSync(
      brokersConfig,
      stringify({
        brokers: [
          {
            id: BROKER_ID,
            type: 'KIS',
            grpc: { host: '127.0.0.1', port: simulator.brokerPorts[BROKER_ID] },
            rateLimit: { preset: 'kis-paper', tradingReserve: options.tradingReserve },
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
      RATE_LIMIT_OWNER_TTL_MS: String(options.ownerTtlMs),
      ADMIN_API_KEY,
      BROKER_HEALTH_INTERVAL_MS: '1000',
      BROKER_DEADLINE_MS: '3000',
    };
    const gateway = (n: number) =>
      startApp('gateway-api', `gateway-${n}`, { ...common, DATABASE_URL: gatewayDb });
    const worker = (n: number) =>
      startApp('execution-worker', `worker-${n}`, { ...common, DATABASE_URL: workerDb });
    const track = async (app: Promise<AppProcess>) => {
      const process = await app;
      apps.push(process);
      return process;
    };
    // Every replica at once, as a first install does: their migrations serialise themselves.
    const [gateways, workers] = await Promise.all([
      Promise.all(Array.from({ length: options.gateways }, (_, i) => track(gateway(i + 1)))),
      Promise.all(Array.from({ length: options.workers }, (_, i) => track(worker(i + 1)))),
    ]);
    // Ready: database, the broker CONNECTED and the shared rate-limit ledger reachable.
    for (const app of [...gateways, ...workers]) {
      await waitFor(async () => (await fetch(`${app.httpUrl}/health/ready`)).status === 200, {
        timeoutMs: 60_000,
        intervalMs: 200,
        description: `${app.name} ready`,
      });
    }
    return {
      simulator,
      redis,
      postgres,
      gateways,
      workers,
      exited: () => apps.filter((app) => app.exit !== undefined).map((app) => `${app.name} (${app.exit})`),
      async stop() {
        await Promise.all(apps.map((app) => app.stop()));
        for (const service of started.reverse()) await service.stop();
      },
    };
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    throw error;
  }
}
