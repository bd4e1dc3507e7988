// What every Nest service of the platform is built from: one implementation per concern, shared by the gateway
// and the execution worker. Configuration itself is @qts/platform-config.

// Errors: stable codes, the one code -> HTTP / gRPC status table, the one exception filter.
export * from './lib/errors/platform-error-codes';
export * from './lib/errors/error-status-table';
export * from './lib/errors/platform-errors';
export * from './lib/errors/classify-error';
export * from './lib/errors/error-body';
export * from './lib/errors/api-error-responses.decorator';
export * from './lib/errors/grpc-error-status';
export * from './lib/errors/error-response.filter';

// API keys: hashing, verification, the guard of HTTP routes and gRPC methods, scopes.
export * from './lib/api-keys/api-key-scope';
export * from './lib/api-keys/api-key-secret';
export * from './lib/api-keys/api-principal';
export * from './lib/api-keys/bootstrap-admin-key';
export * from './lib/api-keys/api-key-verifier';
export * from './lib/api-keys/route-access.decorators';
export * from './lib/api-keys/strategy-access';
export * from './lib/api-keys/authenticate-before-body';
export * from './lib/api-keys/api-key.guard';
export * from './lib/api-keys/api-key.entity';
export * from './lib/api-keys/api-keys-table';
export * from './lib/api-keys/api-key.views';
export * from './lib/api-keys/api-key-store';
export * from './lib/api-keys/api-keys-admin.controller';
export * from './lib/api-keys/api-key-auth.module';

// The HTTP front: security headers, CORS, the shape of JSON bodies.
export * from './lib/http/security-headers';
export * from './lib/http/cors-policy';
export * from './lib/http/json-body-shape';

// Request validation.
export * from './lib/validation/request-validation-error';
export * from './lib/validation/request-validation-pipe';
export * from './lib/validation/validate-plain';
export * from './lib/validation/broker-params';

// Logging, metrics, health.
export * from './lib/logging/log-redaction';
export * from './lib/logging/log-throttle';
export * from './lib/logging/logging.module';
export * from './lib/metrics/metrics-registry.token';
export * from './lib/metrics/metrics.module';
export * from './lib/health/broker-health.indicator';
export * from './lib/health/readiness-checks';
export * from './lib/health/health.controller';
export * from './lib/health/health.module';

// Persistence.
export * from './lib/database/database-target';
export * from './lib/database/iso-timestamp-column';
export * from './lib/database/service-data-source';
export * from './lib/database/exclusive-migrations';
export * from './lib/database/database.module';

// gRPC serving through @nestjs/microservices.
export * from './lib/grpc/listen-address';
export * from './lib/grpc/grpc-package-definition';
export * from './lib/grpc/grpc-health.service';
export * from './lib/grpc/grpc-server-streams';
export * from './lib/grpc/grpc-request-decoding';
export * from './lib/grpc/grpc-call.decorator';
export * from './lib/grpc/platform-grpc-server';
export * from './lib/grpc/grpc-serving.module';

// Shutdown: readiness first, then the servers and the service's own work drained.
export * from './lib/shutdown/service-shutdown';

// Start-up of a service (main.ts and tests alike).
export * from './lib/startup/exit-on-invalid-configuration';
export * from './lib/startup/start-services';

// Keyed serial execution.
export * from './lib/concurrency/keyed-serial-queue';
