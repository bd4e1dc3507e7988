import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { writeBrokersConfig } from './brokers-config-file';
import { killOnExit } from './process-exit-cleanup';
import { findRepositoryRoot, simulatorMainPath } from './repository-root';
import { SimulatorAdminClient } from './simulator-admin-client';
import { DEFAULT_SIMULATOR_BROKERS } from './simulator-broker-spec';
import type { SimulatorBrokerSpec } from './simulator-broker-spec';

export const SIMULATOR_READY_PREFIX = 'JTS_SIMULATOR_READY ';
const HOST = '127.0.0.1';
/** How long stop() waits after SIGTERM before SIGKILL, and for any exit after SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_CHARS = 8_192;

export interface StartSimulatorOptions {
  /** Default: one KIS broker 'kis', preset kis-paper, PAPER account '50012345-01'. */
  brokers?: SimulatorBrokerSpec[];
  /** Seed of the mock market and the error-rate draws; default 42. */
  seed?: number;
  /** Extra command-line flags, e.g. ['--latency-ms', '200'] or ['--quote-interval-ms', '50']. */
  args?: string[];
  /** Bound on the wait for the READY line; default 20_000 ms. */
  readyTimeoutMs?: number;
  /** The simulator's log level (stderr, kept for error messages; see logs()); default 'warn'. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** The simulator entry point; default the build output dist/tools/jts-simulator/main.js. */
  simulatorMain?: string;
  /** How long stop() waits after SIGTERM before SIGKILL; default 5_000 ms. */
  stopTimeoutMs?: number;
}

export interface SimulatorProcess {
  /** Broker id -> port on 127.0.0.1 (the same after restart()). */
  readonly brokerPorts: Readonly<Record<string, number>>;
  readonly adminPort: number;
  /** Typed promise client of the admin API. */
  readonly admin: SimulatorAdminClient;
  /** The brokers.yaml the simulator serves (usable as BROKERS_CONFIG of the apps under test). */
  readonly configPath: string;
  readonly brokers: readonly SimulatorBrokerSpec[];
  /** Pid of the current process (changes on restart()). */
  readonly pid: number;
  /** '127.0.0.1:<port>' of a broker. */
  brokerAddress(brokerId: string): string;
  /** SIGTERM, a bounded wait, then SIGKILL. Resolves once the process is gone. No-op when it is. */
  stop(): Promise<void>;
  /**
   * Sends `signal` (default SIGKILL) and resolves once the process exited. SIGSTOP and SIGCONT resolve at
   * once: a stopped simulator accepts connections but never answers (a hung server).
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * stop(), then start again on the same ports; resolves at READY. While it is down another process could take
   * one of its ports (the one window left): the restart then fails, naming the port.
   */
  restart(): Promise<void>;
  /** The tail of the simulator's stderr (its log), for failure messages. */
  logs(): string;
}

interface ReadyPorts {
  admin: number;
  brokers: Record<string, number>;
}

/**
 * Spawns the built simulator (`node dist/tools/jts-simulator/main.js`) with every port 0, so that the OS gives it
 * free ports it already holds (no window in which another process could take them), and resolves once it printed
 * its READY line with the ports it bound. The brokers.yaml is then rewritten with those ports, for the apps under
 * test and for restart(), which binds the same ports again. Every process is SIGKILLed when the test process
 * exits, so nothing leaks when a test fails.
 */
export async function startSimulatorProcess(options: StartSimulatorOptions = {}): Promise<SimulatorProcess> {
  const root = findRepositoryRoot();
  const main = options.simulatorMain ?? simulatorMainPath(root);
  if (!existsSync(main)) {
    throw new Error(
      `The JTS simulator is not built (${main} is missing): run \`npx nx run jts-simulator:build\` first ` +
        '(integration targets depend on it).',
    );
  }
  const brokers = options.brokers ?? DEFAULT_SIMULATOR_BROKERS.map((broker) => ({ ...broker }));
  const simulatorArgs = (configPath: string, adminPort: number): string[] => [
    main,
    '--config', configPath,
    '--admin-port', String(adminPort),
    '--host', HOST,
    '--seed', String(options.seed ?? 42),
    '--log-level', options.logLevel ?? 'warn',
    ...(options.args ?? []),
  ];
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;

  const anyPorts = Object.fromEntries(brokers.map((broker) => [broker.id, 0]));
  let current = await spawnUntilReady(simulatorArgs(await writeBrokersConfig(brokers, anyPorts, { host: HOST }), 0), root, readyTimeoutMs);
  const boundPorts = current.ready;
  // The ports it bound, from now on: what the apps under test connect to and what a restart binds again.
  const configPath = await writeBrokersConfig(brokers, boundPorts.brokers, { host: HOST });
  const args = simulatorArgs(configPath, boundPorts.admin);
  const admin = new SimulatorAdminClient(`${HOST}:${boundPorts.admin}`);

  const stop = async (): Promise<void> => {
    admin.close();
    await terminate(current.child, stopTimeoutMs);
  };

  return {
    brokerPorts: boundPorts.brokers,
    adminPort: boundPorts.admin,
    admin,
    configPath,
    brokers,
    get pid(): number {
      return current.child.pid as number;
    },
    brokerAddress(brokerId: string): string {
      const port = current.ready.brokers[brokerId];
      if (port === undefined) {
        throw new Error(`the simulator serves no broker '${brokerId}'`);
      }
      return `${HOST}:${port}`;
    },
    stop,
    async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
      const exited = exitOf(current.child);
      current.child.kill(signal);
      if (signal !== 'SIGSTOP' && signal !== 'SIGCONT') {
        admin.close();
        await withTimeout(exited, STOP_TIMEOUT_MS, `simulator pid ${current.child.pid} did not exit on ${signal}`);
      }
    },
    async restart(): Promise<void> {
      await stop();
      current = await spawnUntilReady(args, root, readyTimeoutMs);
    },
    logs(): string {
      return current.stderr();
    },
  };
}

interface RunningSimulator {
  child: ChildProcess;
  ready: ReadyPorts;
  stderr: () => string;
}

function spawnUntilReady(args: string[], cwd: string, timeoutMs: number): Promise<RunningSimulator> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  killOnExit(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const tail = (): string => stderr;

  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const fail = (message: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${message}\n--- simulator stderr ---\n${tail()}`));
    };
    const onLine = (line: string): void => {
      if (!line.startsWith(SIMULATOR_READY_PREFIX)) {
        return;
      }
      try {
        const ready = JSON.parse(line.slice(SIMULATOR_READY_PREFIX.length)) as ReadyPorts;
        cleanup();
        resolve({ child, ready, stderr: tail });
      } catch {
        fail(`unreadable READY line from the simulator: ${line}`);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      fail(`the simulator exited (${signal ?? `code ${code}`}) before it was ready`);
    };
    const timer = setTimeout(() => fail(`the simulator was not ready within ${timeoutMs} ms`), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('exit', onExit);
    };
    lines.on('line', onLine);
    child.once('exit', onExit);
  });
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  const exited = exitOf(child);
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  child.kill('SIGCONT'); // a SIGSTOPped process handles SIGTERM only once continued
  const gone = await Promise.race([exited.then(() => true), delay(timeoutMs).then(() => false)]);
  if (!gone) {
    child.kill('SIGKILL');
    await withTimeout(exited, STOP_TIMEOUT_MS, `simulator pid ${child.pid} did not exit after SIGKILL`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function withTimeout(promise: Promise<void>, ms: number, message: string): Promise<void> {
  const ok = await Promise.race([promise.then(() => true), delay(ms).then(() => false)]);
  if (!ok) {
    throw new Error(message);
  }
}
