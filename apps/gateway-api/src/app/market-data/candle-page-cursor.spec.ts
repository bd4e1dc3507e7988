import { RequestValidationError } from '@qts/service-infra';
import { decodeCandleCursor, encodeCandleCursor } from './candle-page-cursor';

const range = { timeframe: '1m' as const, start: new Date('2026-11-02T00:00:00Z'), end: new Date('2026-11-06T06:29:00Z') };

describe('candle page cursor', () => {
  it('round-trips the start of the next page, opaque to the caller', () => {
    const next = new Date('2026-11-03T02:15:00.001Z');
    const cursor = encodeCandleCursor(next);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('2026');
    expect(decodeCandleCursor(cursor, range)).toEqual(next);
  });

  it.each([
    ['not base64url', '!!!'],
    ['not a cursor', Buffer.from('hello').toString('base64url')],
    ['at the start of the range (no page starts there)', encodeCandleCursor(range.start)],
    ['after the range', encodeCandleCursor(new Date('2026-11-07T00:00:00Z'))],
    ['huge', 'A'.repeat(200)],
  ])('refuses a cursor %s, naming the field', (_why, cursor) => {
    let error: unknown;
    try {
      decodeCandleCursor(cursor, range);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).fields).toEqual(['cursor']);
  });
});
