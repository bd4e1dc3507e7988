import { hashFinish, hashSeed, hashStep, hashString, unitFromHash } from './deterministic-hash';

describe('deterministic hash', () => {
  it('is a pure function of its inputs', () => {
    const once = hashFinish(hashStep(hashSeed(42), 123_456));
    expect(hashFinish(hashStep(hashSeed(42), 123_456))).toBe(once);
    expect(hashFinish(hashStep(hashSeed(43), 123_456))).not.toBe(once);
    expect(hashString('005930')).toBe(hashString('005930'));
    expect(hashString('005930')).not.toBe(hashString('000660'));
  });

  it('distinguishes integers that share their low 32 bits, negative ones included', () => {
    const seed = hashSeed(1);
    const values = [-5, 2 ** 32 - 5, 7, 2 ** 32 + 7, -(2 ** 32) + 7, 2 ** 40 + 7];
    const hashes = new Set(values.map((value) => hashFinish(hashStep(seed, value))));
    expect(hashes.size).toBe(values.length);
  });

  it('spreads draws evenly over [0, 1)', () => {
    const buckets = new Array<number>(10).fill(0);
    const seed = hashSeed(7);
    let outOfRange = 0;
    for (let index = 0; index < 20_000; index += 1) {
      const draw = unitFromHash(hashStep(seed, index));
      if (draw < 0 || draw >= 1) outOfRange += 1;
      else buckets[Math.floor(draw * 10)] += 1;
    }
    expect(outOfRange).toBe(0);
    for (const count of buckets) {
      expect(count).toBeGreaterThan(1_700);
      expect(count).toBeLessThan(2_300);
    }
  });
});
