import { SlidingWindowLog } from './sliding-window-log';

describe('SlidingWindowLog', () => {
  it('frees a grant exactly one window after it was made, not before', () => {
    const log = new SlidingWindowLog(1, 1000);
    log.add(1, 100);
    expect(log.hasRoom(1, 1099)).toBe(false);
    expect(log.hasRoom(1, 1100)).toBe(true);
  });

  it('sums weights within the window', () => {
    const log = new SlidingWindowLog(10, 1000);
    log.add(3, 0);
    log.add(4, 500);
    expect(log.used(999)).toBe(7);
    expect(log.hasRoom(3, 999)).toBe(true);
    expect(log.hasRoom(4, 999)).toBe(false);
    expect(log.used(1000)).toBe(4);
    expect(log.used(1500)).toBe(0);
  });

  it('finds the earliest time a weight fits: when enough of the oldest grants have left', () => {
    const log = new SlidingWindowLog(5, 1000);
    log.add(2, 0);
    log.add(1, 200);
    log.add(2, 400);
    expect(log.earliestRoomAt(0, 300)).toBe(300);
    expect(log.earliestRoomAt(1, 500)).toBe(1000);
    expect(log.earliestRoomAt(3, 500)).toBe(1200);
    expect(log.earliestRoomAt(5, 500)).toBe(1400);
    expect(log.earliestRoomAt(6, 500)).toBe(Infinity);
  });

  it('keeps at most `limit` entries however long the traffic runs (bounded memory)', () => {
    const log = new SlidingWindowLog(3, 10);
    for (let now = 0; now < 10_000; now++) {
      if (log.hasRoom(1, now)) log.add(1, now);
      expect(log.entries).toBeLessThanOrEqual(3);
    }
    expect(log.used(10_000)).toBeLessThanOrEqual(3);
  });

  it('grows its ring on demand up to `limit` slots, keeping the oldest grants first', () => {
    const log = new SlidingWindowLog(100_000_000, 1000);
    expect(log.capacity).toBe(16);
    // Grants at 0..9, of which 6..9 are still in the window at 1005: the ring is offset by 6, so
    // the 30 grants made at 1005 wrap it before it grows, and growing has to unroll it.
    for (let i = 0; i < 10; i++) log.add(1, i);
    expect(log.used(1005)).toBe(4);
    for (let i = 0; i < 30; i++) log.add(1, 1005);
    expect(log.capacity).toBe(64);
    expect(log.entries).toBe(34);
    // Two grants must leave for this weight to fit: the oldest are those made at 6 and 7.
    expect(log.earliestRoomAt(100_000_000 - 32, 1005)).toBe(1007);
    expect(log.used(1009)).toBe(30);
    expect(log.used(2005)).toBe(0);

    const small = new SlidingWindowLog(20, 1000);
    for (let i = 0; i < 20; i++) small.add(1, i);
    expect(small.capacity).toBe(20);
  });

  it('refuses to record a grant without room or with an invalid weight', () => {
    const log = new SlidingWindowLog(2, 1000);
    log.add(2, 0);
    expect(() => log.add(1, 10)).toThrow('no room for weight 1: 2 of 2 used');
    expect(() => log.add(0, 2000)).toThrow('weight must be a positive integer (got 0)');
    expect(() => log.add(1.5, 2000)).toThrow(RangeError);
  });

  it('keeps grants ordered when time is read slightly backwards', () => {
    const log = new SlidingWindowLog(2, 1000);
    log.add(1, 500);
    log.add(1, 400);
    // The second grant is booked at 500, so nothing frees up before 1500.
    expect(log.used(1499)).toBe(2);
    expect(log.used(1500)).toBe(0);
  });

  it('clones into an independent log', () => {
    const log = new SlidingWindowLog(2, 1000);
    log.add(1, 0);
    const copy = log.clone();
    copy.add(1, 10);
    expect(copy.used(10)).toBe(2);
    expect(log.used(10)).toBe(1);
    expect(copy.earliestRoomAt(1, 10)).toBe(1000);
  });

  it('rejects a non-positive or fractional limit and a negative or infinite window', () => {
    expect(() => new SlidingWindowLog(0, 1000)).toThrow('limit must be a positive integer (got 0)');
    expect(() => new SlidingWindowLog(2.5, 1000)).toThrow(RangeError);
    expect(() => new SlidingWindowLog(1, -1)).toThrow('windowMs must be a non-negative finite number (got -1)');
    expect(() => new SlidingWindowLog(1, Infinity)).toThrow(RangeError);
  });

  it('holds a request in flight until it is released, then counts it for one window from the release', () => {
    const log = new SlidingWindowLog(2, 1000);
    log.hold(1, 0);
    log.add(1, 0);
    expect(log.used(5_000)).toBe(1);
    expect(log.held).toBe(1);
    // Only the release can free the held weight: no time does.
    expect(log.earliestRoomAt(2, 5_000)).toBe(Infinity);
    expect(log.earliestRoomAt(1, 5_000)).toBe(5_000);
    log.release(1, 7_000);
    expect(log.held).toBe(0);
    expect(log.used(7_999)).toBe(1);
    expect(log.earliestRoomAt(2, 7_500)).toBe(8_000);
    expect(log.used(8_000)).toBe(0);
  });

  it('frees a cancelled hold at once, and refuses to release more than it holds', () => {
    const log = new SlidingWindowLog(1, 1000);
    log.hold(1, 0);
    expect(log.hasRoom(1, 0)).toBe(false);
    log.cancel(1);
    expect(log.hasRoom(1, 0)).toBe(true);
    expect(() => log.release(1, 10)).toThrow('cannot release weight 1: only 0 held');
    expect(() => log.hold(2, 0)).toThrow('no room for weight 2');
  });

  it('keeps the unused part of the reserve free of standard grants; priority grants may use all of it', () => {
    // limit 4, 2 of it reserved for the priority class.
    const log = new SlidingWindowLog(4, 1000);
    log.add(1, 0, false);
    expect(log.hasRoom(2, 0, false, 2)).toBe(false);
    expect(log.hasRoom(3, 0, true, 2)).toBe(true);
    log.add(2, 100, true);
    // Trading uses its whole reserve: standard grants keep the other half.
    expect(log.usedByPriority(100)).toBe(2);
    expect(log.hasRoom(1, 100, false, 2)).toBe(true);
    log.add(1, 200, false);
    expect(log.hasRoom(1, 200, true, 2)).toBe(false);
    // One standard weight fits when the standard grant of t=0 leaves; two only once trading's grants left
    // too, since the reserve they used must then stay free.
    expect(log.earliestRoomAt(1, 300, false, 2)).toBe(1000);
    expect(log.earliestRoomAt(2, 300, false, 2)).toBe(1200);
    expect(log.earliestRoomAt(2, 300, true, 2)).toBe(1100);
    // Only a release can make room for what held weight blocks.
    log.hold(2, 1300, true);
    expect(log.earliestRoomAt(3, 1300, true, 2)).toBe(Infinity);
    log.release(2, 1400, true);
    expect(log.earliestRoomAt(3, 1400, true, 2)).toBe(2400);
  });

  it('with a window of 0 counts only what is held (the in-flight bound)', () => {
    const log = new SlidingWindowLog(2, 0);
    log.hold(1, 0);
    log.hold(1, 0);
    expect(log.hasRoom(1, 0)).toBe(false);
    log.release(1, 3);
    expect(log.used(3)).toBe(1);
    expect(log.entries).toBe(0);
  });

  it('plans with held weight released at a given time when cloned that way', () => {
    const log = new SlidingWindowLog(1, 1000);
    log.hold(1, 0);
    expect(log.clone(50).earliestRoomAt(1, 50)).toBe(1050);
    expect(log.clone().earliestRoomAt(1, 50)).toBe(Infinity);
    expect(log.held).toBe(1);
  });
});
