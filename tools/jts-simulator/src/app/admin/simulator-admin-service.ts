import type { handleUnaryCall } from '@grpc/grpc-js';
import { BrokerNotFoundError, InvalidArgumentError } from '@qts/broker-domain';
import type { qtsSimulatorV1 } from '@qts/grpc-contracts';
import type { SimulatedBroker } from '../broker/simulated-broker';
import { isInternalStatus, toGrpcStatusError } from '../grpc/domain-error-status';
import { toOrderMessage } from '../grpc/jts-wire-format';
import type { SimulatorLogger } from '../logging/simulator-logger';
import { parseFaultChanges } from './admin-fault-parsing';
import type { FaultChanges } from './admin-fault-parsing';
import { toBrokerStateMessage, toBrokerStatsMessage } from './admin-wire-format';

/** '' = every broker; otherwise the one broker (BrokerNotFoundError -> NOT_FOUND). */
export function selectBrokers(brokers: ReadonlyMap<string, SimulatedBroker>, brokerId: string): SimulatedBroker[] {
  if (brokerId === '') {
    return [...brokers.values()];
  }
  const broker = brokers.get(brokerId);
  if (broker === undefined) {
    throw new BrokerNotFoundError(`no simulated broker '${brokerId}' (have: ${[...brokers.keys()].join(', ')})`, {
      details: { brokerId },
    });
  }
  return [broker];
}

/** Applies validated fault changes to a broker: each kind given replaces the current one. */
export function applyFaultChanges(broker: SimulatedBroker, changes: FaultChanges): void {
  if (changes.latency !== undefined) broker.faults.setLatency(changes.latency);
  if (changes.errorRate !== undefined) broker.faults.setErrorRate(changes.errorRate);
  if (changes.failNext !== undefined) broker.faults.setFailNext(changes.failNext);
  if (changes.notServing !== undefined) broker.faults.setNotServing(changes.notServing);
  broker.refreshHealth();
}

/** qts.simulator.v1.SimulatorAdminService over the simulator's brokers. */
export function createSimulatorAdminService(
  brokers: ReadonlyMap<string, SimulatedBroker>,
  logger: SimulatorLogger,
): qtsSimulatorV1.SimulatorAdminServiceServer {
  function unary<Req, Res>(name: string, handle: (request: Req) => Promise<Res>): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      handle(call.request).then(
        (response) => {
          logger.debug(`admin ${name}`, { request: call.request });
          callback(null, response);
        },
        (error: unknown) => {
          const failure = toGrpcStatusError(error);
          (isInternalStatus(failure) ? logger.error : logger.debug).call(logger, `admin ${name} failed`, {
            error: error instanceof Error ? error.message : String(error),
          });
          callback(failure);
        },
      );
    };
  }

  const states = (selected: SimulatedBroker[]): { brokers: qtsSimulatorV1.BrokerState[] } => ({
    brokers: selected.map(toBrokerStateMessage),
  });

  return {
    setFaults: unary('SetFaults', async (request: qtsSimulatorV1.SetFaultsRequest) => {
      const selected = selectBrokers(brokers, request.brokerId);
      const changes = parseFaultChanges(request.faults);
      for (const broker of selected) {
        applyFaultChanges(broker, changes);
      }
      logger.info('faults set', { brokerId: request.brokerId || '*', faults: request.faults });
      return states(selected);
    }),

    clearFaults: unary('ClearFaults', async (request: qtsSimulatorV1.ClearFaultsRequest) => {
      const selected = selectBrokers(brokers, request.brokerId);
      for (const broker of selected) {
        broker.faults.clear();
        broker.refreshHealth();
      }
      logger.info('faults cleared', { brokerId: request.brokerId || '*' });
      return states(selected);
    }),

    down: unary('Down', async (request: qtsSimulatorV1.DownRequest) => {
      const selected = selectBrokers(brokers, request.brokerId);
      await Promise.all(selected.map((broker) => broker.down()));
      return states(selected);
    }),

    up: unary('Up', async (request: qtsSimulatorV1.UpRequest) => {
      const selected = selectBrokers(brokers, request.brokerId);
      await Promise.all(selected.map((broker) => broker.up()));
      return states(selected);
    }),

    getStats: unary('GetStats', async (request: qtsSimulatorV1.GetStatsRequest) => ({
      brokers: selectBrokers(brokers, request.brokerId).map(toBrokerStatsMessage),
    })),

    resetStats: unary('ResetStats', async (request: qtsSimulatorV1.ResetStatsRequest) => {
      for (const broker of selectBrokers(brokers, request.brokerId)) {
        broker.stats.reset();
        if (request.resetRateWindows) {
          broker.rateEnforcer.resetWindows();
        }
      }
      return {};
    }),

    listOrders: unary('ListOrders', async (request: qtsSimulatorV1.ListOrdersRequest) => {
      if (request.brokerId === '') {
        throw new InvalidArgumentError('broker_id is required', { field: 'broker_id' });
      }
      const [broker] = selectBrokers(brokers, request.brokerId);
      const accountId = request.accountId === '' ? undefined : request.accountId;
      return { orders: broker.gateway.listOrders(accountId).map(toOrderMessage) };
    }),
  };
}
