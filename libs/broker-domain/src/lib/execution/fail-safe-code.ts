/**
 * Fail-safe codes attached to refused or failed execution intents. Strategy-side dashboards and alerts
 * key on these strings: never renumber, only add.
 */
export enum FailSafeCode {
  FS040 = 'FS040',
  FS041 = 'FS041',
  FS042 = 'FS042',
  FS043 = 'FS043',
  FS044 = 'FS044',
  FS045 = 'FS045',
  FS046 = 'FS046',
  FS047 = 'FS047',
  FS048 = 'FS048',
  FS049 = 'FS049',
  FS050 = 'FS050',
}

/** What each code means (the documented table). */
export const FAIL_SAFE_CODES: Readonly<Record<FailSafeCode, string>> = Object.freeze({
  [FailSafeCode.FS040]: 'Broker rejected the order (KIS msg 1001 class)',
  [FailSafeCode.FS041]:
    'Broker business-rule rejection, e.g. insufficient funds or holdings (KIS 3005 class)',
  [FailSafeCode.FS042]: 'Broker timeout: the order outcome is unknown and must be reconciled, not re-sent',
  [FailSafeCode.FS043]: 'Rate limited: the broker request budget is exhausted',
  [FailSafeCode.FS044]: 'Broker unavailable (not reachable or not configured)',
  [FailSafeCode.FS045]: 'Broker authentication failed',
  [FailSafeCode.FS046]: 'Consecutive-failure guard tripped: orders refused until an admin reset',
  [FailSafeCode.FS047]: 'Live trading not allowed (NoopBroker)',
  [FailSafeCode.FS048]: 'Invalid order (rejected before reaching the broker)',
  [FailSafeCode.FS049]: 'Unclassified broker error',
  [FailSafeCode.FS050]: 'Expired: the intent was not sent before its expiry and never will be',
});

export function isFailSafeCode(value: unknown): value is FailSafeCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FAIL_SAFE_CODES, value);
}
