import { randomUUID } from 'node:crypto';
import { credentials, Metadata } from '@grpc/grpc-js';
import { jtsV1, qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import { startPostgres, type PostgresServer } from '@qts/test-support';
import { runClosedLoop } from '../load/closed-loop';
import { median } from '../median';
import { cpuMillisOf } from '../processes/bench-process';
import { BENCH_ACCOUNT_ID, BENCH_ADMIN_KEY, BENCH_BROKER_ID, BenchPlatform, type BenchApp } from '../processes/bench-platform';

/**
 * Orders placed per second, side by side: the simulator's PlaceOrder called directly (the floor: no storage, no
 * exactly-once) against the execution worker's SubmitIntent (every intent stored before the broker is called, its
 * claim and its answer committed durably, one order per intent) on SQLite and on PostgreSQL (a real server, commits
 * synced to disk). Distinct intents over six symbols (the worker serialises each symbol's intents), limit buys at 100
 * won so that they rest without using up the paper account.
 */
export const WORKER_BENCH_SETTINGS = Object.freeze({
  IN_FLIGHT: [1, 16] as const,
  RUN_MS: 3_000,
  WARM_UP_MS: 1_500,
  SYMBOLS: ['005930', '000660', '035420', '035720', '051910', '005380'] as const,
  LIMIT_PRICE: '100',
});

export type WorkerTarget = 'direct PlaceOrder' | 'worker, SQLite' | 'worker, PostgreSQL';

export interface WorkerRow {
  target: WorkerTarget;
  inFlight: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerCall: number;
  /** Calls that failed, and intents the worker did not accept (each run must have none). */
  failures: number;
}

export async function runWorkerBench(repetitions: number, log: (line: string) => void): Promise<WorkerRow[]> {
  const platform = await BenchPlatform.start();
  let postgres: PostgresServer | undefined;
  const closers: Array<() => void> = [];
  try {
    postgres = await startPostgres('bench_worker', { durable: true });
    const sqliteWorker = await platform.startWorker('worker-sqlite');
    const postgresWorker = await platform.startWorker('worker-postgres', { DATABASE_URL: postgres.url });
    const jts = new jtsV1.TradingServiceClient(platform.simulator.brokerAddress(BENCH_BROKER_ID), credentials.createInsecure());
    closers.push(() => jts.close());
    const symbolOf = (index: number) => WORKER_BENCH_SETTINGS.SYMBOLS[index % WORKER_BENCH_SETTINGS.SYMBOLS.length] as string;

    const direct = (index: number): Promise<unknown> =>
      new Promise((resolve, reject) =>
        jts.placeOrder(
          {
            accountId: BENCH_ACCOUNT_ID,
            symbol: symbolOf(index),
            side: jtsV1.OrderSide.BUY,
            orderType: jtsV1.OrderType.LIMIT,
            quantity: 1,
            price: WORKER_BENCH_SETTINGS.LIMIT_PRICE,
            clientOrderId: randomUUID(),
          },
          new Metadata(),
          { deadline: Date.now() + 10_000 },
          (error, answer) => (error === null ? resolve(answer) : reject(error)),
        ),
      );
    const submit = (worker: BenchApp): ((index: number) => Promise<unknown>) => {
      const client = new qtsExecutionV1.ExecutionServiceClient(worker.grpcAddress, credentials.createInsecure());
      closers.push(() => client.close());
      // The bootstrap admin key acts for every strategy; the worker checks it on every call, as any key.
      const keyed = new Metadata();
      keyed.set('x-api-key', BENCH_ADMIN_KEY);
      return (index) =>
        new Promise((resolve, reject) =>
          client.submitIntent(
            {
              intentId: randomUUID(),
              strategyId: 'bench',
              brokerId: BENCH_BROKER_ID,
              accountId: BENCH_ACCOUNT_ID,
              symbol: symbolOf(index),
              side: qtsTypeV1.OrderSide.BUY,
              quantity: 1,
              orderType: qtsTypeV1.OrderType.LIMIT,
              limitPrice: WORKER_BENCH_SETTINGS.LIMIT_PRICE,
              dryRun: false,
              expiresAt: '',
              maxDelayMs: 0,
            },
            keyed,
            { deadline: Date.now() + 10_000 },
            (error, answer) => {
              if (error !== null) reject(error);
              else if (!answer.accepted) reject(new Error(`not accepted: ${answer.failSafeCode} ${answer.message}`));
              else resolve(answer);
            },
          ),
        );
    };

    const targets: Array<{ target: WorkerTarget; call: (index: number) => Promise<unknown>; pid: number }> = [
      { target: 'direct PlaceOrder', call: direct, pid: platform.simulator.pid },
      { target: 'worker, SQLite', call: submit(sqliteWorker), pid: sqliteWorker.process.pid },
      { target: 'worker, PostgreSQL', call: submit(postgresWorker), pid: postgresWorker.process.pid },
    ];
    for (const { target, call } of targets) {
      const warm = await runClosedLoop(call, 16, WORKER_BENCH_SETTINGS.WARM_UP_MS);
      if (warm.completed === 0) throw new Error(`${target} answered nothing while warming up: ${warm.sampleErrors.join('; ')}`);
    }
    const runs: WorkerRow[] = [];
    for (let r = 0; r < repetitions; r += 1) {
      for (const inFlight of WORKER_BENCH_SETTINGS.IN_FLIGHT) {
        const shift = (r + inFlight) % targets.length;
        for (const { target, call, pid } of [...targets.slice(shift), ...targets.slice(0, shift)]) {
          const cpuBefore = cpuMillisOf(pid);
          const result = await runClosedLoop(call, inFlight, WORKER_BENCH_SETTINGS.RUN_MS);
          const cpuMicrosPerCall = ((cpuMillisOf(pid) - cpuBefore) * 1_000) / Math.max(1, result.completed);
          runs.push({ target, inFlight, perSecond: result.perSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms, cpuMicrosPerCall, failures: result.errors });
          log(
            `[${r + 1}/${repetitions}] ${target}, ${inFlight} in flight: ${result.perSecond.toFixed(0)}/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
              `p99 ${result.p99Ms.toFixed(2)} ms, ${cpuMicrosPerCall.toFixed(0)} µs CPU/call${result.errors > 0 ? `, ${result.errors} failed (${result.sampleErrors[0]})` : ''}`,
          );
        }
      }
    }
    return targets.flatMap(({ target }) =>
      WORKER_BENCH_SETTINGS.IN_FLIGHT.map((inFlight) => {
        const cell = runs.filter((run) => run.target === target && run.inFlight === inFlight);
        const of = (value: (run: WorkerRow) => number) => median(cell.map(value));
        return {
          target,
          inFlight,
          perSecond: of((run) => run.perSecond),
          p50Ms: of((run) => run.p50Ms),
          p99Ms: of((run) => run.p99Ms),
          cpuMicrosPerCall: of((run) => run.cpuMicrosPerCall),
          failures: cell.reduce((sum, run) => sum + run.failures, 0),
        };
      }),
    );
  } finally {
    closers.forEach((close) => close());
    await platform.stop();
    await postgres?.stop();
  }
}
