import { InvalidArgumentError } from '@qts/broker-domain';
import type { qtsSimulatorV1 } from '@qts/grpc-contracts';
import type {
  ErrorRateFaultSetting,
  FailNextFaultSetting,
  InjectedFailure,
  LatencyFaultSetting,
  NotServingFaultSetting,
  RpcSelection,
} from '../faults/broker-faults';
import { ERROR_STATUS_NAMES, parseErrorStatus } from '../grpc/grpc-status-names';
import { JTS_RPC_NAMES, JTS_SERVICE_NAMES, resolveJtsRpcName } from '../grpc/jts-rpc';

/** Latency above this is surely a unit mistake (seconds for milliseconds): refused. */
export const MAX_LATENCY_MS = 600_000;

/** The fault settings of a SetFaults request, validated; kinds the request leaves out are undefined. */
export interface FaultChanges {
  latency?: LatencyFaultSetting;
  errorRate?: ErrorRateFaultSetting;
  failNext?: FailNextFaultSetting;
  notServing?: NotServingFaultSetting;
}

function invalid(field: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError(`${field} ${message}`, { field });
}

export function parseRpcSelection(rpcs: readonly string[], field: string): RpcSelection {
  return rpcs.map((name, index) => {
    const rpc = resolveJtsRpcName(name);
    if (rpc === undefined) {
      throw invalid(`${field}[${index}]`, `must be a jts.v1 RPC name (${JTS_RPC_NAMES.join(', ')}); got ${JSON.stringify(name)}`);
    }
    return rpc;
  });
}

export function parseInjectedFailure(code: string, brokerCode: string, field: string): InjectedFailure {
  const status = parseErrorStatus(code);
  if (status === undefined) {
    throw invalid(field, `must be a gRPC error code name (${ERROR_STATUS_NAMES.join(', ')}); got ${JSON.stringify(code)}`);
  }
  return brokerCode === '' ? { code: status } : { code: status, brokerCode };
}

export function validateLatencyMs(latencyMs: number, field: string): number {
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
    throw invalid(field, `must be an integer number of milliseconds in [0, ${MAX_LATENCY_MS}]; got ${latencyMs}`);
  }
  return latencyMs;
}

export function validateErrorRate(rate: number, field: string): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw invalid(field, `must be a probability in [0, 1]; got ${rate}`);
  }
  return rate;
}

export function parseFaultChanges(faults: qtsSimulatorV1.Faults | undefined): FaultChanges {
  if (faults === undefined) {
    throw invalid('faults', 'is required (set at least one fault kind; ClearFaults removes them)');
  }
  const changes: FaultChanges = {};
  if (faults.latency !== undefined) {
    changes.latency = {
      latencyMs: validateLatencyMs(faults.latency.latencyMs, 'faults.latency.latency_ms'),
      rpcs: parseRpcSelection(faults.latency.rpcs, 'faults.latency.rpcs'),
    };
  }
  if (faults.errorRate !== undefined) {
    changes.errorRate = {
      rate: validateErrorRate(faults.errorRate.errorRate, 'faults.error_rate.error_rate'),
      failure: parseInjectedFailure(faults.errorRate.code, faults.errorRate.brokerCode, 'faults.error_rate.code'),
      rpcs: parseRpcSelection(faults.errorRate.rpcs, 'faults.error_rate.rpcs'),
    };
  }
  if (faults.failNext !== undefined) {
    changes.failNext = {
      count: faults.failNext.count,
      failure: parseInjectedFailure(faults.failNext.code, faults.failNext.brokerCode, 'faults.fail_next.code'),
      rpcs: parseRpcSelection(faults.failNext.rpcs, 'faults.fail_next.rpcs'),
    };
  }
  if (faults.notServing !== undefined) {
    const known = ['', ...JTS_SERVICE_NAMES];
    faults.notServing.services.forEach((service, index) => {
      if (!known.includes(service)) {
        throw invalid(
          `faults.not_serving.services[${index}]`,
          `must be "" or one of ${JTS_SERVICE_NAMES.join(', ')}; got ${JSON.stringify(service)}`,
        );
      }
    });
    changes.notServing = { services: faults.notServing.services };
  }
  if (Object.keys(changes).length === 0) {
    throw invalid('faults', 'must set at least one of latency, error_rate, fail_next, not_serving');
  }
  return changes;
}
