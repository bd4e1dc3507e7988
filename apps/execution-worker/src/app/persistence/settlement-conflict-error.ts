import { PLATFORM_ERROR_CODES, PlatformError } from '@qts/service-infra';

/**
 * An operator's settlement that does not apply: the order is not waiting for an operator (any more), or the broker
 * order number given is already another order's. Nothing was changed (409).
 */
export class SettlementConflictError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.SETTLEMENT_CONFLICT;

  constructor(message: string) {
    super(message);
  }
}
