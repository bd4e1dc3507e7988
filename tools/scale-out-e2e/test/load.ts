import { credentials, Metadata } from '@grpc/grpc-js';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import type { SimulatorAdminClient } from '@qts/test-support';
import { delay } from './app-process';

/** Trading RPCs (the priority class of the limiter), as the simulator names them. */
const TRADING_RPCS = ['PlaceOrder', 'CancelOrder', 'GetOrderStatus'];

/** What the simulator counted for a broker at one moment. */
export interface WireSample {
  at: number;
  /** Requests admitted (counted against the broker's rule). */
  admitted: number;
  trading: number;
  violations: number;
  ordersPlaced: number;
}

export async function sampleWire(admin: SimulatorAdminClient, brokerId: string): Promise<WireSample> {
  const stats = await admin.getBrokerStats(brokerId);
  const requests = stats.requests as Record<string, number | string>;
  const total = Number(stats.totalRequests);
  const violations = Number(stats.totalViolations);
  return {
    at: Date.now(),
    admitted: total - violations,
    trading: TRADING_RPCS.reduce((sum, rpc) => sum + Number(requests[rpc] ?? 0), 0),
    violations,
    ordersPlaced: Number(stats.ordersPlaced),
  };
}

/** Requests per second between two samples as a share of the broker's `limitPerSecond`. */
export function utilisation(from: WireSample, to: WireSample, limitPerSecond: number): number {
  return (to.admitted - from.admitted) / (((to.at - from.at) / 1_000) * limitPerSecond);
}

export interface ReadLoadResult {
  ok: number;
  rateLimited: number;
  other: number;
}

/**
 * Backend teams hammering the gateways: `concurrency` loops per gateway, each asking for a quote as soon as
 * the previous answer came (200, or 429 when the budget is exhausted, or 503 while a broker is unreachable).
 */
export function hammerGateways(
  gatewayUrls: readonly string[],
  options: { apiKey: string; concurrency: number; brokerId: string },
): { stop(): Promise<ReadLoadResult> } {
  const result: ReadLoadResult = { ok: 0, rateLimited: 0, other: 0 };
  let running = true;
  const loops = gatewayUrls.flatMap((url) =>
    Array.from({ length: options.concurrency }, async () => {
      while (running) {
        try {
          const response = await fetch(`${url}/api/v1/brokers/${options.brokerId}/quotes/005930`, {
            headers: { 'X-API-Key': options.apiKey },
            signal: AbortSignal.timeout(30_000),
          });
          await response.arrayBuffer();
          if (response.status === 200) result.ok++;
          else if (response.status === 429) result.rateLimited++;
          else result.other++;
        } catch {
          result.other++;
          await delay(100);
        }
      }
    }),
  );
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}

export interface IntentOutcome {
  intentId: string;
  /** One answer per worker it was submitted to. */
  answers: Array<{ accepted: boolean; orderId: string; failSafeCode: string } | { error: string }>;
}

/**
 * A strategy engine submitting MARKET intents at a steady pace, each intent id to EVERY worker at once
 * (as a retrying client or a fail-over would): exactly one order must exist per intent id.
 */
export function submitIntents(
  workerAddresses: readonly string[],
  options: { everyMs: number; prefix: string; brokerId: string; accountId: string; apiKey: string },
): { stop(): Promise<IntentOutcome[]> } {
  const clients = workerAddresses.map(
    (address) => new qtsExecutionV1.ExecutionServiceClient(address, credentials.createInsecure()),
  );
  const outcomes: Promise<IntentOutcome>[] = [];
  let running = true;
  const submit = (client: qtsExecutionV1.ExecutionServiceClient, intentId: string) =>
    new Promise<IntentOutcome['answers'][number]>((resolve) => {
      const metadata = new Metadata();
      metadata.set('x-api-key', options.apiKey);
      client.submitIntent(
        {
          intentId,
          strategyId: 'scale-out-e2e',
          brokerId: options.brokerId,
          accountId: options.accountId,
          symbol: '005930',
          side: qtsTypeV1.OrderSide.BUY,
          quantity: 1,
          orderType: qtsTypeV1.OrderType.MARKET,
          limitPrice: '',
          dryRun: false,
          // The load checks exactly-once across replicas, not timeliness: a minute rather than the MARKET default.
          expiresAt: '',
          maxDelayMs: 60_000,
        },
        metadata,
        { deadline: Date.now() + 60_000 },
        (error, response) =>
          resolve(
            error
              ? { error: error.message }
              : {
                  accepted: response.accepted,
                  orderId: response.orderId,
                  failSafeCode: response.failSafeCode,
                },
          ),
      );
    });
  const loop = (async () => {
    for (let n = 0; running; n++) {
      const intentId = `${options.prefix}-${n}`;
      outcomes.push(
        Promise.all(clients.map((client) => submit(client, intentId))).then((answers) => ({
          intentId,
          answers,
        })),
      );
      await delay(options.everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const settled = await Promise.all(outcomes);
      clients.forEach((client) => client.close());
      return settled;
    },
  };
}
