import { waitFor } from '@qts/test-support';
import { delay } from '../test/app-process';
import {
  hammerGateways,
  sampleWire,
  submitIntents,
  utilisation,
  type IntentOutcome,
  type WireSample,
} from '../test/load';
import {
  ACCOUNT_ID,
  ADMIN_API_KEY,
  BROKER_ID,
  startScaleOutCluster,
  type ScaleOutCluster,
} from '../test/scale-out-cluster';

/**
 * One broker budget shared by every replica, on real processes: 3 gateways and 2 workers built from the apps,
 * one simulated KIS paper broker (2 requests per second, counted on arrival), Redis as the shared ledger,
 * PostgreSQL for the apps. Backend teams hammer all gateways with quote reads; a strategy engine submits each
 * MARKET intent to both workers. The simulator counts what reaches the broker.
 */
const LIMIT_PER_SECOND = 2;
/** Trading may always use 1 of the 2 requests per second; reads never more than the other 1. */
const TRADING_RESERVE = 0.5;
const RESERVED_SHARE = Math.floor(LIMIT_PER_SECOND * TRADING_RESERVE) / LIMIT_PER_SECOND;
const READ_LOOPS_PER_GATEWAY = 4;
/** 1.25 intents per second: more trading demand than the reserve alone serves. */
const INTENT_EVERY_MS = 800;
const WARM_UP_MS = 3_000;

interface ExactlyOnce {
  intents: number;
  accepted: number;
  /** Intents with more than one order at the broker: must be none. */
  duplicated: string[];
  /** Accepted intents without exactly one order at the broker: must be none. */
  missing: string[];
}

