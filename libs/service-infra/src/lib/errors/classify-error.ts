import type { status as GrpcStatus } from '@grpc/grpc-js';
import { HttpException } from '@nestjs/common';
import { isBrokerError, RateLimitExceededError } from '@qts/broker-domain';
import { errorStatusOf, grpcStatusForHttp } from './error-status-table';
import { PLATFORM_ERROR_CODES, type PlatformErrorCode } from './platform-error-codes';
import { PlatformError } from './platform-errors';

/** How one failure is presented, identically over HTTP and gRPC. */
export interface ErrorClassification {
  httpStatus: number;
  grpcStatus: GrpcStatus;
  /** Stable machine-readable code (PLATFORM_ERROR_CODES). */
  code: string;
  /** Safe for clients: never a stack, a secret or an echo of request bytes. */
  message: string;
  /** With RATE_LIMITED: how long to wait, in milliseconds. */
  retryAfterMs?: number;
  /** True for failures the service did not anticipate (logged with their stack). */
  unexpected: boolean;
}

/** Codes of framework HTTP exceptions (body parser, router) by status. */
const CODE_BY_HTTP_STATUS: Readonly<Record<number, PlatformErrorCode>> = Object.freeze({
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
const MESSAGE_BY_CODE: Partial<Record<PlatformErrorCode, string>> = {
  MALFORMED_REQUEST: 'the request could not be read (malformed JSON body or URL)',
  ROUTE_NOT_FOUND: 'no such route',
  METHOD_NOT_ALLOWED: 'method not allowed on this route',
  PAYLOAD_TOO_LARGE: 'the request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported content type, charset or encoding of the request body',
  INTERNAL: 'internal error',
};

/**
 * The longest message an error answer carries. Messages are written to name fields, not to quote input; the bound
 * keeps any that does anyway (a domain error quoting a broker's text) well inside a gRPC client's header limits.
 */
export const MAX_ERROR_MESSAGE_CHARS = 1_000;

/** The one classification of every failure: HTTP status, gRPC status and stable code, from ERROR_STATUS_TABLE. */
export function classifyError(error: unknown): ErrorClassification {
  const classification = classify(error);
  if (classification.message.length > MAX_ERROR_MESSAGE_CHARS) {
    classification.message = `${classification.message.slice(0, MAX_ERROR_MESSAGE_CHARS)}… (message cut)`;
  }
  return classification;
}

function classify(error: unknown): ErrorClassification {
  if (error instanceof PlatformError) {
    const classification = fromCode(error.code, error.message);
    if (error.httpStatus !== undefined) {
      classification.httpStatus = error.httpStatus;
      classification.grpcStatus = grpcStatusForHttp(error.httpStatus);
      classification.unexpected = false;
    }
    return classification;
  }
  if (isBrokerError(error)) {
    const classification = fromCode(error.code, error.message);
    if (error instanceof RateLimitExceededError || error.code === PLATFORM_ERROR_CODES.RATE_LIMITED) {
      classification.retryAfterMs = (error as Partial<RateLimitExceededError>).retryAfterMs ?? 0;
    }
    return classification;
  }
  const status = error instanceof HttpException ? error.getStatus() : clientHttpErrorStatus(error);
  if (status !== undefined) {
    const listed = CODE_BY_HTTP_STATUS[status];
    return {
      httpStatus: status,
      grpcStatus: grpcStatusForHttp(status),
      code: listed ?? (status >= 500 ? PLATFORM_ERROR_CODES.INTERNAL : PLATFORM_ERROR_CODES.MALFORMED_REQUEST),
      message: (listed === undefined ? undefined : MESSAGE_BY_CODE[listed]) ?? `request refused (HTTP ${status})`,
      unexpected: status >= 500,
    };
  }
  return { ...fromCode(PLATFORM_ERROR_CODES.INTERNAL, MESSAGE_BY_CODE.INTERNAL as string), unexpected: true };
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

function fromCode(code: string, message: string): ErrorClassification {
  const row = errorStatusOf(code);
  return { httpStatus: row.http, grpcStatus: row.grpc, code, message, unexpected: row.http === 500 };
}
