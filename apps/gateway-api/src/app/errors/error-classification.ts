import { status as GrpcStatus } from '@grpc/grpc-js';
import { HttpException } from '@nestjs/common';
import { isBrokerError, RateLimitExceededError } from '@qts/broker-domain';
import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from './gateway-error-codes';
import { GatewayError, ReplayedFailureError } from './gateway-errors';

/** How one failure is presented, identically over REST and gRPC. */
export interface ErrorClassification {
  httpStatus: number;
  grpcStatus: GrpcStatus;
  /** Stable machine-readable code (GATEWAY_ERROR_CODES). */
  code: string;
  /** Safe for clients: never a stack, a secret or an echo of request bytes. */
  message: string;
  /** With RATE_LIMITED: how long to wait, in milliseconds. */
  retryAfterMs?: number;
  /** True for failures the gateway did not anticipate (logged with their stack). */
  unexpected: boolean;
}

interface StatusPair {
  http: number;
  grpc: GrpcStatus;
}

/** Brief section 6 (HTTP) and proto/qts/gateway/v1/gateway.proto (gRPC): one row per stable code. */
const STATUS_BY_CODE: Readonly<Record<GatewayErrorCode, StatusPair>> = Object.freeze({
  INVALID_ARGUMENT: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  INVALID_ORDER: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  MALFORMED_REQUEST: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  API_KEY_REQUIRED: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  API_KEY_INVALID: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  INSUFFICIENT_SCOPE: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  LIVE_TRADING_DISABLED: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  BROKER_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ACCOUNT_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  SYMBOL_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ORDER_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  API_KEY_NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ROUTE_NOT_FOUND: { http: 404, grpc: GrpcStatus.UNIMPLEMENTED },
  METHOD_NOT_ALLOWED: { http: 405, grpc: GrpcStatus.UNIMPLEMENTED },
  IDEMPOTENCY_CONFLICT: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  IDEMPOTENCY_IN_PROGRESS: { http: 409, grpc: GrpcStatus.ABORTED },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GrpcStatus.INVALID_ARGUMENT },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  // Well-formed orders the broker refuses on business grounds (gateway.proto: FAILED_PRECONDITION).
  INSUFFICIENT_FUNDS: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  ORDER_REJECTED: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  RATE_LIMITED: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  NOT_SUPPORTED: { http: 501, grpc: GrpcStatus.UNIMPLEMENTED },
  // The broker sent an order history our state machine refuses: an upstream fault, not the caller's.
  ILLEGAL_ORDER_TRANSITION: { http: 502, grpc: GrpcStatus.INTERNAL },
  BAD_GATEWAY: { http: 502, grpc: GrpcStatus.INTERNAL },
  // The broker refused the gateway's own credentials: for the caller the broker is unusable.
  AUTHENTICATION_FAILED: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  BROKER_UNAVAILABLE: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  BROKER_TIMEOUT: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  ORDER_OUTCOME_UNKNOWN: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  INTERNAL: { http: 500, grpc: GrpcStatus.INTERNAL },
});

/** Codes of Nest/Express HTTP exceptions (body parser, router) by status. */
const CODE_BY_HTTP_STATUS: Readonly<Record<number, GatewayErrorCode>> = Object.freeze({
  400: 'MALFORMED_REQUEST',
  401: 'API_KEY_REQUIRED',
  403: 'INSUFFICIENT_SCOPE',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
});

/**
 * Fixed messages for HTTP exceptions raised by the framework: their own messages can quote the request
 * (a JSON parser error shows the bytes around the fault, which may be a secret).
 */
const MESSAGE_BY_CODE: Partial<Record<GatewayErrorCode, string>> = {
  MALFORMED_REQUEST: 'the request could not be read (malformed JSON body or URL)',
  ROUTE_NOT_FOUND: 'no such route',
  METHOD_NOT_ALLOWED: 'method not allowed on this route',
  PAYLOAD_TOO_LARGE: 'the request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported content type, charset or encoding of the request body',
  INTERNAL: 'internal error',
};

const OUTCOME_UNKNOWN_HINT =
  ' Retry with the same Idempotency-Key: the gateway looks the order up before it sends anything again.';

/** THE mapping of every failure to an HTTP status, a gRPC status and a stable code. */
export function classifyError(error: unknown): ErrorClassification {
  if (error instanceof ReplayedFailureError) {
    return {
      httpStatus: error.statusCode,
      grpcStatus: grpcStatusForHttp(error.statusCode),
      code: error.code,
      message: error.message,
      unexpected: false,
    };
  }
  if (error instanceof GatewayError) {
    return fromCode(error.code, error.message);
  }
  if (isBrokerError(error)) {
    const classification = fromCode(error.code, error.message);
    if (error.code === GATEWAY_ERROR_CODES.ORDER_OUTCOME_UNKNOWN) {
      classification.message = `${error.message.replace(/\.?$/, '.')}${OUTCOME_UNKNOWN_HINT}`;
    }
    if (error instanceof RateLimitExceededError || error.code === GATEWAY_ERROR_CODES.RATE_LIMITED) {
      classification.retryAfterMs = (error as RateLimitExceededError).retryAfterMs ?? 0;
    }
    return classification;
  }
  const status = error instanceof HttpException ? error.getStatus() : clientHttpErrorStatus(error);
  if (status !== undefined) {
    const listed = CODE_BY_HTTP_STATUS[status];
    const code = listed ?? (status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST');
    return {
      httpStatus: status,
      grpcStatus: grpcStatusForHttp(status),
      code,
      message: (listed === undefined ? undefined : MESSAGE_BY_CODE[listed]) ?? `request refused (HTTP ${status})`,
      unexpected: status >= 500,
    };
  }
  return { ...fromCode('INTERNAL', MESSAGE_BY_CODE.INTERNAL as string), unexpected: true };
}

/**
 * The status of an `http-errors` client error that reached the filter unwrapped (body-parser's 415 for an
 * unsupported charset, 413, 400 ...): those carry `expose: true` and a 4xx `status`.
 */
function clientHttpErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { expose?: unknown; status?: unknown };
  return candidate.expose === true && Number.isInteger(candidate.status) && (candidate.status as number) >= 400 && (candidate.status as number) < 500
    ? (candidate.status as number)
    : undefined;
}

/** Retry-After header value: whole seconds, rounded up, at least 1. */
export function retryAfterSeconds(retryAfterMs: number | undefined): number {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return 1;
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

export function grpcStatusForHttp(httpStatus: number): GrpcStatus {
  for (const pair of Object.values(STATUS_BY_CODE)) {
    if (pair.http === httpStatus) return pair.grpc;
  }
  return httpStatus >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.INVALID_ARGUMENT;
}

function fromCode(code: string, message: string): ErrorClassification {
  const pair = (STATUS_BY_CODE as Record<string, StatusPair>)[code] ?? STATUS_BY_CODE.INTERNAL;
  return { httpStatus: pair.http, grpcStatus: pair.grpc, code, message, unexpected: pair.http === 500 };
}
