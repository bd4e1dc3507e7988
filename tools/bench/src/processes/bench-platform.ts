import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { startOnFreePort, startSimulatorProcess, type SimulatorProcess } from '@qts/test-support';
import { stringify } from 'yaml';
import { startBenchProcess, type BenchProcess } from './bench-process';

export const BENCH_BROKER_ID = 'kis';
export const BENCH_ACCOUNT_ID = '50012345-01';
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

/** A running gateway or worker of the benchmarks. */
export interface BenchApp {
  readonly process: BenchProcess;
  readonly httpUrl: string;
  readonly grpcAddress: string;
}

/**
 * The simulator (its own rate limits off) and the apps of one benchmark section, on loopback, with a brokers.yaml
 * whose rule is far above what two cores can send: the limiter's bookkeeping is measured, never its waiting.
 */
export class BenchPlatform {
  private readonly started: Array<{ stop(): Promise<void> }> = [];

  private constructor(
    readonly simulator: SimulatorProcess,
    readonly brokersFile: string,
    private readonly scratch: string,
  ) {}

  static async start(): Promise<BenchPlatform> {
    const simulator = await startSimulatorProcess({
      brokers: [{ id: BENCH_BROKER_ID, type: BrokerType.KIS, preset: 'none', accounts: [{ id: BENCH_ACCOUNT_ID, type: AccountType.PAPER }] }],
      logLevel: 'error',
    });
    const scratch = mkdtempSync(join(tmpdir(), 'qts-bench-'));
    const brokersFile = join(scratch, 'brokers.yaml');
    writeFileSync(
      brokersFile,
      stringify({
        brokers: [
          {
            id: BENCH_BROKER_ID,
            type: 'KIS',
            grpc: { host: '127.0.0.1', port: simulator.brokerPorts[BENCH_BROKER_ID] },
            rateLimit: { rules: [{ id: 'requests', limit: 1_000_000, windowMs: 1_000 }] },
            required: true,
            accounts: [{ id: BENCH_ACCOUNT_ID, name: 'paper', type: 'PAPER', default: true }],
          },
        ],
      }),
    );
    return new BenchPlatform(simulator, brokersFile, scratch);
  }

  /** A file path in this platform's scratch folder (removed by stop()). */
  scratchPath(name: string): string {
    return join(this.scratch, name);
  }

  /**
   * A built gateway with every feature on, as it runs in production: API keys from its database, validation, the
   * rate limiter (memory mode), metrics, and its JSON request log at info level, read and dropped as a container
   * runtime would.
   */
  startGateway(name: string, env: Record<string, string> = {}, main = 'dist/apps/gateway-api/main.js'): Promise<BenchApp> {
    return this.startApp(main, 'gateway-api ready', (http, grpc) => ({
      GATEWAY_HTTP_PORT: String(http),
      GATEWAY_GRPC_PORT: String(grpc),
      DATABASE_URL: `sqlite:${this.scratchPath(`${name}.sqlite`)}`,
      ...env,
    }));
  }

  /** A built execution worker, its database on SQLite in the scratch folder unless `env` names another. */
  startWorker(name: string, env: Record<string, string> = {}): Promise<BenchApp> {
    return this.startApp('dist/apps/execution-worker/main.js', 'EXECUTION_WORKER_READY ', (http, grpc) => ({
      WORKER_HTTP_PORT: String(http),
      WORKER_GRPC_PORT: String(grpc),
      DATABASE_URL: `sqlite:${this.scratchPath(`${name}.sqlite`)}`,
      ...env,
    }));
  }

  /** Starts and keeps a process to stop with the platform. */
  async keep<T extends { stop(): Promise<void> }>(started: Promise<T>): Promise<T> {
    const value = await started;
    this.started.push(value);
    return value;
  }

  async stop(): Promise<void> {
    for (const running of this.started.reverse()) await running.stop().catch(() => undefined);
    await this.simulator.stop();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private async startApp(main: string, ready: string, ports: (http: number, grpc: number) => Record<string, string>): Promise<BenchApp> {
    const app = await startOnFreePort(
      async ([http, grpc]) => {
        const process = await startBenchProcess([...profilingFlags(), main], {
          NODE_ENV: 'production',
          BROKERS_CONFIG: this.brokersFile,
          BIND_HOST: '127.0.0.1',
          RATE_LIMIT_MODE: 'memory',
          ADMIN_API_KEY: BENCH_ADMIN_KEY,
          LOG_LEVEL: 'info',
          ...ports(http as number, grpc as number),
        }, ready);
        return { process, httpUrl: `http://127.0.0.1:${http}`, grpcAddress: `127.0.0.1:${grpc}`, stop: () => process.stop() };
      },
      { ports: 2 },
    );
    this.started.push(app);
    return app;
  }
}

/**
 * `BENCH_PROFILE_DIR=tmp/profiles npm run bench`: every app the benchmarks start writes a V8 CPU profile there when
 * it stops (open it in Chrome DevTools or speedscope), to see where the time of a figure goes.
 */
function profilingFlags(): string[] {
  const dir = process.env['BENCH_PROFILE_DIR'];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}
