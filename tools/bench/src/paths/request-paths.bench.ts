import { credentials, Metadata } from '@grpc/grpc-js';
import { jtsV1, qtsGatewayV1 } from '@qts/grpc-contracts';
import { runClosedLoop, type LoadResult } from '../load/closed-loop';
import { KeepAliveHttpClient } from '../load/http-keep-alive-client';
import { median } from '../median';
import { cpuMillisOf, startBenchProcess } from '../processes/bench-process';
import { BENCH_ADMIN_KEY, BENCH_BROKER_ID, BenchPlatform } from '../processes/bench-platform';

/**
 * One quote of one symbol over every path a caller can take, side by side: the JTS simulator called directly, the
 * bare pass-through (one Node hop: grpc-js and node:http forwarding to the simulator, nothing else), and the gateway
 * (built bundle, every feature on: a stored API key checked, validation, the rate limiter, metrics, the JSON request
 * log at info) over gRPC and REST. One client drives each in turn with a fixed number of calls in flight; the targets
 * are interleaved, their order rotated, so that machine noise hits them alike.
 */
export const PATH_BENCH_SETTINGS = Object.freeze({ IN_FLIGHT: [1, 16] as const, RUN_MS: 2_000, WARM_UP_MS: 1_500, SYMBOL: '005930' });

export type PathTarget = 'direct' | 'pass-through gRPC' | 'pass-through HTTP' | 'gateway gRPC' | 'gateway REST' | 'baseline gRPC' | 'baseline REST';

export interface PathRow {
  target: PathTarget;
  inFlight: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the serving process per call (the simulator for `direct`). */
  cpuMicrosPerCall: number;
  errors: number;
}

/**
 * A gateway bundle to measure beside the current one (e.g. main's, built into tmp/):
 * `BENCH_BASELINE_GATEWAY=tmp/gateway-main/main.js BENCH_BASELINE_LABEL='main before this change' npm run bench`.
 */
const BASELINE_GATEWAY = process.env['BENCH_BASELINE_GATEWAY'];

