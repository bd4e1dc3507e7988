import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findRepositoryRoot, getFreePort } from '@qts/test-support';

const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 16_384;

const running = new Set<ChildProcess>();
const scratch = new Set<string>();
process.once('exit', () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed when the test process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.add(dir);
  return dir;
}

export type AppName = 'gateway-api' | 'execution-worker';

export interface AppProcess {
  readonly name: string;
  /** http://127.0.0.1:<port> */
  readonly httpUrl: string;
  /** 127.0.0.1:<port> */
  readonly grpcAddress: string;
  readonly pid: number;
  /** Exit code or signal once it exited on its own (a crash), else undefined. */
  readonly exit: string | undefined;
  stop(): Promise<void>;
  /** SIGTERM, then up to `budgetMs` for it to exit by itself before SIGKILL; `killed` when it had to be. */
  terminate(budgetMs: number): Promise<{ killed: boolean; code: number | null; signal: NodeJS.Signals | null }>;
  logs(): string;
}

const READY: Record<AppName, string> = {
  'gateway-api': 'gateway-api ready',
  'execution-worker': 'EXECUTION_WORKER_READY ',
};

/**
 * Runs a BUILT app (`node dist/apps/<app>/main.js`) on free ports of 127.0.0.1 with the given environment and
 * resolves once it printed its ready line. Every process is SIGKILLed when the test process exits.
 */
export async function startApp(
  app: AppName,
  name: string,
  env: Record<string, string>,
  readyTimeoutMs = 90_000,
): Promise<AppProcess> {
  const root = findRepositoryRoot(__dirname);
  const main = join(root, 'dist', 'apps', app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx run ${app}:build\` first`);
  const httpPort = await getFreePort(HOST);
  const grpcPort = await getFreePort(HOST);
  const ports =
    app === 'gateway-api'
      ? { GATEWAY_HTTP_PORT: String(httpPort), GATEWAY_GRPC_PORT: String(grpcPort) }
      : { WORKER_HTTP_PORT: String(httpPort), WORKER_GRPC_PORT: String(grpcPort) };
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      TZ: 'UTC',
      BIND_HOST: HOST,
      LOG_LEVEL: 'warn',
      ...ports,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let exit: string | undefined;
  let stopping = false;
  const keep = (text: string) => (output = (output + text).slice(-OUTPUT_TAIL_CHARS));
  child.stderr?.on('data', (chunk: Buffer) => keep(chunk.toString('utf8')));
  child.once('exit', (code, signal) => {
    running.delete(child);
    if (!stopping) exit = signal ?? `code ${code}`;
  });

  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => fail(`${name} was not ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const onExit = () => fail(`${name} exited (${exit}) before it was ready`);
    function fail(message: string): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(new Error(`${message}\n--- ${name} output ---\n${output}`));
    }
    lines.on('line', (line) => {
      keep(`${line}\n`);
      if (line.startsWith(READY[app])) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
    child.once('exit', onExit);
  });

  async function terminate(budgetMs: number): Promise<{ killed: boolean; code: number | null; signal: NodeJS.Signals | null }> {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) {
      return { killed: false, code: child.exitCode, signal: child.signalCode };
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), delay(budgetMs).then(() => false)]);
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
    logs: () => output,
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
