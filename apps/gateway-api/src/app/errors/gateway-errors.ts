import { PLATFORM_ERROR_CODES, PlatformError } from '@qts/service-infra';

/** An order on a REAL account while LIVE_TRADING_ENABLED is not true. */
export class LiveTradingDisabledError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.LIVE_TRADING_DISABLED;

  constructor(accountId: string) {
    super(`account ${accountId} is a REAL account and live trading is disabled (LIVE_TRADING_ENABLED=false)`);
  }
}

/** The idempotency key was used before with a different request. */
export class IdempotencyConflictError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.IDEMPOTENCY_CONFLICT;

  constructor() {
    super('this Idempotency-Key was already used with a different request');
  }
}

/** Another request with the same key is still being processed (by another gateway replica). */
export class IdempotencyInProgressError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.IDEMPOTENCY_IN_PROGRESS;

  constructor() {
    super('a request with this Idempotency-Key is still in progress; retry shortly');
  }
}

/**
 * A stored idempotent result that was a failure: replayed with the HTTP status, code and message the first request
 * got.
 */
export class ReplayedFailureError extends PlatformError {
  override readonly httpStatus: number;

  constructor(
    statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.httpStatus = statusCode;
  }
}
