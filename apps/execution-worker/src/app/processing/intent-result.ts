import type { FailSafeCode, OrderStatus } from '@qts/broker-domain';
import type { StoredIntent } from '../persistence/stored-intent';
import type { PendingReason } from './pending-reason';

/** What SubmitIntent answers about an intent (without the duplicate flag). */
export interface IntentResult {
  intentId: string;
  accepted: boolean;
  /** The engine or broker that answered ('live', 'noop', 'failsafe', a broker id); empty while unanswered. */
  broker: string;
  /** The broker's order id, once known. */
  orderId?: string;
  /** The order's current status; undefined for a dry run (no order). */
  status?: OrderStatus;
  failSafeCode?: FailSafeCode;
  message: string;
  dryRun: boolean;
  /** After this the order is not sent any more; undefined for a dry run. */
  expiresAt?: Date;
  /** Set while the outcome is not known yet (PENDING, or UNKNOWN while reconciled): why. */
  pendingReason?: PendingReason;
}

/**
 * The current result of a stored intent: its answer combined with the latest state of its order (the service adds
 * the expiry and the pending reason, IntentExecutionService.resultOf).
 */
export function intentResultOf(stored: StoredIntent): IntentResult {
  const { answer, order } = stored;
  return {
    intentId: stored.intent.intentId,
    accepted: answer?.accepted ?? false,
    broker: answer?.handledBy ?? '',
    ...(order?.brokerOrderId === undefined ? {} : { orderId: order.brokerOrderId }),
    ...(order === undefined ? {} : { status: order.status }),
    ...(answer?.failSafeCode === undefined ? {} : { failSafeCode: answer.failSafeCode }),
    message: answer?.message ?? 'received; not processed yet',
    dryRun: stored.dryRun,
  };
}
