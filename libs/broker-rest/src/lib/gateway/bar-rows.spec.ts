import { Decimal } from '@qts/broker-domain';
import { periodBarStart, readBarRow } from './bar-rows';

const FIELDS = { open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' };

describe('readBarRow', () => {
  it('reads the prices without direction signs and the volume', () => {
    expect(readBarRow({ o: '+70000', h: '71000', l: '-69000', c: '70500', v: '100' }, 1_000, FIELDS)).toEqual({
      startMs: 1_000,
      open: new Decimal(70000),
      high: new Decimal(71000),
      low: new Decimal(69000),
      close: new Decimal(70500),
      volume: 100,
    });
  });

  it('names a missing price or an unreadable volume', () => {
    expect(() => readBarRow({ o: '1', h: '1', l: '1', v: '1' }, 0, FIELDS)).toThrow('c is not a price');
    expect(() => readBarRow({ o: '1', h: '1', l: '1', c: '1', v: '-5' }, 0, FIELDS)).toThrow('v is not a count');
    expect(readBarRow({ o: '1', h: '1', l: '1', c: '1', v: '-5' }, 0, FIELDS, () => 5).volume).toBe(5);
  });
});

describe('periodBarStart', () => {
  it('starts a daily bar at the 09:00 KST session open and a weekly bar at the week\'s first session', () => {
    expect(periodBarStart({ d: '20261127' }, 'd', false)).toEqual({ date: '20261127', startMs: Date.parse('2026-11-27T00:00:00Z') });
    expect(periodBarStart({ d: ' 20261127 ' }, 'd', true)).toEqual({ date: '20261127', startMs: Date.parse('2026-11-23T00:00:00Z') });
  });

  it('skips a blank row and makes a date that is not one unreadable', () => {
    expect(periodBarStart({ d: '  ' }, 'd', false)).toBeUndefined();
    expect(periodBarStart({}, 'd', false)).toBeUndefined();
    expect(() => periodBarStart({ d: '2026-11-27' }, 'd', false)).toThrow("d '2026-11-27' is not a date");
  });
});
