// Public API of @qts/broker-transport: every configured broker through its transport (the JTS gRPC server, the
// broker's own REST API, or in process), with one rate-limit budget per broker, as one Nest module for the apps.
export { BrokerTransportModule } from './lib/broker-transport.module';
export type { BrokerTransportModuleOptions } from './lib/broker-transport-module-options';
export { BROKER_LIMITERS, BROKER_ORDER_ADAPTERS, BROKER_TRANSPORT_OPTIONS } from './lib/broker-transport.tokens';
export { BrokerRateLimiters, type BrokerRateLimitHealth } from './lib/broker-rate-limiters';
export { BrokerStatusFeed } from './lib/broker-status-feed';
export { createBrokerLimiters } from './lib/create-broker-limiters';
export { createBrokerRegistry } from './lib/create-broker-registry';
export { LOCAL_TOKEN_STORE_FILE, RestBrokerConnections } from './lib/rest-broker-connections';
export { RateLimitHealthIndicator } from './lib/rate-limit-health.indicator';
