import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startOnFreePort } from './get-free-port';
import { killOnExit } from './process-exit-cleanup';
import { findRepositoryRoot } from './repository-root';

const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 10_000;
/** Output lines kept per process: every line of a test run, bounded against a runaway logger. */
const MAX_KEPT_LINES = 200_000;

export type BuiltAppName = 'gateway-api' | 'execution-worker';

export interface BuiltAppProcess {
  readonly name: string;
  /** http://127.0.0.1:<port> */
  readonly httpUrl: string;
  /** 127.0.0.1:<port> */
  readonly grpcAddress: string;
  readonly pid: number;
  /** Exit code or signal once it exited on its own (a crash), else undefined. */
  readonly exit: string | undefined;
  /** SIGTERM, a bounded wait, then SIGKILL. */
  stop(): Promise<void>;
  /** SIGTERM, then up to `budgetMs` for it to exit by itself before SIGKILL; `killed` when it had to be. */
  terminate(budgetMs: number): Promise<BuiltAppExit>;
  /** The tail of the output, for failure messages. */
  logs(): string;
  /** Every line the process wrote to stdout and stderr so far (its JSON log lines among them). */
  lines(): readonly string[];
}

/** How a terminated process ended. */
export interface BuiltAppExit {
  /** True when it did not exit within the budget and was SIGKILLed. */
  killed: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
}

const READY: Record<BuiltAppName, string> = {
  'gateway-api': 'gateway-api ready',
  'execution-worker': 'EXECUTION_WORKER_READY ',
};

/**
 * Runs a BUILT app (`node dist/apps/<app>/main.js`) on free ports of 127.0.0.1 with the given environment, as its
 * users run it, and resolves once it printed its ready line; a port taken between the pick and the bind is picked
 * again. Every process is SIGKILLed when the test process exits.
 */
export async function startBuiltApp(
  app: BuiltAppName,
  name: string,
  env: Record<string, string>,
  readyTimeoutMs = 90_000,
): Promise<BuiltAppProcess> {
  const root = findRepositoryRoot(__dirname);
  const main = join(root, 'dist', 'apps', app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx run ${app}:build\` first`);
  return startOnFreePort(([httpPort, grpcPort]) => spawnUntilReady(app, name, main, root, env, httpPort as number, grpcPort as number, readyTimeoutMs), {
    ports: 2,
    host: HOST,
  });
}

async function spawnUntilReady(
  app: BuiltAppName,
  name: string,
  main: string,
  root: string,
  env: Record<string, string>,
  httpPort: number,
  grpcPort: number,
  readyTimeoutMs: number,
): Promise<BuiltAppProcess> {
  const ports =
    app === 'gateway-api'
      ? { GATEWAY_HTTP_PORT: String(httpPort), GATEWAY_GRPC_PORT: String(grpcPort) }
      : { WORKER_HTTP_PORT: String(httpPort), WORKER_GRPC_PORT: String(grpcPort) };
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: root,
    env: { PATH: process.env['PATH'], NODE_ENV: 'production', TZ: 'UTC', BIND_HOST: HOST, LOG_LEVEL: 'warn', ...ports, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  const kept: string[] = [];
  const keep = (line: string) => {
    if (kept.length < MAX_KEPT_LINES) kept.push(line);
  };
  let exit: string | undefined;
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) exit = signal ?? `code ${code}`;
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', keep);
  const stdout = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const logs = () => kept.slice(-200).join('\n');

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`${name} was not ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const onExit = () => setImmediate(() => fail(`${name} exited (${exit}) before it was ready`));
    function fail(message: string): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(new Error(`${message}\n--- ${name} output ---\n${logs()}`));
    }
    stdout.on('line', (line) => {
      keep(line);
      if (line.startsWith(READY[app])) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
    child.once('exit', onExit);
  });

  async function terminate(budgetMs: number): Promise<BuiltAppExit> {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) {
      return { killed: false, code: child.exitCode, signal: child.signalCode };
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), budgetMs);
      }),
    ]);
    clearTimeout(timer);
    if (!gone) child.kill('SIGKILL');
    return { killed: !gone, ...(await exited) };
  }

  return {
    name,
    httpUrl: `http://${HOST}:${httpPort}`,
    grpcAddress: `${HOST}:${grpcPort}`,
    pid: child.pid as number,
    get exit() {
      return exit;
    },
    async stop() {
      await terminate(STOP_TIMEOUT_MS);
    },
    terminate,
    logs,
    lines: () => kept,
  };
}
