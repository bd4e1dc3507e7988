import { ConnectionStatus } from '@qts/broker-domain';
import type { ConnectionStatusEvent } from './connection-status-event';

/** Where status changes are written (Nest's Logger in the module; a fake in tests). */
export interface StatusChangeLogger {
  log(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/**
 * Logs a broker's connection once per status change, not once per failed call: an outage is one warning when the
 * broker is lost and one line when it is back, however many requests were refused meanwhile.
 */
export function logConnectionStatusChange(logger: StatusChangeLogger, event: ConnectionStatusEvent): void {
  const line = `Broker '${event.brokerId}' ${event.previous} -> ${event.current}: ${event.reason}`;
  if (event.current === ConnectionStatus.DISCONNECTED || event.current === ConnectionStatus.DEGRADED) logger.warn(line);
  else if (event.current === ConnectionStatus.CONNECTED) logger.log(line);
  else logger.debug(line);
}
