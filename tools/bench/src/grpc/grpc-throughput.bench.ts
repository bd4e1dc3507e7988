import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { credentials, Metadata } from '@grpc/grpc-js';
import { qtsGatewayV1 } from '@qts/grpc-contracts';
import { stringify } from 'yaml';
import { median } from '../median';

/**
 * gRPC throughput of the gateway (BrokerGatewayService.GetQuote: API key, validation, rate-limit permit,
 * metrics, the JTS call, mapping) against a bare @grpc/grpc-js pass-through proxy that forwards the same
 * call to the same JTS simulator. Both run as built processes; one client drives each in turn with a fixed
 * number of calls in flight, the runs interleaved so that machine noise hits both alike.
 */
export const GRPC_BENCH_SETTINGS = Object.freeze({
  IN_FLIGHT: [1, 16] as const,
  RUN_MS: 2_000,
  WARM_UP_MS: 1_500,
  SYMBOL: '005930',
});

const ROOT = join(__dirname, '..', '..', '..', '..');
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const READY_TIMEOUT_MS = 60_000;

/**
 * A gateway bundle to measure beside the current one, e.g. the build of an earlier commit copied to tmp/:
 * `BENCH_BASELINE_GATEWAY=tmp/gateway-before/main.js BENCH_BASELINE_LABEL='the gateway of commit abc123' npm run bench`.
 */
const BASELINE_GATEWAY = process.env['BENCH_BASELINE_GATEWAY'];

type Target = 'gateway' | 'baseline' | 'proxy';

export interface ThroughputRun {
  target: Target;
  inFlight: number;
  callsPerSecond: number;
  /** CPU time the target process spent per call (Linux /proc; NaN elsewhere): less sensitive to a busy machine. */
  cpuMicrosPerCall: number;
}

export interface ThroughputRow {
  inFlight: number;
  gateway: number;
  proxy: number;
  /** gateway / proxy. */
  ratio: number;
  gatewayCpuMicros: number;
  proxyCpuMicros: number;
  /** The baseline gateway, when BENCH_BASELINE_GATEWAY names one. */
  baseline?: { callsPerSecond: number; ratio: number; cpuMicros: number; main: string };
}

interface Running {
  child: ChildProcess;
  line: string;
}

