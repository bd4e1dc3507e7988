/** The broker families the platform integrates. Values equal their names (they travel on the wire). */
export enum BrokerType {
  KIS = 'KIS',
  CREON = 'CREON',
  KIWOOM = 'KIWOOM',
}
