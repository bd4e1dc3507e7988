import { PLATFORM_ERROR_CODES, PlatformError } from '@qts/service-infra';

/** The database could not store the intent: nothing was sent, the strategy may submit it again (UNAVAILABLE). */
export class IntentNotPersistedError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.INTENT_NOT_PERSISTED;

  constructor(intentId: string, cause: unknown) {
    super(`intent '${intentId}' could not be stored; nothing was sent`, { cause });
  }
}
