import { PLATFORM_ERROR_CODES, PlatformError } from '@qts/service-infra';

/**
 * The database had not confirmed storing the intent when the caller's deadline came. It may still be stored and
 * executed; submitting the same intent_id again answers its state and never sends it twice (UNAVAILABLE).
 */
export class IntentNotConfirmedError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.INTENT_NOT_CONFIRMED;

  constructor(intentId: string) {
    super(
      `intent '${intentId}' was not confirmed stored before the deadline of the call; submit the same intent_id again ` +
        'to learn its state (it is never sent twice)',
    );
  }
}
