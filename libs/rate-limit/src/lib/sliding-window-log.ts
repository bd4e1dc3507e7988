/**
 * The log of one rule's recent grants: "at most `limit` weight in any window of `windowMs`".
 *
 * A grant made at time g occupies the window while now < g + windowMs and frees its weight at exactly
 * g + windowMs, so a new grant at that moment shares no half-open window [s, s + windowMs) with it.
 * Every weight is a positive integer and the log never holds more than `limit` weight, so a ring
 * buffer of at most `limit` slots bounds memory whatever the traffic. It starts small and doubles
 * on demand, so a generous rule (say 100 000 a day) costs nothing until it is used.
 *
 * Pure and synchronous: time is always passed in. Times must not go backwards; a smaller `now` than
 * the last grant is treated as that grant's time so the log stays ordered.
 */
export class SlidingWindowLog {
  private times: Float64Array;
  private weights: Float64Array;
  private head = 0;
  private count = 0;
  private usedWeight = 0;
  private lastGrantAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`limit must be a positive integer (got ${limit})`);
    }
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
      throw new RangeError(`windowMs must be a positive finite number (got ${windowMs})`);
    }
    const capacity = Math.min(limit, INITIAL_CAPACITY);
    this.times = new Float64Array(capacity);
    this.weights = new Float64Array(capacity);
  }

  /** Weight granted within the window ending at `now`. */
  used(now: number): number {
    this.expire(now);
    return this.usedWeight;
  }

  /** Number of grants held (never more than `limit`). */
  get entries(): number {
    return this.count;
  }

  /** Slots allocated (never more than `limit`). */
  get capacity(): number {
    return this.times.length;
  }

  hasRoom(weight: number, now: number): boolean {
    return this.used(now) + weight <= this.limit;
  }

  /**
   * Earliest time at or after `now` at which `weight` fits, if nothing else is granted meanwhile:
   * the moment enough of the oldest grants have left the window. Infinity if `weight` exceeds the limit.
   */
  earliestRoomAt(weight: number, now: number): number {
    if (weight > this.limit) return Number.POSITIVE_INFINITY;
    const excess = this.used(now) + weight - this.limit;
    if (excess <= 0) return now;
    // Oldest grants leave first; terminates because excess <= used, the sum of all logged weights.
    let freed = 0;
    let slot = this.head;
    for (let i = 0; freed < excess; i++) {
      slot = (this.head + i) % this.capacity;
      freed += this.weights[slot];
    }
    return this.times[slot] + this.windowMs;
  }

  /** Records a grant; the caller must have checked {@link hasRoom} at the same `now`. */
  add(weight: number, now: number): void {
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new RangeError(`weight must be a positive integer (got ${weight})`);
    }
    if (!this.hasRoom(weight, now)) {
      throw new RangeError(`no room for weight ${weight}: ${this.usedWeight} of ${this.limit} used`);
    }
    const at = Math.max(now, this.lastGrantAt);
    if (this.count === this.capacity) this.grow();
    const slot = (this.head + this.count) % this.capacity;
    this.times[slot] = at;
    this.weights[slot] = weight;
    this.count++;
    this.usedWeight += weight;
    this.lastGrantAt = at;
  }

  /** Independent copy, for what-if planning. */
  clone(): SlidingWindowLog {
    const copy = new SlidingWindowLog(this.limit, this.windowMs);
    copy.times = this.times.slice();
    copy.weights = this.weights.slice();
    copy.head = this.head;
    copy.count = this.count;
    copy.usedWeight = this.usedWeight;
    copy.lastGrantAt = this.lastGrantAt;
    return copy;
  }

  private expire(now: number): void {
    while (this.count > 0 && this.times[this.head] + this.windowMs <= now) {
      this.usedWeight -= this.weights[this.head];
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
  }

  /** Doubles the ring (up to `limit` slots), unrolling it so the oldest grant is at slot 0. */
  private grow(): void {
    const capacity = Math.min(this.limit, this.capacity * 2);
    const times = new Float64Array(capacity);
    const weights = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      times[i] = this.times[slot];
      weights[i] = this.weights[slot];
    }
    this.times = times;
    this.weights = weights;
    this.head = 0;
  }
}

const INITIAL_CAPACITY = 16;
