// Public API of @qts/broker-grpc: the JTS gRPC client behind the domain's BrokerGateway port. Its Nest wiring,
// with the REST transport beside it, is @qts/broker-transport.

// Gateway
export {
  GrpcBrokerGateway,
  DEFAULT_ACQUIRE_TIMEOUT_MS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_READ_RETRIES,
  DEFAULT_STREAM_DEADLINE_MS,
} from './lib/gateway/grpc-broker-gateway';
export type { GrpcBrokerGatewayOptions } from './lib/gateway/grpc-broker-gateway';
export type { RateLimitPermits } from './lib/gateway/rate-limit-permits';

// Error mapping
export { mapGrpcError, DEFAULT_RETRY_AFTER_MS } from './lib/errors/map-grpc-error';
export type { GrpcErrorContext } from './lib/errors/map-grpc-error';
export {
  JTS_BROKER_CODE_KEY,
  JTS_ERROR_CODE_KEY,
  RETRY_AFTER_MS_KEY,
  isGrpcServiceError,
  readJtsErrorMetadata,
} from './lib/errors/grpc-service-error';
export type { JtsErrorMetadata } from './lib/errors/grpc-service-error';
export { MalformedResponseError } from './lib/mapping/malformed-response-error';

// Connections
export {
  BrokerConnectionManager,
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_INITIAL_PROBE_BACKOFF_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
  DEFAULT_SLOW_PROBE_MS,
} from './lib/connection/broker-connection-manager';
export type { BrokerConnectionManagerOptions, BrokerConnectionSource } from './lib/connection/broker-connection-manager';
export { createBrokerConnection, DEFAULT_CHANNEL_OPTIONS } from './lib/connection/broker-connection';
export type { BrokerConnection } from './lib/connection/broker-connection';
export type { HealthClient, HealthServingStatus } from './lib/connection/health-client';
export { probeBrokerHealth, JTS_HEALTH_SERVICES } from './lib/connection/health-probe';
export { logConnectionStatusChange } from './lib/connection/connection-status-log';
export type { StatusChangeLogger } from './lib/connection/connection-status-log';
export type { HealthProbe, HealthProbeOptions, HealthProbeResult } from './lib/connection/health-probe';
export type {
  BrokerConnectionState,
  ConnectionStatusEvent,
  ConnectionStatusListener,
} from './lib/connection/connection-status-event';

// Timing
export { ExponentialBackoff } from './lib/timing/exponential-backoff';
export type { BackoffOptions } from './lib/timing/exponential-backoff';
export { seededRandom } from './lib/timing/seeded-random';
export type { RandomSource } from './lib/timing/seeded-random';
