import { status } from '@grpc/grpc-js';
import { BROKER_ERROR_CODES, isBrokerError, RateLimitExceededError } from '@qts/broker-domain';
import type { BrokerErrorCode } from '@qts/broker-domain';
import { GrpcStatusError } from './grpc-status-error';

/**
 * Status code per domain error code, after the convention in proto/jts/v1/trading.proto. Codes not
 * listed (an illegal order transition, an unknown outcome...) are server faults: INTERNAL.
 */
const STATUS_BY_ERROR_CODE: Readonly<Partial<Record<BrokerErrorCode, status>>> = Object.freeze({
  [BROKER_ERROR_CODES.INVALID_ARGUMENT]: status.INVALID_ARGUMENT,
  [BROKER_ERROR_CODES.INVALID_ORDER]: status.INVALID_ARGUMENT,
  [BROKER_ERROR_CODES.SYMBOL_NOT_FOUND]: status.NOT_FOUND,
  [BROKER_ERROR_CODES.ACCOUNT_NOT_FOUND]: status.NOT_FOUND,
  [BROKER_ERROR_CODES.ORDER_NOT_FOUND]: status.NOT_FOUND,
  [BROKER_ERROR_CODES.BROKER_NOT_FOUND]: status.NOT_FOUND,
  [BROKER_ERROR_CODES.INSUFFICIENT_FUNDS]: status.FAILED_PRECONDITION,
  [BROKER_ERROR_CODES.ORDER_REJECTED]: status.FAILED_PRECONDITION,
  [BROKER_ERROR_CODES.AUTHENTICATION_FAILED]: status.UNAUTHENTICATED,
  [BROKER_ERROR_CODES.NOT_SUPPORTED]: status.UNIMPLEMENTED,
  [BROKER_ERROR_CODES.RATE_LIMITED]: status.RESOURCE_EXHAUSTED,
  [BROKER_ERROR_CODES.BROKER_UNAVAILABLE]: status.UNAVAILABLE,
  [BROKER_ERROR_CODES.BROKER_TIMEOUT]: status.DEADLINE_EXCEEDED,
});

/** What a client sees of a failure it cannot act on; the real error goes to the simulator's log. */
export const INTERNAL_ERROR_MESSAGE = 'internal error in the simulated broker';

/**
 * The gRPC status for anything a handler threw: a GrpcStatusError as it is; a domain error as its
 * status with the domain code in `jts-error-code` (domain messages carry no secrets by contract); any
 * other error as INTERNAL with a fixed, safe message.
 */
export function toGrpcStatusError(error: unknown): GrpcStatusError {
  if (error instanceof GrpcStatusError) {
    return error;
  }
  if (!isBrokerError(error)) {
    return new GrpcStatusError(status.INTERNAL, INTERNAL_ERROR_MESSAGE);
  }
  const code = STATUS_BY_ERROR_CODE[error.code] ?? status.INTERNAL;
  const retryAfterMs = error instanceof RateLimitExceededError ? String(Math.max(1, error.retryAfterMs)) : undefined;
  return new GrpcStatusError(code, error.message, { errorCode: error.code, retryAfterMs });
}

/** True when the failure is the server's own fault (worth an error log), not the client's request. */
export function isInternalStatus(error: GrpcStatusError): boolean {
  return error.code === status.INTERNAL || error.code === status.UNKNOWN;
}
