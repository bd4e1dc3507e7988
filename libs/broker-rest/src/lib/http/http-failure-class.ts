/**
 * What an HTTP status says about an order request when the body is not a readable broker answer.
 * - 'refused': the front end turned the request away before the trading system saw it (401, 403, 429,
 *   503 and other 4xx): nothing was placed;
 * - 'maybe-processed': 2xx with an unreadable body, 500, 502, 504 ...: the trading system may have taken
 *   the order, so its outcome is unknown and it must be reconciled, never re-sent.
 */
export type HttpFailureClass = 'refused' | 'maybe-processed';

export function httpFailureClass(status: number): HttpFailureClass {
  if (status === 503) {
    return 'refused';
  }
  if (status >= 400 && status <= 499) {
    return 'refused';
  }
  return 'maybe-processed';
}
