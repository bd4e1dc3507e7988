/** Candle bar lengths the platform serves. */
export type Timeframe = '1m' | '5m' | '15m' | '30m' | '60m' | '1d' | '1w';

export const TIMEFRAMES: readonly Timeframe[] = Object.freeze(['1m', '5m', '15m', '30m', '60m', '1d', '1w']);

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const DURATION_MS: Readonly<Record<Timeframe, number>> = Object.freeze({
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '60m': 60 * MINUTE_MS,
  '1d': DAY_MS,
  '1w': 7 * DAY_MS,
});

export function isTimeframe(value: string): value is Timeframe {
  return Object.prototype.hasOwnProperty.call(DURATION_MS, value);
}

/**
 * Nominal length of one bar. For '1d' and '1w' this is one calendar day / week, not the length of a
 * trading session: use it for sizing and ordering, not to compute session boundaries.
 */
export function timeframeDurationMs(timeframe: Timeframe): number {
  return DURATION_MS[timeframe];
}

/** True for bars shorter than a day, which exist only inside the trading session. */
export function isIntradayTimeframe(timeframe: Timeframe): boolean {
  return DURATION_MS[timeframe] < DAY_MS;
}
