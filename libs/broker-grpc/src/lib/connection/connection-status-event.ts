import { ConnectionStatus } from '@qts/broker-domain';

/** A broker's connection status changed. */
export interface ConnectionStatusEvent {
  brokerId: string;
  previous: ConnectionStatus;
  current: ConnectionStatus;
  /** Why (a probe result, a failed call, connect/disconnect). */
  reason: string;
  at: Date;
}

export type ConnectionStatusListener = (event: ConnectionStatusEvent) => void;

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
