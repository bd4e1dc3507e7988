/**
 * The log of one rule's recent grants: "at most `limit` weight in any window of `windowMs`".
 *
 * A grant is either held (in flight: its request was sent and no answer has come back yet) or
 * counted: it then occupies the rule until its free time and leaves at exactly that moment. A grant
 * recorded with {@link add} is counted from `now` and frees at `now + windowMs`; a held grant is
 * counted from its {@link release} at `now` and frees at `now + windowMs`. Held weight never frees by
 * time alone: only its release (or {@link cancel}) ends it.
 *
 * Releases happen at non-decreasing times, so counted grants free in the order they were counted and
 * a ring buffer keeps them; held grants are a plain sum. The log never holds more than `limit` weight
 * and every weight is a positive integer, so at most `limit` slots are ever allocated; the ring starts
 * small and doubles on demand, so a generous rule (say 100 000 a day) costs nothing until it is used.
 *
 * Every grant is of the priority class (trading) or not. A `reserved` part of the limit is kept for
 * the priority class: a standard grant must leave `reserved - (priority weight in use)` free, so the
 * priority class can always get at least `reserved`, and standard grants can use everything else.
 *
 * Pure and synchronous: time is always passed in. Times must not go backwards; a smaller `now` than
 * the last one recorded is treated as that time so the ring stays ordered.
 */
