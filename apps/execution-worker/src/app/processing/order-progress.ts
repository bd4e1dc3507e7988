import { OrderStatus } from '@qts/broker-domain';
import type { StoredIntent, StoredOrder } from '../persistence/stored-intent';

/**
 * Stored, not answered, and never handed to a broker: safe to execute (markSubmitted still guards against a second
 * sender). A dry run has no order and sends nothing, so it is always safe to run again.
 */
export function isUnsent(stored: StoredIntent): boolean {
  if (stored.answer !== undefined) return false;
  return stored.order === undefined || (stored.order.status === OrderStatus.PENDING && stored.order.submittedAt === undefined);
}

/** UNKNOWN, or PENDING after it was handed to the broker: only the broker can tell what became of it. */
export function needsReconciliation(order: StoredOrder): boolean {
  return order.status === OrderStatus.UNKNOWN || (order.status === OrderStatus.PENDING && order.submittedAt !== undefined);
}
