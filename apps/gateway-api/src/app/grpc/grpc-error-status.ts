import { Metadata, type ServerErrorResponse } from '@grpc/grpc-js';
import { classifyError, type ErrorClassification } from '../errors/error-classification';

/** Trailer keys of proto/qts/gateway/v1/gateway.proto. */
export const QTS_ERROR_CODE_KEY = 'qts-error-code';
export const RETRY_AFTER_MS_KEY = 'retry-after-ms';

/** A failure as a gRPC status: the same classification as the REST filter, the stable code in a trailer. */
export function toGrpcError(error: unknown): ServerErrorResponse & { classification: ErrorClassification } {
  const classification = classifyError(error);
  const metadata = new Metadata();
  metadata.set(QTS_ERROR_CODE_KEY, classification.code);
  if (classification.retryAfterMs !== undefined) {
    metadata.set(RETRY_AFTER_MS_KEY, String(Math.max(0, Math.ceil(classification.retryAfterMs))));
  }
  return {
    name: 'GatewayGrpcError',
    message: classification.message,
    code: classification.grpcStatus,
    details: classification.message,
    metadata,
    classification,
  };
}
