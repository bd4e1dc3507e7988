/**
 * The calls a broker gateway makes; rate-limit rules and metrics are keyed by these names.
 */
export type BrokerOperation =
  | 'getSymbols'
  | 'getCandles'
  | 'getQuote'
  | 'streamQuotes'
  | 'getBalance'
  | 'getPositions'
  | 'placeOrder'
  | 'cancelOrder'
  | 'getOrderStatus';

export const BROKER_OPERATIONS: readonly BrokerOperation[] = Object.freeze([
  'getSymbols',
  'getCandles',
  'getQuote',
  'streamQuotes',
  'getBalance',
  'getPositions',
  'placeOrder',
  'cancelOrder',
  'getOrderStatus',
]);

const OPERATION_SET: ReadonlySet<string> = new Set(BROKER_OPERATIONS);

export function isBrokerOperation(value: string): value is BrokerOperation {
  return OPERATION_SET.has(value);
}
