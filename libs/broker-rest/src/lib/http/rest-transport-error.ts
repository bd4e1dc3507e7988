/**
 * A REST call failed below HTTP: no status line was read. `mayHaveReachedBroker` is what matters for
 * orders: false only when the connection was never established (refused, DNS, TLS), so nothing can have
 * been processed; after a timeout or a reset mid-request the broker may have taken the order.
 */
export class RestTransportError extends Error {
  readonly kind: 'timeout' | 'connection' | 'network';
  readonly mayHaveReachedBroker: boolean;

  constructor(
    kind: 'timeout' | 'connection' | 'network',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RestTransportError';
    this.kind = kind;
    this.mayHaveReachedBroker = kind !== 'connection';
  }
}

export function isRestTransportError(error: unknown): error is RestTransportError {
  return error instanceof RestTransportError;
}
