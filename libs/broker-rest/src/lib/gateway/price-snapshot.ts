import { Decimal } from '@qts/broker-domain';
import { countField, priceField } from '../http/json-fields';
import { requiredSignedDecimal } from './required-answer-fields';

/** The price part of a Quote as a broker's current-price inquiry answers it. */
export interface PriceSnapshot {
  price: Decimal;
  change: Decimal;
  changeRate: Decimal;
  open?: Decimal;
  high?: Decimal;
  low?: Decimal;
  previousClose?: Decimal;
  volume: number;
}

/** The best bid and ask of an order book inquiry, zero where the book side is empty. */
export interface BestPrices {
  bid: Decimal;
  ask: Decimal;
  bidSize: number;
  askSize: number;
}

/** The broker's field name of each part of a PriceSnapshot. */
export type PriceSnapshotFields = { readonly [K in keyof PriceSnapshot]-?: string };

/**
 * The snapshot in `record`; undefined when the broker answered without a price (brokers answer so for a code
 * they do not list). Open, high, low and the previous close are absent where the broker writes zero (before
 * the first trade of the day). `readVolume` reads the volume field, as the broker writes counts.
 */
export function readPriceSnapshot(
  record: Record<string, unknown>,
  fields: PriceSnapshotFields,
  readVolume: (record: Record<string, unknown>, field: string) => number,
  changeWhat?: string,
): PriceSnapshot | undefined {
  const last = priceField(record[fields.price]);
  if (last === undefined || last.isZero()) {
    return undefined;
  }
  const optional = (field: string) => {
    const value = priceField(record[field]);
    return value === undefined || value.isZero() ? undefined : value;
  };
  return {
    price: last,
    change: requiredSignedDecimal(record, fields.change, changeWhat),
    changeRate: requiredSignedDecimal(record, fields.changeRate, changeWhat),
    open: optional(fields.open),
    high: optional(fields.high),
    low: optional(fields.low),
    previousClose: optional(fields.previousClose),
    volume: readVolume(record, fields.volume),
  };
}

/** The broker's field name of each part of BestPrices. */
export type BestPricesFields = { readonly [K in keyof BestPrices]: string };

/** The best prices in `record`; a missing or unreadable one is zero. `readSize` reads a size as the broker writes counts. */
export function readBestPrices(
  record: Record<string, unknown>,
  fields: BestPricesFields,
  readSize: (value: unknown) => number | undefined = countField,
): BestPrices {
  return {
    bid: priceField(record[fields.bid]) ?? new Decimal(0),
    ask: priceField(record[fields.ask]) ?? new Decimal(0),
    bidSize: readSize(record[fields.bidSize]) ?? 0,
    askSize: readSize(record[fields.askSize]) ?? 0,
  };
}
