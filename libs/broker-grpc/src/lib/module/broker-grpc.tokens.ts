/** Injection tokens of BrokerGrpcModule. Symbols, so no other module can collide with them by name. */

/** The module's options (BrokerGrpcModuleOptions). */
export const BROKER_GRPC_OPTIONS: unique symbol = Symbol('BROKER_GRPC_OPTIONS');

/** ReadonlyMap<brokerId, SlidingWindowLimiter> of the gRPC brokers, for metrics and dashboards. */
export const BROKER_LIMITERS: unique symbol = Symbol('BROKER_LIMITERS');
