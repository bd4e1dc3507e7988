import type { BrokerOperation } from '@qts/broker-domain';

/**
 * The jts.v1 RPCs the simulator serves, by their proto method name, with the domain operation each one
 * counts as for rate-limit rules (the names the broker presets use).
 */
export const JTS_RPC_OPERATIONS = Object.freeze({
  GetSymbols: 'getSymbols',
  GetCandles: 'getCandles',
  GetQuote: 'getQuote',
  StreamQuotes: 'streamQuotes',
  GetBalance: 'getBalance',
  GetPositions: 'getPositions',
  PlaceOrder: 'placeOrder',
  CancelOrder: 'cancelOrder',
  GetOrderStatus: 'getOrderStatus',
} as const satisfies Record<string, BrokerOperation>);

export type JtsRpcName = keyof typeof JTS_RPC_OPERATIONS;

export const JTS_RPC_NAMES: readonly JtsRpcName[] = Object.freeze(Object.keys(JTS_RPC_OPERATIONS) as JtsRpcName[]);

/** The jts.v1 services each broker port serves (also their health service names). */
export const JTS_SERVICE_NAMES: readonly string[] = Object.freeze(['jts.v1.MarketDataService', 'jts.v1.TradingService']);

const BY_LOWER_CASE = new Map(JTS_RPC_NAMES.map((name) => [name.toLowerCase(), name]));

/** 'PlaceOrder', 'placeOrder' and 'placeorder' all name PlaceOrder; undefined for anything else. */
export function resolveJtsRpcName(name: string): JtsRpcName | undefined {
  return BY_LOWER_CASE.get(name.trim().toLowerCase());
}
