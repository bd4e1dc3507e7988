import type { ExecutionIntent } from '@qts/broker-domain';
import { PLATFORM_ERROR_CODES, PlatformError } from '@qts/service-infra';

/**
 * An intent id that is already known arrived with a different payload. Answering it with the stored result would
 * tell the strategy that an order it did not describe is its order: it is refused instead (ALREADY_EXISTS).
 */
export class IntentConflictError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.INTENT_CONFLICT;

  constructor(
    readonly intentId: string,
    readonly field: string,
  ) {
    super(`intent_id '${intentId}' is already used by an intent with a different ${field}`);
  }
}

type Submission = { intent: ExecutionIntent; dryRun: boolean };

/** Throws IntentConflictError naming the first field (proto name) in which two submissions of one id differ. */
export function assertSameSubmission(stored: Submission, incoming: Submission): void {
  const a = stored.intent;
  const b = incoming.intent;
  const differences: [string, boolean][] = [
    ['strategy_id', a.strategyId !== b.strategyId],
    ['broker_id', a.brokerId !== b.brokerId],
    ['account_id', a.accountId !== b.accountId],
    ['symbol', a.symbol !== b.symbol],
    ['side', a.side !== b.side],
    ['quantity', a.quantity !== b.quantity],
    ['order_type', a.orderType !== b.orderType],
    [
      'limit_price',
      a.limitPrice === undefined || b.limitPrice === undefined
        ? a.limitPrice !== b.limitPrice
        : !a.limitPrice.equals(b.limitPrice),
    ],
    ['dry_run', stored.dryRun !== incoming.dryRun],
  ];
  const differing = differences.find(([, differs]) => differs);
  if (differing !== undefined) throw new IntentConflictError(a.intentId, differing[0]);
}
