import type { qtsSimulatorV1 } from '@qts/grpc-contracts';
import type { SimulatedBroker } from '../broker/simulated-broker';
import type { BrokerFaultsSnapshot } from '../faults/broker-faults';
import { statusName } from '../grpc/grpc-status-names';

// Simulator state -> qts.simulator.v1 messages.

export function toFaultsMessage(faults: BrokerFaultsSnapshot): qtsSimulatorV1.Faults {
  return {
    ...(faults.latency && { latency: { latencyMs: faults.latency.latencyMs, rpcs: [...faults.latency.rpcs] } }),
    ...(faults.errorRate && {
      errorRate: {
        errorRate: faults.errorRate.rate,
        code: statusName(faults.errorRate.failure.code),
        rpcs: [...faults.errorRate.rpcs],
        brokerCode: faults.errorRate.failure.brokerCode ?? '',
      },
    }),
    ...(faults.failNext && {
      failNext: {
        count: faults.failNext.count,
        code: statusName(faults.failNext.failure.code),
        rpcs: [...faults.failNext.rpcs],
        brokerCode: faults.failNext.failure.brokerCode ?? '',
      },
    }),
    ...(faults.notServing && { notServing: { services: [...faults.notServing.services] } }),
  };
}

export function toBrokerStateMessage(broker: SimulatedBroker): qtsSimulatorV1.BrokerState {
  const state = broker.state();
  return {
    brokerId: state.id,
    brokerType: state.type,
    port: state.port,
    up: state.up,
    faults: toFaultsMessage(state.faults),
    rateLimitPreset: state.rateLimit,
  };
}

export function toBrokerStatsMessage(broker: SimulatedBroker): qtsSimulatorV1.BrokerStats {
  const stats = broker.stats.snapshot(broker.rateEnforcer.listRules().map((rule) => rule.id));
  return {
    state: toBrokerStateMessage(broker),
    requests: stats.requests,
    violations: stats.violations,
    ordersPlaced: stats.ordersPlaced,
    injectedFailures: stats.injectedFailures,
    totalRequests: stats.totalRequests,
    totalViolations: stats.totalViolations,
  };
}
