/**
 * The broker answered and refused, with a code BROKER_FAIL_SAFE_TABLE does not know (FS049). Deliberately
 * not a domain BrokerError: failSafeCodeForError maps anything that is not one to FS049, and the bridge
 * treats this class as a definite refusal (nothing was placed), unlike an unexpected exception.
 */
export class UnclassifiedBrokerError extends Error {
  readonly brokerCode?: string;

  constructor(message: string, options: { brokerCode?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UnclassifiedBrokerError';
    this.brokerCode = options.brokerCode;
  }
}

export function isUnclassifiedBrokerError(error: unknown): error is UnclassifiedBrokerError {
  return error instanceof UnclassifiedBrokerError;
}
