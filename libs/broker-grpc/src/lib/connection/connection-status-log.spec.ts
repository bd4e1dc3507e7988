import { ConnectionStatus } from '@qts/broker-domain';
import { logConnectionStatusChange } from './connection-status-log';

describe('logConnectionStatusChange', () => {
  const lines: Array<[string, string]> = [];
  const logger = {
    log: (message: string) => lines.push(['log', message]),
    warn: (message: string) => lines.push(['warn', message]),
    debug: (message: string) => lines.push(['debug', message]),
  };
  const event = (previous: ConnectionStatus, current: ConnectionStatus, reason: string) => ({ brokerId: 'kis', previous, current, reason, at: new Date(0) });

  it('warns when a broker is lost or degraded, logs its return, and keeps connecting quiet', () => {
    logConnectionStatusChange(logger, event(ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED, 'health probe failed'));
    logConnectionStatusChange(logger, event(ConnectionStatus.DISCONNECTED, ConnectionStatus.DEGRADED, 'slow'));
    logConnectionStatusChange(logger, event(ConnectionStatus.DEGRADED, ConnectionStatus.CONNECTED, 'probe ok'));
    logConnectionStatusChange(logger, event(ConnectionStatus.DISCONNECTED, ConnectionStatus.CONNECTING, 'retrying'));
    expect(lines).toEqual([
      ['warn', "Broker 'kis' CONNECTED -> DISCONNECTED: health probe failed"],
      ['warn', "Broker 'kis' DISCONNECTED -> DEGRADED: slow"],
      ['log', "Broker 'kis' DEGRADED -> CONNECTED: probe ok"],
      ['debug', "Broker 'kis' DISCONNECTED -> CONNECTING: retrying"],
    ]);
  });
});
