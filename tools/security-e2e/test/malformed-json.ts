import type { SeededRandom } from './seeded-random';

/** A value the answers must never repeat: it stands for a secret a caller put in a body. */
export const ECHO_CANARY = 'echo-canary-7f3a9c';

function nested(levels: number, open: string, close: string, leaf: string): string {
  return open.repeat(levels) + leaf + close.repeat(levels);
}

/** A malformed body and the content type it is sent with. */
export interface MalformedBody {
  kind: string;
  body: string;
  contentType: string;
}

const BODIES: ReadonlyArray<(random: SeededRandom) => MalformedBody> = [
  (random) => ({ kind: 'deep objects', body: nested(33 + random.below(20_000), '{"a":', '}', '1'), contentType: 'application/json' }),
  (random) => ({ kind: 'deep arrays', body: nested(33 + random.below(20_000), '[', ']', '1'), contentType: 'application/json' }),
  (random) => {
    const levels = 33 + random.below(5_000);
    return { kind: 'deep in a field', body: `{"${random.pick(['symbol', 'reason', 'name', 'scopes', 'quantity'])}":${nested(levels, '[', ']', '"x"')}}`, contentType: 'application/json' };
  },
  (random) => {
    const key = random.pick(['__proto__', 'constructor', 'prototype']);
    const value = random.below(2) === 0 ? '{"admin":true}' : `[{"${key}":{"polluted":"${ECHO_CANARY}"}}]`;
    const member = random.below(2) === 0 ? `"${key}":${value}` : `"nested":{"${key}":${value}}`;
    return {
      kind: 'prototype keys',
      body: `{"symbol":"005930","side":"BUY","orderType":"MARKET","quantity":1,"name":"n","scopes":["read"],${member}}`,
      contentType: 'application/json',
    };
  },
  (random) => ({
    kind: 'wrong types and huge numbers',
    body: JSON.stringify({
      symbol: random.pick([5930, null, ['005930'], { code: '005930' }, ECHO_CANARY]),
      side: random.pick(['HOLD', 1, true]),
      orderType: random.pick(['STOP', null]),
      quantity: random.pick([1e308, -1, 1_000_000_001, 2 ** 63, '10', 0.5]),
      price: random.pick(['1e400', '-5', '0x10', 'NaN', 71500, ECHO_CANARY]),
      brokerId: random.pick([ECHO_CANARY.repeat(20), 7]),
      reason: random.pick([ECHO_CANARY.repeat(100), 42]),
      name: random.pick(['', '\u0000\u0001', ECHO_CANARY.repeat(10)]),
      scopes: random.pick([['root'], 'admin', [['read']], [ECHO_CANARY]]),
      strategies: random.pick([[], [''], 'momentum', [ECHO_CANARY.repeat(10)]]),
    }),
    contentType: 'application/json',
  }),
  (random) => ({ kind: 'truncated JSON', body: `{"symbol":"005930","reason":"${ECHO_CANARY}`.slice(0, 5 + random.below(40)), contentType: 'application/json' }),
  (random) => ({ kind: 'random bytes', body: random.bytes(1 + random.below(400)).toString('latin1'), contentType: 'application/json' }),
  (random) => ({ kind: 'other content types', body: `reason=${ECHO_CANARY}&brokerId=kis`, contentType: random.pick(['application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1', 'application/xml']) }),
  (random) => ({ kind: 'oversize', body: `{"reason":"${'x'.repeat(100 * 1024 + random.below(50_000))}"}`, contentType: 'application/json' }),
];

/** The n-th malformed body of a run (every kind in turn, the details drawn from `random`). */
export function malformedBody(index: number, random: SeededRandom): MalformedBody {
  return (BODIES[index % BODIES.length] as (random: SeededRandom) => MalformedBody)(random);
}

export const MALFORMED_BODY_KINDS = BODIES.length;
