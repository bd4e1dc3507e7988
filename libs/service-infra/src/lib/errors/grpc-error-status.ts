import { Metadata, type ServerErrorResponse } from '@grpc/grpc-js';
import type { ErrorClassification } from './classify-error';

/** Trailer keys of the qts gRPC APIs (proto/qts/gateway/v1/gateway.proto, proto/qts/execution/v1/execution.proto). */
export const QTS_ERROR_CODE_KEY = 'qts-error-code';
export const RETRY_AFTER_MS_KEY = 'retry-after-ms';

/** A classified failure as the gRPC status a call ends with: the stable code and the retry hint in trailers. */
export function toGrpcErrorStatus(classification: ErrorClassification): ServerErrorResponse {
  const metadata = new Metadata();
  metadata.set(QTS_ERROR_CODE_KEY, classification.code);
  if (classification.retryAfterMs !== undefined) {
    metadata.set(RETRY_AFTER_MS_KEY, String(Math.max(0, Math.ceil(classification.retryAfterMs))));
  }
  return {
    name: 'GrpcErrorStatus',
    message: classification.message,
    code: classification.grpcStatus,
    details: classification.message,
    metadata,
  };
}
