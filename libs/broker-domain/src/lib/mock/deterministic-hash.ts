/**
 * Small, fast 32-bit integer hashing (xxHash32-style rounds and the murmur3 finaliser) used as a
 * random-access PRNG: the "random" value for (seed, symbol, time) is a pure function of those inputs, so
 * nothing depends on the order or range of earlier queries.
 */

// Math's functions are bound once: inside a VM context (as under jest) every global lookup goes through
// an interceptor, which makes the per-minute loops an order of magnitude slower.
const { imul, floor } = Math;

const PRIME_1 = 0x9e3779b1;
const PRIME_2 = 0x85ebca77;
const PRIME_3 = 0xc2b2ae3d;
const PRIME_4 = 0x27d4eb2f;
const TWO_POW_32 = 4_294_967_296;

/** Folds one integer into a running hash state. Integers beyond 32 bits contribute both halves. */
export function hashStep(state: number, value: number): number {
  let h = (state + imul(value | 0, PRIME_3)) | 0;
  h = imul((h << 17) | (h >>> 15), PRIME_4);
  // Values outside 0..2^32-1 (negative ones included) fold in their high word too, so no two distinct
  // integers share a hash input.
  const high = floor(value / TWO_POW_32) | 0;
  if (high !== 0) {
    h = (h + imul(high, PRIME_2)) | 0;
    h = imul((h << 13) | (h >>> 19), PRIME_1);
  }
  return h;
}

/** Final avalanche: turns a state into a well-mixed unsigned 32-bit value. */
export function hashFinish(state: number): number {
  let h = state;
  h ^= h >>> 15;
  h = imul(h, PRIME_2);
  h ^= h >>> 13;
  h = imul(h, PRIME_3);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash state keyed by a seed; further inputs are folded in with hashStep. */
export function hashSeed(seed: number): number {
  return hashStep(PRIME_1, seed);
}

/** FNV-1a of a string, as a 32-bit integer (for symbol codes). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    h ^= text.charCodeAt(index);
    h = imul(h, 0x01000193);
  }
  return h | 0;
}

/** Uniform value in [0, 1) from hashed inputs. */
export function unitFromHash(state: number): number {
  return hashFinish(state) / TWO_POW_32;
}
