import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findRepositoryRoot, startOnFreePort, TEST_ACCOUNTS, type BrokerBench, type SimulatorProcess } from '@qts/test-support';
import { stringify } from 'yaml';
import { ExecutionGrpcClient } from './execution-grpc-client';

export const WORKER_READY_PREFIX = 'EXECUTION_WORKER_READY ';
/** ADMIN_API_KEY of worker processes whose environment names none; their `client` uses it. */
export const WORKER_PROCESS_ADMIN_KEY = 'worker-process-admin-key-0123456789';
const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 10_000;

const running = new Set<ChildProcess>();
const scratchDirs = new Set<string>();
process.once('exit', () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed when the test process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.add(dir);
  return dir;
}

/**
 * The worker's brokers.yaml for the simulator's brokers, with an explicit rate-limit rule (the simulator runs with
 * preset none or the same rule, so the broker's limit is not what a test measures).
 */
export function writeWorkerBrokersConfig(
  simulator: SimulatorProcess,
  dir: string,
  rules: { id: string; limit: number; windowMs: number }[] = [{ id: 'requests', limit: 500, windowMs: 1000 }],
  /** Settings added to every broker entry, e.g. `{ reconcileGraceMs: 2500 }`. */
  brokerSettings: Record<string, unknown> = {},
): string {
  const file = join(dir, 'brokers.yaml');
  const brokers = simulator.brokers.map((broker) => ({
    id: broker.id,
    type: broker.type,
    grpc: { host: HOST, port: simulator.brokerPorts[broker.id] },
    rateLimit: { rules },
    required: true,
    ...brokerSettings,
    accounts: (broker.accounts ?? [{ id: TEST_ACCOUNTS.paper, type: 'PAPER' }]).map((account, index) => ({
      id: account.id,
      name: `account ${account.id}`,
      type: account.type,
      default: index === 0,
    })),
  }));
  writeFileSync(file, stringify({ brokers }), 'utf8');
  return file;
}

/** The worker's brokers.yaml for brokers of a bench (either transport), with an explicit rate-limit rule. */
export function writeBenchBrokersConfig(
  bench: BrokerBench,
  brokerIds: string[],
  dir: string,
  rules: { id: string; limit: number; windowMs: number }[] = [{ id: 'requests', limit: 500, windowMs: 1000 }],
): string {
  const file = join(dir, 'brokers.yaml');
  writeFileSync(file, stringify({ brokers: brokerIds.map((id) => bench.entry(id, { rateLimit: { rules }, required: true })) }), 'utf8');
  return file;
}

export interface WorkerProcessOptions {
  brokersConfig: string;
  /** sqlite:<file> or postgres://... */
  databaseUrl: string;
  /** Extra environment (WORKER_*, BROKER_DEADLINE_MS, ADMIN_API_KEY ...). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface WorkerProcess {
  readonly grpcAddress: string;
  readonly httpUrl: string;
  readonly pid: number;
  /** A client of the current process with its admin key (replaced on restart). */
  readonly client: ExecutionGrpcClient;
  /** The process's ADMIN_API_KEY. */
  readonly adminApiKey: string;
  /** Sends the signal (default SIGKILL) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, bounded wait, then SIGKILL. */
  stop(): Promise<void>;
  /** Starts again on the same ports and the same database; resolves at READY. */
  restart(): Promise<void>;
  /** The tail of the process output, for failure messages. */
  logs(): string;
}

/**
 * Runs the built worker (`node dist/apps/execution-worker/main.js`) as a child process on free ports and resolves
 * once it printed its READY line. Every process is SIGKILLed when the test process exits. The configuration
 * refuses port 0, so the ports are picked first; when another process takes one before the worker binds it, the
 * worker starts again on new ones. restart() binds the same ports again (another process could take one while
 * the worker is down: the restart then fails, naming the port).
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const root = findRepositoryRoot(__dirname);
  const main = join(root, 'dist', 'apps', 'execution-worker', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: run \`npx nx run execution-worker:build\` first`);
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const environment = (grpcPort: number, httpPort: number): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    TZ: 'UTC',
    BROKERS_CONFIG: options.brokersConfig,
    DATABASE_URL: options.databaseUrl,
    BIND_HOST: HOST,
    WORKER_GRPC_PORT: String(grpcPort),
    WORKER_HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'warn',
    ADMIN_API_KEY: WORKER_PROCESS_ADMIN_KEY,
    ...options.env,
  });

  const started = await startOnFreePort(
    async ([grpcPort, httpPort]) => {
      const env = environment(grpcPort, httpPort);
      return { env, grpcPort, httpPort, child: await spawnUntilReady(main, root, env, readyTimeoutMs) };
    },
    { ports: 2, host: HOST },
  );
  const { env, grpcPort, httpPort } = started;
  const adminApiKey = env['ADMIN_API_KEY'] as string;
  let child = started.child;
  let client = new ExecutionGrpcClient(`${HOST}:${grpcPort}`, adminApiKey);

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    client.close();
    await terminate(child.process, signal);
  };
  return {
    grpcAddress: `${HOST}:${grpcPort}`,
    httpUrl: `http://${HOST}:${httpPort}`,
    get pid() {
      return child.process.pid as number;
    },
    get client() {
      return client;
    },
    adminApiKey,
    kill,
    stop: () => kill('SIGTERM'),
    async restart() {
      await kill('SIGTERM');
      child = await spawnUntilReady(main, root, env, readyTimeoutMs);
      client = new ExecutionGrpcClient(`${HOST}:${grpcPort}`, adminApiKey);
    },
    logs: () => child.output(),
  };
}

interface RunningWorker {
  process: ChildProcess;
  output: () => string;
}

function spawnUntilReady(main: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunningWorker> {
  const child = spawn(process.execPath, [main], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-16_384);
  };
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => fail(`the worker was not ready within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`the worker exited (${signal ?? `code ${code}`}) before it was ready`);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
    };
    function fail(message: string): void {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${message}\n--- worker output ---\n${output}`));
    }
    lines.on('line', (line) => {
      output = (output + line + '\n').slice(-16_384);
      if (line.startsWith(WORKER_READY_PREFIX)) {
        cleanup();
        resolve({ process: child, output: () => output });
      }
    });
    child.once('exit', onExit);
  });
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const gone = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
