import { JTS_RPC_NAMES } from '../grpc/jts-rpc';
import type { JtsRpcName } from '../grpc/jts-rpc';

export interface BrokerCallStatsSnapshot {
  /** Calls received per RPC, whatever their outcome (every RPC listed, 0 when none). */
  requests: Record<JtsRpcName, number>;
  /** RESOURCE_EXHAUSTED answers per rate-limit rule id. */
  violations: Record<string, number>;
  /** Distinct orders created by PlaceOrder. */
  ordersPlaced: number;
  /** Calls failed by fault injection. */
  injectedFailures: number;
  totalRequests: number;
  totalViolations: number;
}

/** Counters of one simulated broker since its start or the last reset. */
export class BrokerCallStats {
  private requests = new Map<JtsRpcName, number>();
  private violations = new Map<string, number>();
  private placedOrderIds = new Set<string>();
  private injectedFailures = 0;

  recordRequest(rpc: JtsRpcName): void {
    this.requests.set(rpc, (this.requests.get(rpc) ?? 0) + 1);
  }

  recordViolation(ruleId: string): void {
    this.violations.set(ruleId, (this.violations.get(ruleId) ?? 0) + 1);
  }

  /** Counts an order once however often an idempotent PlaceOrder returns it. */
  recordOrderPlaced(orderId: string): void {
    this.placedOrderIds.add(orderId);
  }

  recordInjectedFailure(): void {
    this.injectedFailures += 1;
  }

  /** `ruleIds`: the broker's rules, listed with 0 when never violated. */
  snapshot(ruleIds: readonly string[] = []): BrokerCallStatsSnapshot {
    const requests = Object.fromEntries(JTS_RPC_NAMES.map((rpc) => [rpc, this.requests.get(rpc) ?? 0])) as Record<
      JtsRpcName,
      number
    >;
    const violations: Record<string, number> = Object.fromEntries(ruleIds.map((id) => [id, 0]));
    for (const [ruleId, count] of this.violations) {
      violations[ruleId] = count;
    }
    return {
      requests,
      violations,
      ordersPlaced: this.placedOrderIds.size,
      injectedFailures: this.injectedFailures,
      totalRequests: sum(Object.values(requests)),
      totalViolations: sum(Object.values(violations)),
    };
  }

  reset(): void {
    this.requests = new Map();
    this.violations = new Map();
    this.placedOrderIds = new Set();
    this.injectedFailures = 0;
  }
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
