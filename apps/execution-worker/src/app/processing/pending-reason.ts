/** Why the outcome of an intent is not known yet (qts.execution.v1.PendingReason). */
export enum PendingReason {
  /** Waiting for earlier intents of the same (broker, account, symbol) to be executed. */
  QUEUED = 'QUEUED',
  /** Waiting behind an order of the same key whose outcome is unknown, while it is reconciled with the broker. */
  BLOCKED_BY_UNKNOWN_ORDER = 'BLOCKED_BY_UNKNOWN_ORDER',
  /** Waiting for a permit of the broker's rate limit. */
  RATE_LIMIT_WAIT = 'RATE_LIMIT_WAIT',
  /** Sent, or being sent: the broker's answer has not arrived yet. */
  AWAITING_BROKER = 'AWAITING_BROKER',
  /** Its own order's outcome is unknown: the worker is asking the broker. */
  RECONCILING = 'RECONCILING',
}

/** What a strategy reads in the message of a PENDING answer, and what an expiry message says the intent waited for. */
export const PENDING_REASON_TEXT: Readonly<Record<PendingReason, string>> = Object.freeze({
  [PendingReason.QUEUED]: 'queued behind earlier intents of the same symbol',
  [PendingReason.BLOCKED_BY_UNKNOWN_ORDER]:
    'waiting behind an order of the same symbol whose outcome is unknown, until it is reconciled with the broker',
  [PendingReason.RATE_LIMIT_WAIT]: "waiting for a permit of the broker's rate limit",
  [PendingReason.AWAITING_BROKER]: "sent; the broker's answer has not arrived yet",
  [PendingReason.RECONCILING]: 'the order outcome is unknown; reconciling it with the broker',
});
