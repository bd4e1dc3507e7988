/** The KRX equity markets the platform trades. */
export enum Market {
  KOSPI = 'KOSPI',
  KOSDAQ = 'KOSDAQ',
}
