import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { killOnExit } from './process-exit-cleanup';
import { findRepositoryRoot } from './repository-root';

export const REST_SIMULATOR_READY_PREFIX = 'REST_BROKER_SIMULATOR_READY ';
const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 5_000;

/** A REST broker to simulate. */
export interface RestSimulatorBrokerSpec {
  id: string;
  type: 'KIS' | 'KIWOOM';
  /** kis-paper (KIS default), kis-real, kiwoom (Kiwoom default) or none. */
  preset?: string;
  /** Account ids (KIS: "CANO-ACNT_PRDT_CD"); default 50012345-01 / 5012345601. */
  accounts?: string[];
  /** Rules replacing the preset's rule of the same id, e.g. a shorter token window. */
  rules?: Array<{ id: string; limit: number; windowMs: number }>;
}

export interface StartRestSimulatorOptions {
  brokers: RestSimulatorBrokerSpec[];
  /** Lifetime of issued tokens; default the brokers' 24 hours. */
  tokenTtlMs?: number;
  seed?: number;
  /** Only these app keys are accepted. */
  acceptAppKeys?: string[];
  args?: string[];
  readyTimeoutMs?: number;
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Default: the build output dist/tools/rest-broker-simulator/main.js. */
  simulatorMain?: string;
  /** How long stop() waits after SIGTERM before SIGKILL; default 5 s. */
  stopTimeoutMs?: number;
}

export interface RestFaultsInput {
  latency?: { latencyMs: number; apis?: string[] };
  errorRate?: { rate: number; status?: number; brokerCode?: string; apis?: string[] };
  failNext?: { count: number; status?: number; brokerCode?: string; apis?: string[] };
  /** null releases a stall (so does clearFaults). */
  stall?: { apis?: string[] } | null;
}

/** An order row of a simulated broker's ledger (GET /admin/brokers/:id/orders): orders and cancels. */
export interface RestLedgerOrder {
  orderNo: string;
  kind: 'order' | 'cancel';
  accountId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  orderType: 'MARKET' | 'LIMIT';
  quantity: number;
  price?: string;
  orderedAt: string;
  originalOrderNo?: string;
}

/** The statistics of one simulated broker (GET /admin/stats). */
export interface RestBrokerStats {
  up: boolean;
  port: number;
  requests: Record<string, number>;
  violations: Record<string, number>;
  tokensIssued: number;
  tokensIssuedPerAppKey: Record<string, number>;
  ordersPlaced: number;
  injectedFailures: number;
  stalled: number;
}

export interface RestSimulatorProcess {
  readonly adminPort: number;
  readonly brokerPorts: Readonly<Record<string, number>>;
  readonly pid: number;
  /** http://127.0.0.1:<port> of a broker. */
  brokerUrl(brokerId: string): string;
  stats(brokerId: string): Promise<RestBrokerStats>;
  setFaults(brokerId: string, faults: RestFaultsInput): Promise<void>;
  clearFaults(brokerId: string): Promise<void>;
  down(brokerId: string): Promise<void>;
  up(brokerId: string): Promise<void>;
  expireTokens(brokerId: string): Promise<number>;
  resetStats(brokerId: string, resetRateWindows?: boolean): Promise<void>;
  /** Every row of the broker's order ledger: orders and the cancels of them. */
  orders(brokerId: string): Promise<RestLedgerOrder[]>;
  /** SIGTERM, a bounded wait, then SIGKILL. */
  stop(): Promise<void>;
  logs(): string;
}

export function restSimulatorMainPath(root: string = findRepositoryRoot()): string {
  return path.join(root, 'dist', 'tools', 'rest-broker-simulator', 'main.js');
}

/**
 * Spawns the built REST broker simulator with every port 0 (the OS picks free ones, no race) and resolves
 * once it printed its READY line with the chosen ports. The process is SIGKILLed when the test process
 * exits, so nothing leaks when a test fails.
 */
