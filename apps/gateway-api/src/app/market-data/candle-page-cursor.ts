import { RequestValidationError } from '@qts/service-infra';
import type { CandleRange } from './candle-range';

const PREFIX = 'c1.';

/**
 * The `cursor` of a candle page: where the next page of the same query starts. Opaque to callers (base64url), so
 * that its form can change; it only means something together with the query it came from.
 */
export function encodeCandleCursor(nextStart: Date): string {
  return Buffer.from(`${PREFIX}${nextStart.getTime()}`, 'utf8').toString('base64url');
}

/** The start of the page a cursor names; a 400 naming `cursor` when it is not one this query could have given. */
export function decodeCandleCursor(cursor: string, range: CandleRange): Date {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const ms = text.startsWith(PREFIX) && /^\d{1,16}$/.test(text.slice(PREFIX.length)) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!(ms > range.start.getTime() && ms <= range.end.getTime())) {
    throw new RequestValidationError(['cursor is not one this query returned; repeat the query without it'], ['cursor']);
  }
  return new Date(ms);
}
