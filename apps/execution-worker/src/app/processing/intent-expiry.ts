import { InvalidArgumentError, OrderType } from '@qts/broker-domain';
import { MAX_INTENT_EXPIRY_MS, type WorkerSettings } from '@qts/platform-config';
import type { StoredIntent } from '../persistence/stored-intent';

/** The expiry a strategy asked for: an absolute time or a maximum delay (at most one); neither: the default. */
export interface IntentExpiryRequest {
  expiresAt?: Date;
  maxDelayMs?: number;
}

type ExpiryDefaults = Pick<WorkerSettings, 'intentMaxDelayMarketMs' | 'intentMaxDelayLimitMs'>;

/** How long an intent of this order type may wait to be sent when it names no expiry. */
export function defaultMaxDelayMs(orderType: OrderType, settings: ExpiryDefaults): number {
  return orderType === OrderType.MARKET ? settings.intentMaxDelayMarketMs : settings.intentMaxDelayLimitMs;
}

/**
 * The instant after which an intent arriving at `receivedAt` must not be sent. An expiry already past is allowed (the
 * intent is stored and refused as expired at once); one more than MAX_INTENT_EXPIRY_MS ahead, a negative delay or
 * both forms at once are refused (InvalidArgumentError naming the field).
 */
export function resolveIntentExpiry(
  request: IntentExpiryRequest,
  orderType: OrderType,
  receivedAt: Date,
  settings: ExpiryDefaults,
): Date {
  const { expiresAt, maxDelayMs } = request;
  if (expiresAt !== undefined && maxDelayMs !== undefined) {
    throw new InvalidArgumentError('set expires_at or max_delay_ms, not both', { field: 'expiresAt' });
  }
  if (maxDelayMs !== undefined && (!Number.isSafeInteger(maxDelayMs) || maxDelayMs < 1 || maxDelayMs > MAX_INTENT_EXPIRY_MS)) {
    throw new InvalidArgumentError(`max_delay_ms must be an integer between 1 and ${MAX_INTENT_EXPIRY_MS}, got ${maxDelayMs}`, {
      field: 'maxDelayMs',
    });
  }
  if (expiresAt !== undefined) {
    if (Number.isNaN(expiresAt.getTime())) {
      throw new InvalidArgumentError('expires_at is not a valid time', { field: 'expiresAt' });
    }
    if (expiresAt.getTime() - receivedAt.getTime() > MAX_INTENT_EXPIRY_MS) {
      throw new InvalidArgumentError(`expires_at must be at most ${MAX_INTENT_EXPIRY_MS / 3_600_000} h ahead`, {
        field: 'expiresAt',
      });
    }
    return expiresAt;
  }
  return new Date(receivedAt.getTime() + (maxDelayMs ?? defaultMaxDelayMs(orderType, settings)));
}

/**
 * The expiry of a stored intent: its own, or for a row stored before expiry existed the default of its order type
 * counted from its arrival. Undefined for a dry run (nothing is ever sent for it).
 */
export function expiryOf(stored: StoredIntent, settings: ExpiryDefaults): Date | undefined {
  if (stored.dryRun) return undefined;
  return stored.expiresAt ?? new Date(stored.createdAt.getTime() + defaultMaxDelayMs(stored.intent.orderType, settings));
}
