// Public API of the execution engine, as the worker's services consume it.
// Domain types (ExecutionIntent, ExecutionResponse, OrderRequest, OrderResponse, OrderAdapter, BrokerEngine,
// FailSafeCode, FAIL_SAFE_CODES, failSafeCodeForError, OrderStatus, errors) come from @qts/broker-domain.

export { intentToOrderRequest, orderResponseToExecutionResponse } from './intent-order-bridge';
export { OrderAdapterBrokerEngine } from './order-adapter-broker-engine';
export type { OrderAdapterBrokerEngineOptions } from './order-adapter-broker-engine';
export { ConsecutiveFailureGuard } from './consecutive-failure-guard';
export { LiveBroker } from './live-broker';
export { NoopBroker } from './noop-broker';
export { classifyBrokerOutcome } from './broker-failure-classification';
export type { BrokerOutcome } from './broker-failure-classification';
export { createBrokerForExecution } from './create-broker-for-execution';
export { isLiveTradingAllowed } from './live-trading-policy';
export { BROKER_FACTORY } from './broker-factory';
export type { BrokerFactory, FailSafeStatus } from './broker-factory';
export { ConfiguredBrokerFactory } from './configured-broker-factory';
export type { ConfiguredBrokerFactoryOptions } from './configured-broker-factory';
export { ExecutionEngineModule, EXECUTION_ENGINE_OPTIONS } from './execution-engine.module';
export type { ExecutionEngineModuleOptions } from './execution-engine.module';

// Order adapters (getBroker, getBrokerForConfig) and the fail-safe table.
export {
  getBroker,
  getBrokerForConfig,
  BROKER_FAIL_SAFE_TABLE,
  JtsOrderAdapter,
  KisOrderAdapter,
  KiwoomOrderAdapter,
  KisHttpClient,
  KiwoomHttpClient,
  UnclassifiedBrokerError,
} from '../adapters';
export type { OrderAdapterDependencies, OrderAdapterKind, BrokerFailSafeRule } from '../adapters';
