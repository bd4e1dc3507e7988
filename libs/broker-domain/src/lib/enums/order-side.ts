export enum OrderSide {
  BUY = 'BUY',
  SELL = 'SELL',
}