export class SlidingWindowLog {
  private freeTimes: Float64Array;
  private weights: Float64Array;
  private priorityFlags: Uint8Array;
  private head = 0;
  private count = 0;
  private countedWeight = 0;
  private countedPriority = 0;
  private heldWeight = 0;
  private heldPriority = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`limit must be a positive integer (got ${limit})`);
    }
    // A window of 0 counts only what is held: "at most `limit` in flight".
    if (!(windowMs >= 0) || !Number.isFinite(windowMs)) {
      throw new RangeError(`windowMs must be a non-negative finite number (got ${windowMs})`);
    }
    const capacity = Math.min(limit, INITIAL_CAPACITY);
    this.freeTimes = new Float64Array(capacity);
    this.weights = new Float64Array(capacity);
    this.priorityFlags = new Uint8Array(capacity);
  }

  /** Weight occupying the rule at `now`: held, plus counted grants not yet freed. */
  used(now: number): number {
    this.expire(now);
    return this.countedWeight + this.heldWeight;
  }

  /** Weight of priority grants occupying the rule at `now` (held and counted). */
  usedByPriority(now: number): number {
    this.expire(now);
    return this.countedPriority + this.heldPriority;
  }

  /** Weight held by requests in flight. */
  get held(): number {
    return this.heldWeight;
  }

  /** Counted grants in the ring (never more than `limit`). */
  get entries(): number {
    return this.count;
  }

  /** Slots allocated (never more than `limit`). */
  get capacity(): number {
    return this.freeTimes.length;
  }

  /**
   * Whether `weight` fits now: within the limit for a priority grant (the default); for a standard one,
   * also leaving what is left of `reserved` after the priority grants in use.
   */
  hasRoom(weight: number, now: number, priority = true, reserved = 0): boolean {
    this.expire(now);
    return fits(this.limit, this.countedWeight + this.heldWeight, this.countedPriority + this.heldPriority, weight, priority, reserved);
  }

  /**
   * Earliest time at or after `now` at which `weight` fits (as {@link hasRoom}), if nothing else is
   * granted or released meanwhile: the moment enough counted grants have freed. Infinity when only
   * releases of held weight could make room, or when `weight` can never fit.
   */
  earliestRoomAt(weight: number, now: number, priority = true, reserved = 0): number {
    this.expire(now);
    let total = this.countedWeight + this.heldWeight;
    let prio = this.countedPriority + this.heldPriority;
    if (fits(this.limit, total, prio, weight, priority, reserved)) return now;
    // Counted grants free in order.
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      total -= this.weights[slot];
      if (this.priorityFlags[slot] === 1) prio -= this.weights[slot];
      if (fits(this.limit, total, prio, weight, priority, reserved)) return this.freeTimes[slot];
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Records a grant counted from `now`; the caller must have checked {@link hasRoom} at the same `now`. */
  add(weight: number, now: number, priority = false): void {
    this.checkWeight(weight);
    if (!this.hasRoom(weight, now)) {
      throw new RangeError(`no room for weight ${weight}: ${this.used(now)} of ${this.limit} used`);
    }
    this.count_(weight, now, priority);
  }

  /** Holds `weight` for a request in flight; the caller must have checked {@link hasRoom}. */
  hold(weight: number, now: number, priority = false): void {
    this.checkWeight(weight);
    if (!this.hasRoom(weight, now)) {
      throw new RangeError(`no room for weight ${weight}: ${this.used(now)} of ${this.limit} used`);
    }
    this.heldWeight += weight;
    if (priority) this.heldPriority += weight;
  }

  /** The held request was answered (or given up) at `now`: it stays counted for one more window. */
  release(weight: number, now: number, priority = false): void {
    this.takeHeld(weight, priority);
    this.count_(weight, now, priority);
  }

  /** The held request was never sent: its weight frees at once. */
  cancel(weight: number, priority = false): void {
    this.takeHeld(weight, priority);
  }

  /** Independent copy, for what-if planning; `releaseHeldAt` counts every held weight as answered then. */
  clone(releaseHeldAt?: number): SlidingWindowLog {
    const copy = new SlidingWindowLog(this.limit, this.windowMs);
    copy.freeTimes = this.freeTimes.slice();
    copy.weights = this.weights.slice();
    copy.priorityFlags = this.priorityFlags.slice();
    copy.head = this.head;
    copy.count = this.count;
    copy.countedWeight = this.countedWeight;
    copy.countedPriority = this.countedPriority;
    copy.heldWeight = this.heldWeight;
    copy.heldPriority = this.heldPriority;
    copy.lastAt = this.lastAt;
    if (releaseHeldAt !== undefined && copy.heldWeight > 0) {
      const [standard, priority] = [copy.heldWeight - copy.heldPriority, copy.heldPriority];
      copy.heldWeight = 0;
      copy.heldPriority = 0;
      if (standard > 0) copy.count_(standard, releaseHeldAt, false);
      if (priority > 0) copy.count_(priority, releaseHeldAt, true);
    }
    return copy;
  }

  private checkWeight(weight: number): void {
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new RangeError(`weight must be a positive integer (got ${weight})`);
    }
  }

  private takeHeld(weight: number, priority: boolean): void {
    this.checkWeight(weight);
    const held = priority ? this.heldPriority : this.heldWeight - this.heldPriority;
    if (weight > held) {
      throw new RangeError(`cannot release weight ${weight}: only ${held} held`);
    }
    this.heldWeight -= weight;
    if (priority) this.heldPriority -= weight;
  }

  private count_(weight: number, now: number, priority: boolean): void {
    const at = Math.max(now, this.lastAt);
    this.lastAt = at;
    this.expire(at);
    if (this.windowMs === 0) return;
    if (this.count === this.capacity) this.grow();
    const slot = (this.head + this.count) % this.capacity;
    this.freeTimes[slot] = at + this.windowMs;
    this.weights[slot] = weight;
    this.priorityFlags[slot] = priority ? 1 : 0;
    this.count++;
    this.countedWeight += weight;
    if (priority) this.countedPriority += weight;
  }

  private expire(now: number): void {
    while (this.count > 0 && this.freeTimes[this.head] <= now) {
      this.countedWeight -= this.weights[this.head];
      if (this.priorityFlags[this.head] === 1) this.countedPriority -= this.weights[this.head];
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
  }

  /** Doubles the ring (up to `limit` slots), unrolling it so the oldest grant is at slot 0. */
  private grow(): void {
    const capacity = Math.min(this.limit, this.capacity * 2);
    const freeTimes = new Float64Array(capacity);
    const weights = new Float64Array(capacity);
    const priorityFlags = new Uint8Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      freeTimes[i] = this.freeTimes[slot];
      weights[i] = this.weights[slot];
      priorityFlags[i] = this.priorityFlags[slot];
    }
    this.freeTimes = freeTimes;
    this.weights = weights;
    this.priorityFlags = priorityFlags;
    this.head = 0;
  }
}

const INITIAL_CAPACITY = 16;

/**
 * Whether `weight` more fits a rule of `limit` with `total` weight in use, `priorityUsed` of it by the
 * priority class: a priority grant needs total + weight <= limit; a standard grant also leaves the
 * unused part of the reserve, max(0, reserved - priorityUsed), free. (The shared ledgers apply the same
 * rule: ledger-decisions.ts, and the Redis script.)
 */
export function fits(limit: number, total: number, priorityUsed: number, weight: number, priority: boolean, reserved: number): boolean {
  const keptFree = priority ? 0 : Math.max(0, reserved - priorityUsed);
  return total + weight + keptFree <= limit;
}
