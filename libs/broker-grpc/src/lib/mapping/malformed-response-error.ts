/**
 * The JTS server answered, but a field of its answer breaks the wire contract (proto/jts/v1/common.proto):
 * a decimal that is not a decimal string, a timestamp that is not RFC 3339, an UNSPECIFIED enum.
 * Not a domain error on purpose: `mapGrpcError` decides what it means for the caller (for an order the
 * request was processed, so its outcome is unknown).
 */
export class MalformedResponseError extends Error {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`JTS response field ${field} ${problem}`);
    this.name = 'MalformedResponseError';
    this.field = field;
  }
}
