import { Metadata, ServiceError, status } from '@grpc/grpc-js';

/** Metadata keys of the jts.v1 error convention (header of proto/jts/v1/trading.proto). */
export const JTS_BROKER_CODE_KEY = 'jts-broker-code';
export const JTS_ERROR_CODE_KEY = 'jts-error-code';
export const RETRY_AFTER_MS_KEY = 'retry-after-ms';

/** What the trailing metadata of a failed JTS call says beyond the status code. */
export interface JtsErrorMetadata {
  /** The broker's own code, e.g. 'EGW00201'. */
  brokerCode?: string;
  /** The domain error code, e.g. 'SYMBOL_NOT_FOUND'. */
  errorCode?: string;
  /** With RESOURCE_EXHAUSTED: how long to wait, in milliseconds. */
  retryAfterMs?: number;
}

/** A failed grpc-js call: an Error carrying a numeric status code and metadata. */
export function isGrpcServiceError(error: unknown): error is ServiceError {
  if (!(error instanceof Error)) {
    return false;
  }
  const candidate = error as Partial<ServiceError>;
  return typeof candidate.code === 'number' && candidate.code in status && candidate.metadata instanceof Metadata;
}

export function readJtsErrorMetadata(metadata: Metadata): JtsErrorMetadata {
  const brokerCode = firstText(metadata, JTS_BROKER_CODE_KEY);
  const errorCode = firstText(metadata, JTS_ERROR_CODE_KEY);
  const retryAfter = firstText(metadata, RETRY_AFTER_MS_KEY);
  const retryAfterMs = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return {
    ...(brokerCode === undefined ? {} : { brokerCode }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(retryAfterMs === undefined || !Number.isSafeInteger(retryAfterMs) ? {} : { retryAfterMs }),
  };
}

/** The status code's name, e.g. 'UNAVAILABLE'. */
export function grpcStatusName(code: status): string {
  return status[code] ?? `STATUS_${code}`;
}

function firstText(metadata: Metadata, key: string): string | undefined {
  const [value] = metadata.get(key);
  if (value === undefined) {
    return undefined;
  }
  const text = (typeof value === 'string' ? value : value.toString('utf8')).trim();
  return text.length === 0 ? undefined : text;
}
