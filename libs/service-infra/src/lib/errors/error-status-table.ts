import { status as GrpcStatus } from '@grpc/grpc-js';
import type { PlatformErrorCode } from './platform-error-codes';

/** How one stable code is answered over HTTP and over gRPC. */
export interface ErrorStatus {
  http: number;
  grpc: GrpcStatus;
}

/**
 * THE table from a stable error code to its HTTP and gRPC status: the gateway's REST and gRPC APIs, the
 * worker's gRPC API and the JTS simulator all answer a failure with the row of its code.
 */
export const ERROR_STATUS_TABLE: Readonly<Record<PlatformErrorCode, ErrorStatus>> = Object.freeze({
  INVALID_ARGUMENT: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  INVALID_ORDER: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  MALFORMED_REQUEST: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  API_KEY_REQUIRED: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  API_KEY_INVALID: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  INSUFFICIENT_SCOPE: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  // The key is not bound to the strategy the request acts for.
  STRATEGY_NOT_PERMITTED: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  LIVE_TRADING_DISABLED: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  BROKER_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ACCOUNT_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  SYMBOL_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ORDER_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  API_KEY_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ROUTE_NOT_FOUND: { http: 404, grpc: GrpcStatus.UNIMPLEMENTED },
  METHOD_NOT_ALLOWED: { http: 405, grpc: GrpcStatus.UNIMPLEMENTED },
  IDEMPOTENCY_CONFLICT: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  // A known intent id with another payload: the first intent stands.
  INTENT_CONFLICT: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  IDEMPOTENCY_IN_PROGRESS: { http: 409, grpc: GrpcStatus.ABORTED },
  // An account added at run time that clashes with a configured one, or with one added with other details.
  ACCOUNT_CONFLICT: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  // An operator's settlement of an order that is not waiting for one, or naming another order's broker number.
  SETTLEMENT_CONFLICT: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GrpcStatus.INVALID_ARGUMENT },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  // Well-formed orders the broker refuses on business grounds.
  INSUFFICIENT_FUNDS: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  ORDER_REJECTED: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  // Nothing was sent: the order's send-by time passed while it waited to leave.
  ORDER_EXPIRED: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  RATE_LIMITED: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  NOT_SUPPORTED: { http: 501, grpc: GrpcStatus.UNIMPLEMENTED },
  // The broker sent an order history the state machine refuses: an upstream fault, not the caller's.
  ILLEGAL_ORDER_TRANSITION: { http: 502, grpc: GrpcStatus.INTERNAL },
  BAD_GATEWAY: { http: 502, grpc: GrpcStatus.INTERNAL },
  // The broker refused the platform's own credentials: for the caller the broker is unusable.
  AUTHENTICATION_FAILED: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  BROKER_UNAVAILABLE: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  // Nothing was sent: the same request may be submitted again (to another replica).
  INTENT_NOT_PERSISTED: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  // Not known to be stored before the caller's deadline: the same request, submitted again, tells (never twice).
  INTENT_NOT_CONFIRMED: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  SERVICE_STOPPING: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  // The execution worker could not confirm a change that both services must make: nothing was changed here.
  WORKER_UNAVAILABLE: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  BROKER_TIMEOUT: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  // The order may exist: look it up before sending it again.
  ORDER_OUTCOME_UNKNOWN: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  INTERNAL: { http: 500, grpc: GrpcStatus.INTERNAL },
});

/** The row of a code; codes outside the table are internal errors. */
export function errorStatusOf(code: string): ErrorStatus {
  return (ERROR_STATUS_TABLE as Readonly<Record<string, ErrorStatus>>)[code] ?? ERROR_STATUS_TABLE.INTERNAL;
}

/** The gRPC status of an HTTP status without a code of its own: the first row with it, else the nearest class. */
export function grpcStatusForHttp(httpStatus: number): GrpcStatus {
  for (const row of Object.values(ERROR_STATUS_TABLE)) {
    if (row.http === httpStatus) return row.grpc;
  }
  return httpStatus >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.INVALID_ARGUMENT;
}
