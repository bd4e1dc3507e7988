import { BrokerErrorCode, isBrokerErrorCode } from './broker-error-codes';

export type BrokerErrorDetails = Readonly<Record<string, unknown>>;

export interface BrokerErrorOptions {
  /** Structured, non-secret context (ids, limits, statuses). Never tokens, keys or account passwords. */
  details?: BrokerErrorDetails;
  /** The underlying failure, kept for logs; not rendered to clients. */
  cause?: unknown;
}

/**
 * Base of every domain error. `code` is stable and what callers branch on; `retryable` says whether the
 * same request may simply be sent again (true only for failures that cannot have had an effect).
 */
export abstract class BrokerError extends Error {
  abstract readonly code: BrokerErrorCode;
  abstract readonly retryable: boolean;
  readonly details?: BrokerErrorDetails;

  protected constructor(message: string, options: BrokerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.details !== undefined) {
      this.details = Object.freeze({ ...options.details });
    }
  }

  /** What may be shown to a client: code, message and details, never the cause or the stack. */
  toJSON(): {
    name: string;
    code: BrokerErrorCode;
    message: string;
    retryable: boolean;
    details?: BrokerErrorDetails;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * True for domain errors. Besides `instanceof` it accepts errors that carry the same shape (a stable code
 * and a retryable flag), so a second copy of this library in a bundle does not defeat the check.
 */
export function isBrokerError(error: unknown): error is BrokerError {
  if (error instanceof BrokerError) {
    return true;
  }
  if (!(error instanceof Error)) {
    return false;
  }
  const candidate = error as Error & { code?: unknown; retryable?: unknown };
  return isBrokerErrorCode(candidate.code) && typeof candidate.retryable === 'boolean';
}
