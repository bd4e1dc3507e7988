import type { SeededRandom } from './seeded-random';

/** A varint as protobuf writes it (two's complement for negatives). */
export function varint(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  while (rest >= 0x80n) {
    bytes.push(Number((rest & 0x7fn) | 0x80n));
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

/** A varint field (wire type 0) holding `value`. */
export function varintField(fieldNumber: number, value: bigint): Buffer {
  return Buffer.from([...varint(BigInt(fieldNumber << 3)), ...varint(value)]);
}

const HUGE_INTEGERS = [2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 1n, 2n ** 64n - 1n];

/** The kinds of damage, each a function of a valid message. */
const MUTATIONS: ReadonlyArray<(valid: Buffer, random: SeededRandom, int64Fields: readonly number[]) => Buffer> = [
  // Random bytes of any length.
  (_valid, random) => random.bytes(1 + random.below(300)),
  // The valid message cut short.
  (valid, random) => valid.subarray(0, Math.max(1, random.below(Math.max(1, valid.length)))),
  // One bit flipped.
  (valid, random) => {
    const copy = Buffer.from(valid);
    if (copy.length > 0) copy[random.below(copy.length)] ^= 1 << random.below(8);
    return copy;
  },
  // An int64 field beyond JavaScript's safe integers (2^53 ... 2^63-1, negatives), or any varint field huge.
  (valid, random, int64Fields) =>
    Buffer.concat([valid, varintField(int64Fields.length > 0 ? random.pick(int64Fields) : 1 + random.below(12), random.pick(HUGE_INTEGERS))]),
  // A length-delimited field claiming more bytes than follow.
  (valid, random) => Buffer.concat([valid, Buffer.from([((1 + random.below(10)) << 3) | 2, ...varint(BigInt(1 + random.below(2 ** 30)))])]),
  // Group and reserved wire types.
  (valid, random) => Buffer.concat([valid, Buffer.from([((1 + random.below(10)) << 3) | random.pick([3, 4, 6, 7]), random.below(256)])]),
  // A varint that never ends.
  (valid) => Buffer.concat([valid, Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]),
  // A string field with bytes that are not UTF-8, and a field number 0.
  (valid, random) => Buffer.concat([valid, Buffer.from([0x0a, 4, 0xc3, 0x28, 0xa0, 0xa1]), random.below(2) === 0 ? Buffer.from([0x00, 0x01]) : Buffer.alloc(0)]),
  // A string field where a message or enum is expected, and a huge enum number.
  (valid, random) => Buffer.concat([valid, Buffer.from([((1 + random.below(10)) << 3) | 0, ...varint(2n ** 31n + BigInt(random.below(1_000)))])]),
];

/** A malformed variant of `valid`: one of MUTATIONS, chosen by `random`. */
export function malformedMessage(valid: Buffer, random: SeededRandom, int64Fields: readonly number[]): Buffer {
  return random.pick(MUTATIONS)(valid, random, int64Fields);
}
