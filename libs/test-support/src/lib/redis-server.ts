import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from './get-free-port';
import { killOnExit, removeOnExit } from './process-exit-cleanup';

const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_TAIL_CHARS = 8_192;

export interface StartRedisServerOptions {
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** Extra redis-server arguments, e.g. ['--maxmemory', '10mb']. */
  args?: string[];
  /** Bound on the wait until it answers; default 15 s. */
  readyTimeoutMs?: number;
}

export interface RedisServerProcess {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Pid of the current process (changes on restart()). */
  readonly pid: number;
  /** SIGTERM, a bounded wait, then SIGKILL; removes its directory. No-op when already stopped. */
  stop(): Promise<void>;
  /** Stops and starts a new, empty server on the same port (no persistence: the data is gone). */
  restart(): Promise<void>;
  /** SIGSTOP: it keeps its connections but answers nothing (a hung server). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** The tail of its output, for failure messages. */
  logs(): string;
}

/** Debian's redis-server from PATH (or /usr/bin); a clear message when it is not installed. */
export function redisServerBinary(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  throw new Error('redis-server was not found: install the redis-server Debian package (.ci/run does)');
}

/**
 * A real, throw-away redis-server for tests: a free 127.0.0.1 port, its own temporary directory, no
 * persistence (`--save ''`, no AOF). Killed and its directory removed when the test process exits, also
 * when a test failed before stopping it.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerProcess> {
  const binary = redisServerBinary();
  const port = options.port ?? (await getFreePort(HOST));
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  let dir = '';
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async (): Promise<void> => {
    dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
    removeOnExit(dir);
    output = '';
    const args = [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      ...(options.args ?? []),
    ];
    const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(started);
    const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS));
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    child = started;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null) {
        throw new Error(
          `redis-server exited (${started.signalCode ?? started.exitCode}) before it was ready\n${output}`,
        );
      }
      // Ours answering, not another server that already had the port.
      if ((await serverPid(port)) === started.pid) return;
      if (Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not answer within ${readyTimeoutMs} ms\n${output}`);
      }
      await delay(25);
    }
  };

  const stop = async (): Promise<void> => {
    const current = child;
    child = undefined;
    if (current && current.exitCode === null && current.signalCode === null) {
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      current.kill('SIGCONT'); // a paused server handles SIGTERM only once continued
      const gone = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]);
      if (!gone) {
        current.kill('SIGKILL');
        await exited;
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };

  await launch();
  return {
    url: `redis://${HOST}:${port}`,
    port,
    get pid(): number {
      return child?.pid ?? -1;
    },
    stop,
    async restart(): Promise<void> {
      await stop();
      await launch();
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    logs: () => output,
  };
}

/** The process id reported by INFO of whatever answers on the port; undefined on refusal or silence. */
function serverPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let received = '';
    const done = (pid: number | undefined) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(500, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      received += data.toString('utf8');
      const match = /process_id:(\d+)/.exec(received);
      if (match) done(Number(match[1]));
      else if (received.startsWith('-')) done(undefined);
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
