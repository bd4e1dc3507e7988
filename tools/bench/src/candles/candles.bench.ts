import { credentials, Metadata } from '@grpc/grpc-js';
import { TradingBars } from '@qts/broker-domain';
import { jtsV1, qtsGatewayV1 } from '@qts/grpc-contracts';
import { performance } from 'node:perf_hooks';
import { KeepAliveHttpClient } from '../load/http-keep-alive-client';
import { median } from '../median';
import { PeakRssSampler } from '../processes/bench-process';
import { BENCH_BROKER_ID, BenchPlatform } from '../processes/bench-platform';
import { createReadKey } from '../paths/request-paths.bench';

/**
 * 100,000 one-minute candles of one symbol (about a year of trading minutes), read to the end, side by side: the
 * simulator's stream read directly, the gateway's gRPC GetCandles stream, and the gateway's REST API page by page
 * (10,000 bars a page, following nextCursor). For the gateway: the time, and its resident memory before the
 * transfer and at its highest during it (sampled every 20 ms).
 */
export const CANDLE_BENCH_SETTINGS = Object.freeze({ CANDLES: 100_000, SYMBOL: '005930', TIMEFRAME: '1m', START: '2025-01-01T00:00:00Z', PAGE: 10_000 });

export type CandleTarget = 'direct (simulator stream)' | 'gateway gRPC stream' | 'gateway REST, pages of 10,000';

export interface CandleRow {
  target: CandleTarget;
  candles: number;
  seconds: number;
  perSecond: number;
  /** Gateway resident memory before the transfer and its peak during it, in bytes (NaN for the direct read). */
  rssBeforeBytes: number;
  rssPeakBytes: number;
}

export async function runCandlesBench(repetitions: number, log: (line: string) => void): Promise<CandleRow[]> {
  const { CANDLES, SYMBOL, TIMEFRAME, START, PAGE } = CANDLE_BENCH_SETTINGS;
  // The range that holds exactly CANDLES bars, counted in trading minutes.
  const end = new TradingBars().window(TIMEFRAME, new Date(START), new Date('2030-01-01T00:00:00Z'), CANDLES).last.toISOString();
  const platform = await BenchPlatform.start();
  const closers: Array<() => void> = [];
  try {
    const gateway = await platform.startGateway('gateway-candles');
    const key = await createReadKey(gateway.httpUrl);
    const jts = new jtsV1.MarketDataServiceClient(platform.simulator.brokerAddress(BENCH_BROKER_ID), credentials.createInsecure(), {
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    const grpc = new qtsGatewayV1.BrokerGatewayServiceClient(gateway.grpcAddress, credentials.createInsecure());
    const rest = new KeepAliveHttpClient(gateway.httpUrl, { 'x-api-key': key });
    closers.push(() => jts.close(), () => grpc.close(), () => rest.close());

    const readDirect = (): Promise<number> =>
      new Promise((resolve, reject) => {
        let count = 0;
        const call = jts.getCandles({ symbol: SYMBOL, timeframe: TIMEFRAME, startTime: START, endTime: end });
        call.on('data', () => (count += 1));
        call.on('error', reject);
        call.on('end', () => resolve(count));
      });
    const readGrpc = (): Promise<number> =>
      new Promise((resolve, reject) => {
        let count = 0;
        const metadata = new Metadata();
        metadata.set('x-api-key', key);
        const call = grpc.getCandles({ brokerId: BENCH_BROKER_ID, symbol: SYMBOL, timeframe: TIMEFRAME, startTime: START, endTime: end }, metadata);
        call.on('data', (message: qtsGatewayV1.GetCandlesResponse) => (count += message.candles.length));
        call.on('error', reject);
        call.on('end', () => resolve(count));
      });
    const readRest = async (): Promise<number> => {
      let count = 0;
      let cursor: string | undefined;
      do {
        const query = `/api/v1/brokers/${BENCH_BROKER_ID}/candles?symbol=${SYMBOL}&timeframe=${TIMEFRAME}&start=${START}&end=${end}&limit=${PAGE}`;
        const page = JSON.parse((await rest.get(`${query}${cursor === undefined ? '' : `&cursor=${cursor}`}`)).toString('utf8')) as {
          candles: unknown[];
          nextCursor?: string;
        };
        count += page.candles.length;
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return count;
    };

    const targets: Array<{ target: CandleTarget; read: () => Promise<number>; pid?: number }> = [
      { target: 'direct (simulator stream)', read: readDirect },
      { target: 'gateway gRPC stream', read: readGrpc, pid: gateway.process.pid },
      { target: 'gateway REST, pages of 10,000', read: readRest, pid: gateway.process.pid },
    ];
    // Warm-up: each path once (the simulator's market model, the gateway's code paths and candle cache statements).
    for (const { read } of targets) await read();

    const runs: CandleRow[] = [];
    for (let r = 0; r < repetitions; r += 1) {
      const shift = r % targets.length;
      for (const { target, read, pid } of [...targets.slice(shift), ...targets.slice(0, shift)]) {
        // Let the previous transfer's garbage go before the memory baseline is read.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const sampler = pid === undefined ? undefined : new PeakRssSampler(pid);
        const rssBeforeBytes = sampler === undefined ? Number.NaN : sampler.stop();
        const peak = pid === undefined ? undefined : new PeakRssSampler(pid);
        const started = performance.now();
        const candles = await read();
        const seconds = (performance.now() - started) / 1_000;
        const rssPeakBytes = peak === undefined ? Number.NaN : peak.stop();
        if (candles !== CANDLES) throw new Error(`${target} returned ${candles} candles, expected ${CANDLES}`);
        runs.push({ target, candles, seconds, perSecond: candles / seconds, rssBeforeBytes, rssPeakBytes });
        log(
          `[${r + 1}/${repetitions}] ${target}: ${candles} candles in ${seconds.toFixed(2)} s (${(candles / seconds).toFixed(0)}/s)` +
            (pid === undefined ? '' : `, gateway RSS ${mb(rssBeforeBytes)} -> peak ${mb(rssPeakBytes)}`),
        );
      }
    }
    return targets.map(({ target }) => {
      const cell = runs.filter((run) => run.target === target);
      const of = (value: (run: CandleRow) => number) => median(cell.map(value));
      return {
        target,
        candles: CANDLES,
        seconds: of((run) => run.seconds),
        perSecond: of((run) => run.perSecond),
        rssBeforeBytes: of((run) => run.rssBeforeBytes),
        rssPeakBytes: Math.max(...cell.map((run) => run.rssPeakBytes)),
      };
    });
  } finally {
    closers.forEach((close) => close());
    await platform.stop();
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(0)} MB`;
}
