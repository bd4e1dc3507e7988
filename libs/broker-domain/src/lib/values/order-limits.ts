/**
 * The bounds of an order that every entry point enforces alike (the gateway's REST and gRPC APIs, the execution
 * worker): one definition, so that an order one path refuses is never taken by another.
 */

/** Upper bound of one order's quantity: far above any real order, and well inside safe integers. */
export const MAX_ORDER_QUANTITY = 1_000_000_000;

/**
 * A price as the APIs write it: a positive plain decimal with at most 15 integer and 8 fraction digits (no sign,
 * exponent, hex or whitespace). Far beyond any KRX price, and small enough that no arithmetic on it loses digits.
 */
export const ORDER_PRICE_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,8})?$/;

/** Why `quantity` is not an order quantity, or undefined when it is one. */
export function orderQuantityProblem(quantity: unknown): string | undefined {
  if (typeof quantity !== 'number' || !Number.isInteger(quantity)) return 'must be an integer number of shares';
  if (quantity < 1) return 'must be at least 1';
  if (quantity > MAX_ORDER_QUANTITY) return `must be at most ${MAX_ORDER_QUANTITY}`;
  return undefined;
}

/**
 * The longest identifiers an execution intent may carry: the widths of the worker's columns (intent_id and the
 * client order id derived from it 128, strategy_id 128, broker_id and account_id 64).
 */
export const EXECUTION_INTENT_ID_LIMITS = Object.freeze({
  intentId: 128,
  strategyId: 128,
  brokerId: 64,
  accountId: 64,
});
