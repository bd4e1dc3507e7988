import { quoteCallerValue } from '@qts/broker-domain';
import { PLATFORM_ERROR_CODES } from './platform-error-codes';

/**
 * Failures a service decides itself (authentication, request validation, idempotency ...), as opposed to the
 * domain's BrokerError family. Messages are shown to clients: they never contain secrets or request values.
 * `httpStatus` overrides the table's status for answers replayed with their original status.
 */
export abstract class PlatformError extends Error {
  abstract readonly code: string;
  readonly httpStatus?: number;

  protected constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No X-API-Key header (or x-api-key metadata). */
export class ApiKeyRequiredError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.API_KEY_REQUIRED;

  constructor() {
    super('an API key is required in the X-API-Key header (x-api-key metadata over gRPC)');
  }
}

/** The key is unknown or revoked: one answer for both, so a caller cannot probe which keys once existed. */
export class ApiKeyInvalidError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.API_KEY_INVALID;

  constructor(message = 'the API key is not valid') {
    super(message);
  }
}

export class InsufficientScopeError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.INSUFFICIENT_SCOPE;

  constructor(readonly requiredScope: string) {
    super(`this operation needs an API key with scope '${requiredScope}'`);
  }
}

/** The API key is not bound to the strategy a request acts for (keys of the execution worker). */
export class StrategyNotPermittedError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.STRATEGY_NOT_PERMITTED;

  constructor(strategyId: string) {
    super(`this API key may not act for strategy_id ${quoteCallerValue(strategyId)}`);
  }
}

/** No stored API key has this id. */
export class ApiKeyNotFoundError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.API_KEY_NOT_FOUND;

  constructor(id: string) {
    super(`API key ${quoteCallerValue(id)} does not exist`);
  }
}

/** Request input that fails validation. `fields` names every offending field (for logs and tests). */
export class RequestValidationError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.INVALID_ARGUMENT;

  constructor(
    readonly problems: readonly string[],
    readonly fields: readonly string[] = [],
  ) {
    super(problems.length > 0 ? problems.join('; ') : 'the request is not valid');
  }
}

/** The service is shutting down: nothing was done, the caller may retry (on another replica). */
export class ServiceStoppingError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.SERVICE_STOPPING;

  constructor(message = 'the service is shutting down; retry on another instance') {
    super(message);
  }
}
