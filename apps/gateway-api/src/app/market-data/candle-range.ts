import { isTimeframe, timeframeDurationMs, type Timeframe } from '@qts/broker-domain';
import { RequestValidationError } from '@qts/service-infra';

/** A request may span at most this many nominal bars (1m: about 34 days; 1d: a century). */
export const MAX_CANDLE_BARS = 50_000;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export interface CandleRange {
  timeframe: Timeframe;
  start: Date;
  end: Date;
}

/**
 * Parses and bounds a candle query (REST query string and gRPC request alike). Date-only values mean UTC
 * midnight; times need an explicit offset so a request never depends on the server's time zone.
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
  const bars = Math.floor((endDate.getTime() - startDate.getTime()) / timeframeDurationMs(timeframe)) + 1;
  if (bars > MAX_CANDLE_BARS) {
    throw new RequestValidationError(
      [`end: the range spans ${bars} ${timeframe} bars, more than the ${MAX_CANDLE_BARS} allowed; request a shorter range`],
      ['end'],
    );
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
