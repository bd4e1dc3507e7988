/** The database could not store the intent: nothing was sent, the strategy may submit it again (UNAVAILABLE). */
export class IntentNotPersistedError extends Error {
  override readonly name = 'IntentNotPersistedError';

  constructor(intentId: string, cause: unknown) {
    super(`intent '${intentId}' could not be stored; nothing was sent`, { cause });
  }
}
