import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from './gateway-error-codes';

/**
 * Failures the gateway itself decides (authentication, idempotency, request validation), as opposed to the
 * domain's BrokerError family. Messages are shown to clients: they never contain secrets or request values.
 */
export abstract class GatewayError extends Error {
  abstract readonly code: GatewayErrorCode;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No X-API-Key header (or x-api-key metadata). */
export class ApiKeyRequiredError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.API_KEY_REQUIRED;

  constructor() {
    super('an API key is required in the X-API-Key header');
  }
}

/** The key is unknown or revoked: one answer for both, so a caller cannot probe which keys once existed. */
export class ApiKeyInvalidError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.API_KEY_INVALID;

  constructor() {
    super('the API key is not valid');
  }
}

export class InsufficientScopeError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.INSUFFICIENT_SCOPE;

  constructor(readonly requiredScope: string) {
    super(`this operation needs an API key with scope '${requiredScope}'`);
  }
}

/** An order on a REAL account while LIVE_TRADING_ENABLED is not true. */
export class LiveTradingDisabledError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.LIVE_TRADING_DISABLED;

  constructor(accountId: string) {
    super(`account ${accountId} is a REAL account and live trading is disabled (LIVE_TRADING_ENABLED=false)`);
  }
}

/** The idempotency key was used before with a different request. */
export class IdempotencyConflictError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.IDEMPOTENCY_CONFLICT;

  constructor() {
    super('this Idempotency-Key was already used with a different request');
  }
}

/** Another request with the same key is still being processed (by another gateway replica). */
export class IdempotencyInProgressError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.IDEMPOTENCY_IN_PROGRESS;

  constructor() {
    super('a request with this Idempotency-Key is still in progress; retry shortly');
  }
}

export class ApiKeyNotFoundError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.API_KEY_NOT_FOUND;

  constructor(id: string) {
    super(`API key ${id} does not exist`);
  }
}

/** Request input that fails validation. `fields` names every offending field (for logs and tests). */
export class RequestValidationError extends GatewayError {
  readonly code = GATEWAY_ERROR_CODES.INVALID_ARGUMENT;

  constructor(
    readonly problems: readonly string[],
    readonly fields: readonly string[] = [],
  ) {
    super(problems.length > 0 ? problems.join('; ') : 'the request is not valid');
  }
}

/**
 * A stored idempotent result that was a failure: replayed with its original status and body.
 * `statusCode` is the HTTP status the first request got.
 */
export class ReplayedFailureError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReplayedFailureError';
  }
}