async function checkExactlyOnce(
  cluster: ScaleOutCluster,
  outcomes: IntentOutcome[],
  prefix: string,
): Promise<ExactlyOnce> {
  const orders = (await cluster.simulator.admin.listOrders(BROKER_ID, ACCOUNT_ID)).filter((order) =>
    order.clientOrderId.startsWith(`${prefix}-`),
  );
  const perIntent = new Map<string, number>();
  for (const order of orders)
    perIntent.set(order.clientOrderId, (perIntent.get(order.clientOrderId) ?? 0) + 1);
  const accepted = outcomes.filter((outcome) =>
    outcome.answers.some((answer) => 'accepted' in answer && answer.accepted),
  );
  return {
    intents: outcomes.length,
    accepted: accepted.length,
    duplicated: [...perIntent].filter(([, count]) => count > 1).map(([id]) => id),
    missing: accepted
      .filter((outcome) => perIntent.get(outcome.intentId) !== 1)
      .map((outcome) => outcome.intentId),
  };
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

describe('one broker budget across 3 gateways and 2 workers (Redis ledger, kis-paper, real processes)', () => {
  let cluster: ScaleOutCluster;

  beforeAll(async () => {
    cluster = await startScaleOutCluster({
      gateways: 3,
      workers: 2,
      tradingReserve: TRADING_RESERVE,
      ownerTtlMs: 2_500,
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  async function run(
    prefix: string,
    durationMs: number,
    during?: (at: (label: string) => Promise<WireSample>) => Promise<void>,
  ): Promise<{
    samples: Map<string, WireSample>;
    exactlyOnce: ExactlyOnce;
    reads: { ok: number; rateLimited: number; other: number };
  }> {
    // Counters only: the broker's windows keep counting what arrived before, as a real broker's would.
    await cluster.simulator.admin.resetStats(BROKER_ID);
    const samples = new Map<string, WireSample>();
    const at = async (label: string) => {
      const sample = await sampleWire(cluster.simulator.admin, BROKER_ID);
      samples.set(label, sample);
      return sample;
    };
    const reads = hammerGateways(
      cluster.gateways.map((gateway) => gateway.httpUrl),
      { apiKey: ADMIN_API_KEY, concurrency: READ_LOOPS_PER_GATEWAY, brokerId: BROKER_ID },
    );
    const intents = submitIntents(
      cluster.workers.map((worker) => worker.grpcAddress),
      { everyMs: INTENT_EVERY_MS, prefix, brokerId: BROKER_ID, accountId: ACCOUNT_ID, apiKey: ADMIN_API_KEY },
    );
    await delay(WARM_UP_MS);
    const start = await at('start');
    const ending = delay(durationMs);
    await during?.(at);
    await ending;
    await at('end');
    const [readResult, outcomes] = await Promise.all([reads.stop(), intents.stop()]);
    // Whatever was still queued or in flight has reached the broker by now: count it for violations.
    await delay(1_500);
    const final = await at('final');
    expect(final.at).toBeGreaterThan(start.at);
    return { samples, exactlyOnce: await checkExactlyOnce(cluster, outcomes, prefix), reads: readResult };
  }

  it('keeps the broker within its limit, uses >= 90 % of it, gives trading its reserve and places each intent once', async () => {
    const { samples, exactlyOnce, reads } = await run('steady', 20_000);
    const start = samples.get('start') as WireSample;
    const end = samples.get('end') as WireSample;
    const final = samples.get('final') as WireSample;
    const used = utilisation(start, end, LIMIT_PER_SECOND);
    const tradingShare = (end.trading - start.trading) / (end.admitted - start.admitted);
    console.log(
      [
        'multi-replica, no outage (3 gateways, 2 workers, Redis ledger, kis-paper 2/s):',
        `  violations at the broker: ${final.violations}`,
        `  utilisation over ${((end.at - start.at) / 1000).toFixed(1)} s: ${percent(used)} of 2/s (${end.admitted - start.admitted} requests)`,
        `  trading share: ${percent(tradingShare)} (reserved ${percent(RESERVED_SHARE)})`,
        `  reads answered 200: ${reads.ok}, 429: ${reads.rateLimited}, other: ${reads.other}`,
        `  intents: ${exactlyOnce.intents} submitted to both workers, ${exactlyOnce.accepted} accepted, ` +
          `${exactlyOnce.duplicated.length} with more than one order, ${exactlyOnce.missing.length} accepted without exactly one`,
      ].join('\n'),
    );
    expect(final.violations).toBe(0);
    expect(used).toBeGreaterThanOrEqual(0.9);
    expect(tradingShare).toBeGreaterThanOrEqual(RESERVED_SHARE);
    expect(exactlyOnce.accepted).toBeGreaterThan(10);
    expect(exactlyOnce.duplicated).toEqual([]);
    expect(exactlyOnce.missing).toEqual([]);
    expect(cluster.exited()).toEqual([]);
  });

  it('keeps the limit through a 5 s Redis outage (fail closed, readiness down), and uses it fully again after', async () => {
    const OUTAGE_AFTER_MS = 6_000;
    const OUTAGE_MS = 5_000;
    /** Reconnection, then the fence (the owner TTL) after a Redis that lost its data. */
    const RECOVERY_MS = 4_000;
    let readinessDuringOutage = 0;
    const { samples, exactlyOnce, reads } = await run(
      'outage',
      OUTAGE_AFTER_MS + OUTAGE_MS + RECOVERY_MS + 12_000,
      async (at) => {
        await delay(OUTAGE_AFTER_MS);
        await at('down');
        await cluster.redis.stop();
        const gateway = cluster.gateways[0];
        await waitFor(
          async () => {
            const response = await fetch(`${gateway.httpUrl}/health/ready`);
            const body = (await response.json()) as { error?: Record<string, { status: string }> };
            readinessDuringOutage = response.status;
            return response.status === 503 && body.error?.['rate-limits']?.status === 'down';
          },
          {
            timeoutMs: OUTAGE_MS,
            intervalMs: 100,
            description: 'readiness reports the rate-limit ledger down',
          },
        );
        await delay(OUTAGE_MS - 1_000);
        await at('redis-back');
        await cluster.redis.restart();
        await delay(RECOVERY_MS);
        await at('recovered');
        for (const app of [...cluster.gateways, ...cluster.workers]) {
          await waitFor(async () => (await fetch(`${app.httpUrl}/health/ready`)).status === 200, {
            timeoutMs: 10_000,
            intervalMs: 100,
            description: `${app.name} ready again`,
          });
        }
      },
    );
    const get = (label: string) => samples.get(label) as WireSample;
    const overall = utilisation(get('start'), get('end'), LIMIT_PER_SECOND);
    const beforeOutage = utilisation(get('start'), get('down'), LIMIT_PER_SECOND);
    const duringOutage = utilisation(get('down'), get('redis-back'), LIMIT_PER_SECOND);
    const afterRecovery = utilisation(get('recovered'), get('end'), LIMIT_PER_SECOND);
    console.log(
      [
        'multi-replica with a 5 s Redis outage (Redis stopped, restarted empty):',
        `  violations at the broker: ${get('final').violations}`,
        `  utilisation: ${percent(beforeOutage)} before, ${percent(duringOutage)} during the outage (fail closed), ` +
          `${percent(afterRecovery)} after recovery; ${percent(overall)} over the whole run`,
        `  readiness during the outage: ${readinessDuringOutage}`,
        `  reads answered 200: ${reads.ok}, 429: ${reads.rateLimited}, other: ${reads.other}`,
        `  intents: ${exactlyOnce.intents} submitted to both workers, ${exactlyOnce.accepted} accepted, ` +
          `${exactlyOnce.duplicated.length} with more than one order, ${exactlyOnce.missing.length} accepted without exactly one`,
      ].join('\n'),
    );
    expect(get('final').violations).toBe(0);
    expect(readinessDuringOutage).toBe(503);
    expect(beforeOutage).toBeGreaterThanOrEqual(0.9);
    expect(afterRecovery).toBeGreaterThanOrEqual(0.9);
    expect(exactlyOnce.duplicated).toEqual([]);
    expect(exactlyOnce.missing).toEqual([]);
    expect(cluster.exited()).toEqual([]);
  });
});
