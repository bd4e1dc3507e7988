import { PLATFORM_ERROR_CODES, PlatformError } from '@qts/service-infra';

/**
 * The account cannot be added or deactivated as asked: it is configured in the brokers YAML (changed only there), or
 * it was added before with another name or type (deactivate it first). 409 ACCOUNT_CONFLICT.
 */
export class AccountConflictError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.ACCOUNT_CONFLICT;

  constructor(message: string) {
    super(message);
  }
}
