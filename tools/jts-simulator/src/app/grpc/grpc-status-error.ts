import { Metadata, status } from '@grpc/grpc-js';
import type { ServerErrorResponse } from '@grpc/grpc-js';

/** Trailing metadata keys of the jts.v1 error convention (proto/jts/v1/trading.proto). */
export const JTS_METADATA = Object.freeze({
  /** The domain error code, e.g. SYMBOL_NOT_FOUND: tells NOT_FOUND kinds apart. */
  errorCode: 'jts-error-code',
  /** The broker's own code, e.g. EGW00201 (KIS rate limit). */
  brokerCode: 'jts-broker-code',
  /** With RESOURCE_EXHAUSTED: milliseconds to wait, a decimal integer string. */
  retryAfterMs: 'retry-after-ms',
});

export type GrpcStatusTrailers = Partial<Record<'errorCode' | 'brokerCode' | 'retryAfterMs', string>>;

/**
 * A gRPC status as grpc-js servers send it: passed to a unary callback or emitted on a stream, it becomes
 * the call's status code, message and trailing metadata.
 */
export class GrpcStatusError extends Error implements ServerErrorResponse {
  readonly details: string;
  readonly metadata: Metadata;

  constructor(
    readonly code: status,
    message: string,
    trailers: GrpcStatusTrailers = {},
  ) {
    super(message);
    this.name = 'GrpcStatusError';
    this.details = message;
    this.metadata = new Metadata();
    for (const [key, value] of Object.entries(trailers)) {
      if (value !== undefined && value !== '') {
        this.metadata.set(JTS_METADATA[key as keyof GrpcStatusTrailers], value);
      }
    }
  }

  trailer(key: keyof GrpcStatusTrailers): string | undefined {
    const [value] = this.metadata.get(JTS_METADATA[key]);
    return value === undefined ? undefined : String(value);
  }
}
