/** Health of the link to a broker; only CONNECTED brokers count as healthy. */
export enum ConnectionStatus {
  CONNECTING = 'CONNECTING',
  CONNECTED = 'CONNECTED',
  DEGRADED = 'DEGRADED',
  DISCONNECTED = 'DISCONNECTED',
}
