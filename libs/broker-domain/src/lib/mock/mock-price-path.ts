import { hashFinish, hashStep } from './deterministic-hash';

// Math's functions are bound once: inside a VM context (as under jest) every global lookup goes through
// an interceptor, which makes the per-minute loops an order of magnitude slower.
const { floor } = Math;

/** Path time is counted in minutes from this fixed epoch, so no query range can shift it. */
const ANCHOR_MS = Date.UTC(2000, 0, 1);
const MINUTE_MS = 60_000;

/**
 * Layers of smooth value noise, from a quarter-year swing down to minute-to-minute jitter. Amplitudes
 * sum to ~0.35, so a price stays within roughly 65 %-135 % of its base level: no drift to absurd prices
 * however far from the epoch one asks.
 */
const OCTAVE_PERIOD_MINUTES = [131_072, 20_160, 4_320, 1_440, 240, 60, 15, 1];
const OCTAVE_AMPLITUDES = [0.18, 0.08, 0.045, 0.025, 0.012, 0.007, 0.004, 0.0015];
const OCTAVE_COUNT = OCTAVE_PERIOD_MINUTES.length;

/**
 * A deterministic price trajectory for one symbol: price(t) = base x (1 + sum of octave noises at t).
 * Each octave interpolates (smoothstep) between hashed lattice values keyed by (seed, symbol, octave,
 * lattice index), so the price at any instant is a pure function of the inputs. Only + - * / are used on
 * floats, which IEEE 754 defines exactly: the same inputs give the same price on every platform.
 */
export class MockPricePath {
  // Memo of the last lattice cell per octave: sequential minutes reuse it; random access stays correct.
  private readonly cellIndex = new Float64Array(OCTAVE_COUNT).fill(Number.NaN);
  private readonly cellStart = new Float64Array(OCTAVE_COUNT);
  private readonly cellEnd = new Float64Array(OCTAVE_COUNT);

  /** Hash state per octave, keyed by (seed, symbol, octave): only the lattice index is folded in later. */
  private readonly octaveKeys: Int32Array;

  constructor(
    key: number,
    private readonly basePrice: number,
  ) {
    this.octaveKeys = Int32Array.from(OCTAVE_PERIOD_MINUTES, (_, octave) => hashStep(key, octave + 1));
  }

  /** Minutes since the path epoch for an instant (integral at whole minutes). */
  static minuteOf(ms: number): number {
    return (ms - ANCHOR_MS) / MINUTE_MS;
  }

  /** Raw, off-grid price at a path minute (fractions allowed). */
  priceAtMinute(minute: number): number {
    let factor = 1;
    // Plain indexed loops: this runs for every simulated minute, so it must not allocate.
    for (let octave = 0; octave < OCTAVE_COUNT; octave += 1) {
      const position = minute / OCTAVE_PERIOD_MINUTES[octave];
      const index = floor(position);
      const cached = this.cellIndex[octave];
      if (cached !== index) {
        // Stepping to the next cell reuses the shared lattice point.
        this.cellStart[octave] =
          cached + 1 === index ? this.cellEnd[octave] : this.latticeValue(octave, index);
        this.cellEnd[octave] = this.latticeValue(octave, index + 1);
        this.cellIndex[octave] = index;
      }
      const fraction = position - index;
      const smooth = fraction * fraction * (3 - 2 * fraction);
      const start = this.cellStart[octave];
      factor += OCTAVE_AMPLITUDES[octave] * (start + (this.cellEnd[octave] - start) * smooth);
    }
    return this.basePrice * factor;
  }

  /** Value in [-1, 1) at a lattice point of an octave. */
  private latticeValue(octave: number, index: number): number {
    return hashFinish(hashStep(this.octaveKeys[octave], index)) / 2_147_483_648 - 1;
  }
}
