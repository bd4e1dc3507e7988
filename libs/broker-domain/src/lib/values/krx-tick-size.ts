import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';

/** Upper bound (exclusive) of each KRX price band and the tick inside it. */
const TICK_BANDS: ReadonlyArray<readonly [upperExclusive: number, tick: number]> = [
  [2_000, 1],
  [5_000, 5],
  [20_000, 10],
  [50_000, 50],
  [200_000, 100],
  [500_000, 500],
];
const TOP_TICK = 1_000;

const TICK_DECIMALS = new Map<number, Decimal>(
  [...TICK_BANDS.map(([, tick]) => tick), TOP_TICK].map((tick) => [tick, new Decimal(tick)]),
);

/** Tick for a price given as a JS number (used by the mock's hot loops; prices there are integers). */
export function krxTickSizeOf(price: number): number {
  // Unrolled on purpose: the mock calls this for every simulated minute.
  if (price < 2_000) return 1;
  if (price < 5_000) return 5;
  if (price < 20_000) return 10;
  if (price < 50_000) return 50;
  if (price < 200_000) return 100;
  if (price < 500_000) return 500;
  return TOP_TICK;
}

/**
 * KRX tick size (호가단위), the unified rule in force since 2023-01-25 for both KOSPI and KOSDAQ:
 * < 2,000: 1; < 5,000: 5; < 20,000: 10; < 50,000: 50; < 200,000: 100; < 500,000: 500; otherwise 1,000.
 */
export function krxTickSize(price: Decimal): Decimal {
  if (!Decimal.isDecimal(price) || !price.isFinite()) {
    throw new InvalidArgumentError('price must be a finite decimal', { field: 'price' });
  }
  for (const [upper, tick] of TICK_BANDS) {
    if (price.lessThan(upper)) {
      return TICK_DECIMALS.get(tick) as Decimal;
    }
  }
  return TICK_DECIMALS.get(TOP_TICK) as Decimal;
}

/** True when the price is a positive multiple of the tick of its own band. */
export function isOnKrxTick(price: Decimal): boolean {
  return price.greaterThan(0) && price.mod(krxTickSize(price)).isZero();
}

export type TickRoundingMode = 'up' | 'down' | 'nearest';

/**
 * Rounds a price onto the KRX grid. Every band boundary is a multiple of both neighbouring ticks, so
 * rounding with the tick of the price's own band always lands on a valid price. The result is never
 * below the smallest tick (1 KRW). 'nearest' rounds half up.
 */
export function roundToKrxTick(price: Decimal, mode: TickRoundingMode = 'nearest'): Decimal {
  const tick = krxTickSize(price);
  const rounding =
    mode === 'up' ? Decimal.ROUND_CEIL : mode === 'down' ? Decimal.ROUND_FLOOR : Decimal.ROUND_HALF_UP;
  const rounded = price.dividedBy(tick).toDecimalPlaces(0, rounding).times(tick);
  return rounded.lessThan(1) ? new Decimal(1) : rounded;
}

const { max, round } = Math;

/*
 * The same grid on plain integers, for the mock market's hot loops (prices there are whole won well
 * inside Number.MAX_SAFE_INTEGER, so the arithmetic is exact). Public results are converted to Decimal.
 */

/** Nearest on-tick price (half up), at least 1. */
export function nearestKrxTickOf(price: number): number {
  const tick = krxTickSizeOf(price);
  return max(1, round(price / tick) * tick);
}

/** The next valid price above an on-tick price. */
export function krxTickAboveOf(price: number): number {
  return price + krxTickSizeOf(price);
}

/** The next valid price below an on-tick price (the tick of the band just below applies at a boundary). */
export function krxTickBelowOf(price: number): number {
  return price - krxTickSizeOf(price - 1);
}
