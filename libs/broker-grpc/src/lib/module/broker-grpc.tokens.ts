/** Injection tokens of BrokerGrpcModule. Symbols, so no other module can collide with them by name. */

/** The module's options (BrokerGrpcModuleOptions). */
export const BROKER_GRPC_OPTIONS: unique symbol = Symbol('BROKER_GRPC_OPTIONS');

/** BrokerRateLimiters: the limiter of every gRPC broker (a ReadonlyMap by id) and their backend's health. */
export const BROKER_LIMITERS: unique symbol = Symbol('BROKER_LIMITERS');
