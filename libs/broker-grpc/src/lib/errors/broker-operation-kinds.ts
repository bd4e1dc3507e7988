import { BrokerOperation } from '@qts/broker-domain';

/**
 * Operations with a side effect at the broker. They are never retried, and a failure after the request
 * may have reached the broker is an unknown outcome, not a plain error.
 */
const ORDER_MUTATIONS: ReadonlySet<BrokerOperation> = new Set<BrokerOperation>(['placeOrder', 'cancelOrder']);

export function isOrderMutation(operation: BrokerOperation): boolean {
  return ORDER_MUTATIONS.has(operation);
}
