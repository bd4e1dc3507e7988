/** A real-money account or a broker-side paper (모의투자) account. */
export enum AccountType {
  REAL = 'REAL',
  PAPER = 'PAPER',
}