export async function runGrpcThroughputBench(repetitions: number, log: (line: string) => void): Promise<ThroughputRow[]> {
  for (const main of ['dist/tools/jts-simulator/main.js', 'dist/apps/gateway-api/main.js']) {
    if (!existsSync(join(ROOT, main))) throw new Error(`${main} is missing: build the simulator and the gateway first`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'qts-grpc-bench-'));
  const children: ChildProcess[] = [];
  try {
    const jtsPort = await freePort();
    const simulator = await startUntilLine(
      ['dist/tools/jts-simulator/main.js', '--broker', `kis:KIS:${jtsPort}:none`, '--admin-port', '0', '--log-level', 'error'],
      {},
      'JTS_SIMULATOR_READY ',
    );
    children.push(simulator.child);

    const brokersFile = join(scratch, 'brokers.yaml');
    writeFileSync(
      brokersFile,
      stringify({
        brokers: [
          {
            id: 'kis',
            type: 'KIS',
            grpc: { host: '127.0.0.1', port: jtsPort },
            // Far above what two cores can send: the limiter's bookkeeping is measured, never its waiting.
            rateLimit: { rules: [{ id: 'requests', limit: 1_000_000, windowMs: 1_000 }] },
            required: true,
            accounts: [{ id: '50012345-01', name: 'paper', type: 'PAPER', default: true }],
          },
        ],
      }),
    );
    const pids = new Map<Target, number>();
    const startGateway = async (main: string, name: Target): Promise<number> => {
      const port = await freePort();
      const gateway = await startUntilLine(
        [main],
        {
          BROKERS_CONFIG: brokersFile,
          DATABASE_URL: `sqlite:${join(scratch, `${name}.sqlite`)}`,
          BIND_HOST: '127.0.0.1',
          GATEWAY_HTTP_PORT: String(await freePort()),
          GATEWAY_GRPC_PORT: String(port),
          GATEWAY_RATE_LIMIT_SHARE: '1',
          ADMIN_API_KEY: ADMIN_KEY,
          LOG_LEVEL: 'error',
        },
        'gateway-api ready',
      );
      children.push(gateway.child);
      pids.set(name, gateway.child.pid as number);
      return port;
    };
    const gatewayPort = await startGateway('dist/apps/gateway-api/main.js', 'gateway');
    const baselinePort = BASELINE_GATEWAY === undefined ? undefined : await startGateway(BASELINE_GATEWAY, 'baseline');

    const proxy = await startUntilLine(
      ['-r', '@swc-node/register', 'tools/bench/src/grpc/pass-through-proxy.ts'],
      { JTS_TARGET: `127.0.0.1:${jtsPort}`, PROXY_PORT: '0', SWC_NODE_PROJECT: 'tsconfig.base.json' },
      'PASS_THROUGH_PROXY_READY ',
    );
    children.push(proxy.child);
    pids.set('proxy', proxy.child.pid as number);
    const proxyPort = Number(proxy.line.split(' ')[1]);

    const client = (port: number) => new qtsGatewayV1.BrokerGatewayServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
    const clients = new Map<Target, qtsGatewayV1.BrokerGatewayServiceClient>([
      ['gateway', client(gatewayPort)],
      ['proxy', client(proxyPort)],
      ...(baselinePort === undefined ? [] : [['baseline', client(baselinePort)] as const]),
    ]);
    const targets = [...clients.keys()];
    try {
      const { IN_FLIGHT, RUN_MS, WARM_UP_MS } = GRPC_BENCH_SETTINGS;
      for (const [, target] of clients) {
        await waitUntilAnswering(target);
        await drive(target, 16, WARM_UP_MS);
      }
      const runs: ThroughputRun[] = [];
      for (let r = 0; r < repetitions; r += 1) {
        for (const inFlight of IN_FLIGHT) {
          // Rotate which target goes first, so none always runs on a warmer or cooler machine.
          const shift = (r + inFlight) % targets.length;
          const order = [...targets.slice(shift), ...targets.slice(0, shift)];
          for (const target of order) {
            const pid = pids.get(target) as number;
            const cpuBefore = cpuMillisOf(pid);
            const callsPerSecond = await drive(clients.get(target) as qtsGatewayV1.BrokerGatewayServiceClient, inFlight, RUN_MS);
            const cpuMicrosPerCall = ((cpuMillisOf(pid) - cpuBefore) * 1_000) / (callsPerSecond * (RUN_MS / 1_000));
            runs.push({ target, inFlight, callsPerSecond, cpuMicrosPerCall });
            log(
              `[${r + 1}/${repetitions}] gRPC ${target} ${inFlight} in flight: ${callsPerSecond.toFixed(0)} calls/s, ` +
                `${cpuMicrosPerCall.toFixed(0)} µs CPU per call`,
            );
          }
        }
      }
      return IN_FLIGHT.map((inFlight) => {
        const of = (target: Target, value: (run: ThroughputRun) => number) =>
          median(runs.filter((run) => run.target === target && run.inFlight === inFlight).map(value));
        const rate = (run: ThroughputRun) => run.callsPerSecond;
        const cpu = (run: ThroughputRun) => run.cpuMicrosPerCall;
        const gatewayRate = of('gateway', rate);
        const proxyRate = of('proxy', rate);
        return {
          inFlight,
          gateway: gatewayRate,
          proxy: proxyRate,
          ratio: gatewayRate / proxyRate,
          gatewayCpuMicros: of('gateway', cpu),
          proxyCpuMicros: of('proxy', cpu),
          ...(BASELINE_GATEWAY === undefined
            ? {}
            : {
                baseline: {
                  callsPerSecond: of('baseline', rate),
                  ratio: of('baseline', rate) / proxyRate,
                  cpuMicros: of('baseline', cpu),
                  main: BASELINE_GATEWAY,
                },
              }),
        };
      });
    } finally {
      for (const [, target] of clients) target.close();
    }
  } finally {
    await Promise.all(children.reverse().map(stop));
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Completed GetQuote calls per second with `inFlight` calls outstanding at all times, for `durationMs`. */
async function drive(client: qtsGatewayV1.BrokerGatewayServiceClient, inFlight: number, durationMs: number): Promise<number> {
  const metadata = new Metadata();
  metadata.set('x-api-key', ADMIN_KEY);
  const request = { brokerId: 'kis', symbol: GRPC_BENCH_SETTINGS.SYMBOL };
  const started = performance.now();
  const until = started + durationMs;
  let completed = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      await new Promise<void>((resolve, reject) =>
        client.getQuote(request, metadata, (error) => (error === null ? resolve() : reject(error))),
      );
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  return completed / ((performance.now() - started) / 1_000);
}

async function waitUntilAnswering(client: qtsGatewayV1.BrokerGatewayServiceClient): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await drive(client, 1, 1);
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`no answer to GetQuote within ${READY_TIMEOUT_MS} ms: ${String(lastError)}`);
}

function startUntilLine(args: string[], env: Record<string, string>, prefix: string): Promise<Running> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_096)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('not ready in time'), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: ${why}\n${stderr}`));
    };
    child.once('exit', (code) => fail(`exited with ${code}`));
    lines.on('line', (line) => {
      if (!line.startsWith(prefix)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, line });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** User + system CPU time of a process so far, in milliseconds (Linux; NaN where /proc is missing). */
function cpuMillisOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
