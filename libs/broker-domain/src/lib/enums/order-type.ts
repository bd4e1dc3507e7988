/** MARKET orders carry no price; LIMIT orders carry a price on the KRX tick grid. */
export enum OrderType {
  MARKET = 'MARKET',
  LIMIT = 'LIMIT',
}
