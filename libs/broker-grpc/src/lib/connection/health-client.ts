import { CallOptions, Client, ClientUnaryCall, Metadata, ServiceError } from '@grpc/grpc-js';

/**
 * The standard grpc.health.v1.Health client, typed for what the connection manager uses. The service
 * definition comes from the grpc-health-check package (loaded with keepCase and string enums).
 */
export type HealthServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

export interface HealthCheckRequest {
  service: string;
}

export interface HealthCheckResponse {
  status: HealthServingStatus;
}

export interface HealthClient extends Client {
  check(
    request: HealthCheckRequest,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: (error: ServiceError | null, response?: HealthCheckResponse) => void,
  ): ClientUnaryCall;
}
