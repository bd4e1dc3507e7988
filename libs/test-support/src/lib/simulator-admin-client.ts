import { credentials, Metadata } from '@grpc/grpc-js';
import type { CallOptions, ServiceError } from '@grpc/grpc-js';
import { qtsSimulatorV1 } from '@qts/grpc-contracts';
import type { jtsV1 } from '@qts/grpc-contracts';

/** Faults to set; each kind given replaces the broker's current one, kinds left out stay. */
export interface SimulatorFaultsInput {
  /** Added after processing; `rpcs` are jts.v1 method names (empty = all). */
  latency?: { latencyMs: number; rpcs?: string[] };
  /** `code`: gRPC code name, default UNAVAILABLE. */
  errorRate?: { errorRate: number; code?: string; rpcs?: string[]; brokerCode?: string };
  failNext?: { count: number; code?: string; rpcs?: string[]; brokerCode?: string };
  /** Health answers NOT_SERVING for these services ('' = the server; empty = all). */
  notServing?: { services?: string[] };
}

export interface SimulatorAdminClientOptions {
  /** Per-call deadline; default 10_000 ms (calls wait for the admin port to come up within it). */
  deadlineMs?: number;
}

/** Low backoff: after a simulator restart the admin channel reconnects within ~100 ms, not seconds. */
const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
};

type Unary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/**
 * Promise client of qts.simulator.v1.SimulatorAdminService (the simulator's admin port). broker ids ''
 * address every broker. The channel opens on the first call and again after close(), so one instance
 * serves a simulator across restarts.
 */
export class SimulatorAdminClient {
  private client: qtsSimulatorV1.SimulatorAdminServiceClient | undefined;
  private readonly deadlineMs: number;

  constructor(
    readonly address: string,
    options: SimulatorAdminClientOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? 10_000;
  }

  async setFaults(brokerId: string, faults: SimulatorFaultsInput): Promise<qtsSimulatorV1.BrokerState[]> {
    const request = qtsSimulatorV1.SetFaultsRequest.fromPartial({ brokerId, faults });
    return (await this.call<qtsSimulatorV1.SetFaultsRequest, qtsSimulatorV1.SetFaultsResponse>('setFaults', request)).brokers;
  }

  async clearFaults(brokerId = ''): Promise<qtsSimulatorV1.BrokerState[]> {
    return (await this.call<qtsSimulatorV1.ClearFaultsRequest, qtsSimulatorV1.ClearFaultsResponse>('clearFaults', { brokerId }))
      .brokers;
  }

  /** Closes the broker port(s): connections refused, open calls fail; state kept. */
  async down(brokerId = ''): Promise<qtsSimulatorV1.BrokerState[]> {
    return (await this.call<qtsSimulatorV1.DownRequest, qtsSimulatorV1.DownResponse>('down', { brokerId })).brokers;
  }

  /** Listens again on the same port(s), state kept. */
  async up(brokerId = ''): Promise<qtsSimulatorV1.BrokerState[]> {
    return (await this.call<qtsSimulatorV1.UpRequest, qtsSimulatorV1.UpResponse>('up', { brokerId })).brokers;
  }

  async getStats(brokerId = ''): Promise<qtsSimulatorV1.BrokerStats[]> {
    return (await this.call<qtsSimulatorV1.GetStatsRequest, qtsSimulatorV1.GetStatsResponse>('getStats', { brokerId })).brokers;
  }

  /** The stats of one broker. */
  async getBrokerStats(brokerId: string): Promise<qtsSimulatorV1.BrokerStats> {
    const [stats] = await this.getStats(brokerId);
    return stats;
  }

  /** Zeroes counters; `resetRateWindows` also gives the broker its full rate budget back. */
  async resetStats(brokerId = '', options: { resetRateWindows?: boolean } = {}): Promise<void> {
    await this.call<qtsSimulatorV1.ResetStatsRequest, qtsSimulatorV1.ResetStatsResponse>('resetStats', {
      brokerId,
      resetRateWindows: options.resetRateWindows ?? false,
    });
  }

  /** Every order of the broker in placement order, optionally of one account. */
  async listOrders(brokerId: string, accountId = ''): Promise<jtsV1.Order[]> {
    return (await this.call<qtsSimulatorV1.ListOrdersRequest, qtsSimulatorV1.ListOrdersResponse>('listOrders', { brokerId, accountId }))
      .orders;
  }

  /** Closes the channel; a later call opens a new one. */
  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private call<Req, Res>(method: keyof qtsSimulatorV1.SimulatorAdminServiceClient, request: Req): Promise<Res> {
    if (this.client === undefined) {
      this.client = new qtsSimulatorV1.SimulatorAdminServiceClient(this.address, credentials.createInsecure(), CHANNEL_OPTIONS);
    }
    const client = this.client;
    const unary = (client[method] as unknown as Unary<Req, Res>).bind(client);
    return new Promise((resolve, reject) => {
      // waitForReady: a call made while the simulator restarts waits for the admin port (within the deadline).
      unary(request, new Metadata({ waitForReady: true }), { deadline: Date.now() + this.deadlineMs }, (error, response) => {
        if (error !== null) {
          reject(error);
        } else {
          resolve(response);
        }
      });
    });
  }
}
