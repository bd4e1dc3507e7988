import { FailSafeCode, OrderStatus } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import type { ExecutionStore } from '../src/app/persistence/execution-store';

/**
 * Stores an order as reconciliation leaves one it cannot settle: sent at `sentAt`, its outcome unknown, several broker
 * orders matching it (AMBIGUOUS_MATCH). Only an operator can settle it.
 */
export async function storeOperatorFlaggedOrder(store: ExecutionStore, intentId: string, sentAt: Date): Promise<void> {
  await store.createIntent(testIntent({ intentId }), false, new Date(sentAt.getTime() - 1_000));
  await store.markSubmitted(intentId, sentAt);
  await store.settle(
    intentId,
    {
      answer: { accepted: false, handledBy: 'live', failSafeCode: FailSafeCode.FS042, message: 'needs an operator' },
      order: { status: OrderStatus.UNKNOWN, operatorFlag: 'AMBIGUOUS_MATCH', message: 'needs an operator: 0001, 0002' },
    },
    'reconciliation',
    sentAt,
  );
}
