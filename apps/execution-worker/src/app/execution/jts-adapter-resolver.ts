import { BrokerConfig, BrokerGateway, BrokerRegistry, OrderAdapter } from '@qts/broker-domain';
import { JtsOrderAdapter } from '../adapters/jts/jts-order-adapter';

/**
 * Resolves a configured broker to the JtsOrderAdapter over its gateway in the BrokerRegistry. One
 * adapter per gateway instance, so engines are only rebuilt when the registry holds a new gateway.
 */
export function jtsAdapterResolver(
  registry: BrokerRegistry,
): (broker: BrokerConfig) => OrderAdapter | undefined {
  const adapters = new WeakMap<BrokerGateway, JtsOrderAdapter>();
  return (broker) => {
    const gateway = registry.get(broker.id);
    if (gateway === undefined) {
      return undefined;
    }
    let adapter = adapters.get(gateway);
    if (adapter === undefined) {
      adapter = new JtsOrderAdapter(gateway);
      adapters.set(gateway, adapter);
    }
    return adapter;
  };
}
