import { ConnectionStatus } from '@qts/broker-domain';

export type { ConnectionStatusEvent, ConnectionStatusListener } from '@qts/broker-domain';

/** The current status of one connected broker, as listed by the manager. */
export interface BrokerConnectionState {
  brokerId: string;
  /** 'host:port' */
  target: string;
  status: ConnectionStatus;
  reason: string;
  /** When the status last changed. */
  since: Date;
}
