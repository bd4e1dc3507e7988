import type { status } from '@grpc/grpc-js';
import type { JtsRpcName } from '../grpc/jts-rpc';
import { DeterministicRandom, seedFor } from './deterministic-random';

/** The status a failing call gets, optionally with the broker's own code in `jts-broker-code`. */
export interface InjectedFailure {
  code: status;
  brokerCode?: string;
}

/** RPCs a fault applies to; empty = every RPC. */
export type RpcSelection = readonly JtsRpcName[];

export interface LatencyFaultSetting {
  latencyMs: number;
  rpcs: RpcSelection;
}

export interface ErrorRateFaultSetting {
  /** Probability in [0, 1]. */
  rate: number;
  failure: InjectedFailure;
  rpcs: RpcSelection;
}

export interface FailNextFaultSetting {
  /** How many matching calls still fail. */
  count: number;
  failure: InjectedFailure;
  rpcs: RpcSelection;
}

export interface NotServingFaultSetting {
  /** Health service names; empty = all. */
  services: readonly string[];
}

/** The active faults of a broker (absent = not active). */
export interface BrokerFaultsSnapshot {
  latency?: LatencyFaultSetting;
  errorRate?: ErrorRateFaultSetting;
  failNext?: FailNextFaultSetting;
  notServing?: NotServingFaultSetting;
}

function applies(rpcs: RpcSelection, rpc: JtsRpcName): boolean {
  return rpcs.length === 0 || rpcs.includes(rpc);
}

/**
 * The faults injected into one broker. Failures are decided before a call is processed (fail-next
 * first, then the error rate); latency is added after processing. Error-rate draws come from a PRNG
 * seeded by (seed, broker id) and restarted whenever the error rate is set: the same calls fail on every
 * run.
 */
export class BrokerFaults {
  private latency?: LatencyFaultSetting;
  private errorRate?: ErrorRateFaultSetting;
  private failNext?: FailNextFaultSetting;
  private notServing?: NotServingFaultSetting;
  private random: DeterministicRandom;

  constructor(
    private readonly seed: number,
    private readonly brokerId: string,
  ) {
    this.random = new DeterministicRandom(seedFor(seed, brokerId));
  }

  /** latencyMs 0 removes the fault. */
  setLatency(setting: LatencyFaultSetting): void {
    this.latency = setting.latencyMs > 0 ? { latencyMs: setting.latencyMs, rpcs: [...setting.rpcs] } : undefined;
  }

  /** rate 0 removes the fault; setting it restarts the PRNG. */
  setErrorRate(setting: ErrorRateFaultSetting): void {
    this.errorRate = setting.rate > 0 ? { ...setting, failure: { ...setting.failure }, rpcs: [...setting.rpcs] } : undefined;
    this.random = new DeterministicRandom(seedFor(this.seed, this.brokerId));
  }

  /** count 0 removes the fault. */
  setFailNext(setting: FailNextFaultSetting): void {
    this.failNext = setting.count > 0 ? { ...setting, failure: { ...setting.failure }, rpcs: [...setting.rpcs] } : undefined;
  }

  setNotServing(setting: NotServingFaultSetting | undefined): void {
    this.notServing = setting === undefined ? undefined : { services: [...setting.services] };
  }

  clear(): void {
    this.latency = undefined;
    this.errorRate = undefined;
    this.failNext = undefined;
    this.notServing = undefined;
  }

  /** The failure this call gets, or null to process it. Consumes one fail-next or one PRNG draw. */
  failureFor(rpc: JtsRpcName): InjectedFailure | null {
    if (this.failNext !== undefined && applies(this.failNext.rpcs, rpc)) {
      const { failure } = this.failNext;
      this.failNext.count -= 1;
      if (this.failNext.count === 0) {
        this.failNext = undefined;
      }
      return failure;
    }
    if (this.errorRate !== undefined && applies(this.errorRate.rpcs, rpc)) {
      return this.random.next() < this.errorRate.rate ? this.errorRate.failure : null;
    }
    return null;
  }

  /** Milliseconds to wait after processing the call, before answering. */
  latencyFor(rpc: JtsRpcName): number {
    return this.latency !== undefined && applies(this.latency.rpcs, rpc) ? this.latency.latencyMs : 0;
  }

  /** Whether the health service reports `service` as NOT_SERVING. */
  isNotServing(service: string): boolean {
    return this.notServing !== undefined && (this.notServing.services.length === 0 || this.notServing.services.includes(service));
  }

  snapshot(): BrokerFaultsSnapshot {
    return structuredClone({
      ...(this.latency && { latency: this.latency }),
      ...(this.errorRate && { errorRate: this.errorRate }),
      ...(this.failNext && { failNext: this.failNext }),
      ...(this.notServing && { notServing: this.notServing }),
    });
  }
}