export async function startRestSimulatorProcess(options: StartRestSimulatorOptions): Promise<RestSimulatorProcess> {
  const root = findRepositoryRoot();
  const main = options.simulatorMain ?? restSimulatorMainPath(root);
  if (!existsSync(main)) {
    throw new Error(`The REST broker simulator is not built (${main} is missing): run \`npx nx run rest-broker-simulator:build\` first.`);
  }
  const args = [
    main,
    '--admin-port', '0',
    '--host', HOST,
    '--seed', String(options.seed ?? 42),
    '--log-level', options.logLevel ?? 'warn',
    ...(options.tokenTtlMs === undefined ? [] : ['--token-ttl-ms', String(options.tokenTtlMs)]),
    ...(options.acceptAppKeys ?? []).flatMap((key) => ['--accept-app-key', key]),
    ...options.brokers.flatMap((broker) => [
      '--broker',
      `${broker.id}:${broker.type}:0${broker.preset === undefined ? '' : `:${broker.preset}`}`,
      ...(broker.accounts ?? []).flatMap((account) => ['--account', `${broker.id}:${account}`]),
      ...(broker.rules ?? []).flatMap((rule) => ['--rule', `${broker.id}:${rule.id}:${rule.limit}:${rule.windowMs}`]),
    ]),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  killOnExit(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_192);
  });
  const ready = await readyLine(child, options.readyTimeoutMs ?? 20_000, () => stderr);
  const adminUrl = `http://${HOST}:${ready.admin}`;
  const admin = async (method: 'GET' | 'POST', route: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${adminUrl}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      throw new Error(`admin ${method} ${route}: HTTP ${response.status} ${JSON.stringify(json)}`);
    }
    return json;
  };
  const perBroker = (json: Record<string, unknown>, id: string) => (json['brokers'] as Record<string, unknown>)[id];
  return {
    adminPort: ready.admin,
    brokerPorts: ready.brokers,
    pid: child.pid as number,
    brokerUrl(brokerId) {
      const port = ready.brokers[brokerId];
      if (port === undefined) throw new Error(`the REST simulator serves no broker '${brokerId}'`);
      return `http://${HOST}:${port}`;
    },
    async stats(brokerId) {
      return perBroker(await admin('GET', '/admin/stats'), brokerId) as RestBrokerStats;
    },
    async setFaults(brokerId, faults) {
      await admin('POST', `/admin/brokers/${brokerId}/faults`, faults);
    },
    async clearFaults(brokerId) {
      await admin('POST', `/admin/brokers/${brokerId}/clear-faults`, {});
    },
    async down(brokerId) {
      await admin('POST', `/admin/brokers/${brokerId}/down`, {});
    },
    async up(brokerId) {
      await admin('POST', `/admin/brokers/${brokerId}/up`, {});
    },
    async expireTokens(brokerId) {
      return (perBroker(await admin('POST', `/admin/brokers/${brokerId}/expire-tokens`, {}), brokerId) as { expired: number }).expired;
    },
    async resetStats(brokerId, resetRateWindows = false) {
      await admin('POST', `/admin/brokers/${brokerId}/reset-stats`, { resetRateWindows });
    },
    async orders(brokerId) {
      return perBroker(await admin('GET', `/admin/brokers/${brokerId}/orders`), brokerId) as RestLedgerOrder[];
    },
    stop: () => terminate(child, options.stopTimeoutMs ?? STOP_TIMEOUT_MS),
    logs: () => stderr,
  };
}

function readyLine(child: ChildProcess, timeoutMs: number, logs: () => string): Promise<{ admin: number; brokers: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const fail = (message: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${message}\n--- REST simulator stderr ---\n${logs()}`));
    };
    const onLine = (line: string): void => {
      if (line.startsWith(REST_SIMULATOR_READY_PREFIX)) {
        cleanup();
        resolve(JSON.parse(line.slice(REST_SIMULATOR_READY_PREFIX.length)) as { admin: number; brokers: Record<string, number> });
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`the REST simulator exited (${signal ?? `code ${code}`}) before it was ready`);
    const timer = setTimeout(() => fail(`the REST simulator was not ready within ${timeoutMs} ms`), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('exit', onExit);
    };
    lines.on('line', onLine);
    child.once('exit', onExit);
  });
}

async function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref())]);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}