export async function runRequestPathsBench(repetitions: number, log: (line: string) => void): Promise<PathRow[]> {
  const platform = await BenchPlatform.start();
  const closers: Array<() => void> = [];
  try {
    const jtsAddress = platform.simulator.brokerAddress(BENCH_BROKER_ID);
    const passThrough = await platform.keep(
      startBenchProcess(
        ['-r', '@swc-node/register', 'tools/bench/src/pass-through/pass-through-server.ts'],
        { JTS_TARGET: jtsAddress, SWC_NODE_PROJECT: 'tsconfig.base.json' },
        'PASS_THROUGH_READY ',
      ),
    );
    const [, passGrpcPort, passHttpPort] = passThrough.readyLine.split(' ');
    const gateway = await platform.startGateway('gateway');
    const baseline = BASELINE_GATEWAY === undefined ? undefined : await platform.startGateway('baseline', {}, BASELINE_GATEWAY);
    const readKey = await createReadKey(gateway.httpUrl);
    const baselineKey = baseline === undefined ? undefined : await createReadKey(baseline.httpUrl);

    const grpcQuote = (address: string, apiKey?: string): ((index: number) => Promise<unknown>) => {
      const client = new qtsGatewayV1.BrokerGatewayServiceClient(address, credentials.createInsecure());
      closers.push(() => client.close());
      const metadata = new Metadata();
      if (apiKey !== undefined) metadata.set('x-api-key', apiKey);
      const request = { brokerId: BENCH_BROKER_ID, symbol: PATH_BENCH_SETTINGS.SYMBOL };
      return () => new Promise((resolve, reject) => client.getQuote(request, metadata, (error, answer) => (error === null ? resolve(answer) : reject(error))));
    };
    const restQuote = (baseUrl: string, apiKey?: string): ((index: number) => Promise<unknown>) => {
      const client = new KeepAliveHttpClient(baseUrl, apiKey === undefined ? {} : { 'x-api-key': apiKey });
      closers.push(() => client.close());
      const path = `/api/v1/brokers/${BENCH_BROKER_ID}/quotes/${PATH_BENCH_SETTINGS.SYMBOL}`;
      return () => client.get(path);
    };
    const jts = new jtsV1.MarketDataServiceClient(jtsAddress, credentials.createInsecure());
    closers.push(() => jts.close());
    const direct = (): Promise<unknown> =>
      new Promise((resolve, reject) =>
        jts.getQuote({ symbol: PATH_BENCH_SETTINGS.SYMBOL }, new Metadata(), (error, answer) => (error === null ? resolve(answer) : reject(error))),
      );

    const targets: Array<{ target: PathTarget; call: (index: number) => Promise<unknown>; pid: number }> = [
      { target: 'direct', call: direct, pid: platform.simulator.pid },
      { target: 'pass-through gRPC', call: grpcQuote(`127.0.0.1:${passGrpcPort}`), pid: passThrough.pid },
      { target: 'pass-through HTTP', call: restQuote(`http://127.0.0.1:${passHttpPort}`), pid: passThrough.pid },
      { target: 'gateway gRPC', call: grpcQuote(gateway.grpcAddress, readKey), pid: gateway.process.pid },
      { target: 'gateway REST', call: restQuote(gateway.httpUrl, readKey), pid: gateway.process.pid },
      ...(baseline === undefined
        ? []
        : [
            { target: 'baseline gRPC' as const, call: grpcQuote(baseline.grpcAddress, baselineKey), pid: baseline.process.pid },
            { target: 'baseline REST' as const, call: restQuote(baseline.httpUrl, baselineKey), pid: baseline.process.pid },
          ]),
    ];
    for (const { target, call } of targets) {
      const warm = await runClosedLoop(call, 16, PATH_BENCH_SETTINGS.WARM_UP_MS);
      if (warm.completed === 0) throw new Error(`${target} answered nothing while warming up: ${warm.sampleErrors.join('; ')}`);
    }

    const runs: PathRow[] = [];
    for (let r = 0; r < repetitions; r += 1) {
      for (const inFlight of PATH_BENCH_SETTINGS.IN_FLIGHT) {
        const shift = (r * 3 + inFlight) % targets.length;
        for (const { target, call, pid } of [...targets.slice(shift), ...targets.slice(0, shift)]) {
          const cpuBefore = cpuMillisOf(pid);
          const result: LoadResult = await runClosedLoop(call, inFlight, PATH_BENCH_SETTINGS.RUN_MS);
          const cpuMicrosPerCall = ((cpuMillisOf(pid) - cpuBefore) * 1_000) / Math.max(1, result.completed);
          runs.push({ target, inFlight, perSecond: result.perSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms, cpuMicrosPerCall, errors: result.errors });
          log(
            `[${r + 1}/${repetitions}] ${target}, ${inFlight} in flight: ${result.perSecond.toFixed(0)}/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
              `p99 ${result.p99Ms.toFixed(2)} ms, ${cpuMicrosPerCall.toFixed(0)} µs CPU/call${result.errors > 0 ? `, ${result.errors} errors (${result.sampleErrors[0]})` : ''}`,
          );
        }
      }
    }
    return targets.flatMap(({ target }) =>
      PATH_BENCH_SETTINGS.IN_FLIGHT.map((inFlight) => {
        const cell = runs.filter((run) => run.target === target && run.inFlight === inFlight);
        const of = (value: (run: PathRow) => number) => median(cell.map(value));
        return {
          target,
          inFlight,
          perSecond: of((run) => run.perSecond),
          p50Ms: of((run) => run.p50Ms),
          p99Ms: of((run) => run.p99Ms),
          cpuMicrosPerCall: of((run) => run.cpuMicrosPerCall),
          errors: cell.reduce((sum, run) => sum + run.errors, 0),
        };
      }),
    );
  } finally {
    closers.forEach((close) => close());
    await platform.stop();
  }
}

/** A stored key with the read scope, as a backend team would be given (not the bootstrap admin key). */
export async function createReadKey(httpUrl: string): Promise<string> {
  const response = await fetch(`${httpUrl}/api/v1/admin/api-keys`, {
    method: 'POST',
    headers: { 'x-api-key': BENCH_ADMIN_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench-reader', scopes: ['read'] }),
  });
  if (response.status !== 201) throw new Error(`creating an API key answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}
