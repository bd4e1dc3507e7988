import { ConnectionStatus } from '../enums/connection-status';

/** A broker's connection status changed (JTS: its health checks and channel; REST: its requests' outcomes). */
export interface ConnectionStatusEvent {
  brokerId: string;
  previous: ConnectionStatus;
  current: ConnectionStatus;
  /** Why (a probe result, a failed call, connect/disconnect). */
  reason: string;
  at: Date;
}

export type ConnectionStatusListener = (event: ConnectionStatusEvent) => void;
