import type { BrokerBar } from './candle-bars';
import { requiredCount, requiredPrice } from './required-answer-fields';

/** The broker's field names of a chart row's prices and volume. */
export interface BarFields {
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/**
 * The bar of one chart row starting at `startMs`; every price and the volume are required. `readVolume` reads
 * the volume as the broker writes counts.
 */
export function readBarRow(
  row: Record<string, unknown>,
  startMs: number,
  fields: BarFields,
  readVolume: (record: Record<string, unknown>, field: string) => number = requiredCount,
): BrokerBar {
  return {
    startMs,
    open: requiredPrice(row, fields.open),
    high: requiredPrice(row, fields.high),
    low: requiredPrice(row, fields.low),
    close: requiredPrice(row, fields.close),
    volume: readVolume(row, fields.volume),
  };
}
