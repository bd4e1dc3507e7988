// Generated message types, service definitions and clients, one namespace per proto package, named
// after the package: jts.v1 -> jtsV1, qts.gateway.v1 -> qtsGatewayV1 ... Several packages define the
// same names (Order, GetQuoteRequest, OrderSide), so they are never merged into one flat namespace.
export * as jtsV1 from './generated/index.jts.v1';
export * as qtsTypeV1 from './generated/index.qts.type.v1';
export * as qtsGatewayV1 from './generated/index.qts.gateway.v1';
export * as qtsExecutionV1 from './generated/index.qts.execution.v1';
export * as qtsSimulatorV1 from './generated/index.qts.simulator.v1';

export * from './lib/proto-files';
export * from './lib/proto-root';
export * from './lib/load-package-definition';
