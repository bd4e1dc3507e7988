import { isTimeframe, type Timeframe } from '@qts/broker-domain';
import { RequestValidationError } from '@qts/service-infra';

/** Candles of a REST page: by default, and the most a caller may ask for. */
export const DEFAULT_CANDLE_PAGE_SIZE = 1_000;
export const MAX_CANDLE_PAGE_SIZE = 10_000;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export interface CandleRange {
  timeframe: Timeframe;
  start: Date;
  end: Date;
}

/**
 * Parses a candle query (REST query string and gRPC request alike). Date-only values mean UTC midnight; times need an
 * explicit offset so a request never depends on the server's time zone. A range may be as long as the caller likes:
 * the gRPC stream is paced by its reader, and REST answers it a page at a time.
 */
export function parseCandleRange(timeframe: string, start: string, end: string): CandleRange {
  if (!isTimeframe(timeframe)) {
    throw new RequestValidationError(['timeframe must be one of 1m, 5m, 15m, 30m, 60m, 1d, 1w'], ['timeframe']);
  }
  const startDate = parseInstant(start, 'start');
  const endDate = parseInstant(end, 'end');
  if (endDate.getTime() < startDate.getTime()) {
    throw new RequestValidationError(['end must not be before start'], ['end']);
  }
  return { timeframe, start: startDate, end: endDate };
}

function parseInstant(value: string, field: string): Date {
  const date = typeof value === 'string' && ISO_8601.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new RequestValidationError(
      [`${field} must be an ISO-8601 date or date-time with offset, e.g. 2024-01-02T00:00:00Z`],
      [field],
    );
  }
  return date;
}
