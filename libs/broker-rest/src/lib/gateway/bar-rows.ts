import { scalarText } from '../http/json-fields';
import { BrokerBar, sessionOpenOfDate, weekOpenOfDate } from './candle-bars';
import { MalformedAnswerError } from './malformed-answer-error';
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

/**
 * The YYYYMMDD date of a daily or weekly chart row and the start of its bar (the session open, or the week's
 * first session); undefined for a blank row (KIS pads short answers with them). A date that is not one
 * makes the answer unreadable.
 */
export function periodBarStart(
  row: Record<string, unknown>,
  dateField: string,
  weekly: boolean,
): { date: string; startMs: number } | undefined {
  const date = (scalarText(row[dateField]) ?? '').trim();
  if (date === '') {
    return undefined;
  }
  const startMs = weekly ? weekOpenOfDate(date) : sessionOpenOfDate(date);
  if (startMs === undefined) {
    throw new MalformedAnswerError(`${dateField} '${date}' is not a date`);
  }
  return { date, startMs };
}
