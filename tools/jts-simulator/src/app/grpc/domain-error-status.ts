import { status } from '@grpc/grpc-js';
import { isBrokerError, RateLimitExceededError } from '@qts/broker-domain';
import { errorStatusOf } from '@qts/service-infra';
import { GrpcStatusError } from './grpc-status-error';

/** What a client sees of a failure it cannot act on; the real error goes to the simulator's log. */
export const INTERNAL_ERROR_MESSAGE = 'internal error in the simulated broker';

/**
 * The gRPC status for anything a handler threw: a GrpcStatusError as it is; a domain error as the status
 * of its code in the platform's one error table (ERROR_STATUS_TABLE of @qts/service-infra), with the code
 * in `jts-error-code` (domain messages carry no secrets by contract); any other error as INTERNAL with a
 * fixed, safe message.
 */
export function toGrpcStatusError(error: unknown): GrpcStatusError {
  if (error instanceof GrpcStatusError) {
    return error;
  }
  if (!isBrokerError(error)) {
    return new GrpcStatusError(status.INTERNAL, INTERNAL_ERROR_MESSAGE);
  }
  const code = errorStatusOf(error.code).grpc;
  const retryAfterMs = error instanceof RateLimitExceededError ? String(Math.max(1, error.retryAfterMs)) : undefined;
  return new GrpcStatusError(code, error.message, { errorCode: error.code, retryAfterMs });
}

/** True when the failure is the server's own fault (worth an error log), not the client's request. */
export function isInternalStatus(error: GrpcStatusError): boolean {
  return error.code === status.INTERNAL || error.code === status.UNKNOWN;
}
