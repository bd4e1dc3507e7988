/** Injection tokens of BrokerTransportModule. Symbols, so no other module can collide with them by name. */

/** The module's options (BrokerTransportModuleOptions). */
export const BROKER_TRANSPORT_OPTIONS: unique symbol = Symbol('BROKER_TRANSPORT_OPTIONS');

/** BrokerRateLimiters: the limiter of every broker that is not a mock (a ReadonlyMap by id) and their backend's health. */
export const BROKER_LIMITERS: unique symbol = Symbol('BROKER_LIMITERS');

/**
 * The order adapters of the brokers reached over REST (ReadonlyMap<brokerId, OrderAdapter>): the same order path
 * as their gateways. Brokers not listed take their orders through their gateway (JTS, mock).
 */
export const BROKER_ORDER_ADAPTERS: unique symbol = Symbol('BROKER_ORDER_ADAPTERS');
