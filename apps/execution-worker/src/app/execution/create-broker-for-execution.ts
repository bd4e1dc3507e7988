import { BrokerEngine } from '@qts/broker-domain';
import { LiveBroker } from './live-broker';
import { NoopBroker } from './noop-broker';

/**
 * The engine of one broker account: LiveBroker(adapter) when live trading is allowed and there is
 * an adapter, otherwise a NoopBroker that says which of the two was missing. Never a MockBroker.
 */
export function createBrokerForExecution(
  liveAllowed: boolean,
  adapter?: BrokerEngine,
  maxConsecutiveFailures?: number,
): LiveBroker | NoopBroker {
  if (liveAllowed !== true) {
    return new NoopBroker(
      'live trading is not allowed for this account (REAL accounts need LIVE_TRADING_ENABLED=true)',
    );
  }
  if (adapter === undefined) {
    return new NoopBroker('no order adapter is available for this broker');
  }
  return new LiveBroker(adapter, maxConsecutiveFailures);
}
