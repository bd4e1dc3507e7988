import { RateLimitConfigError } from './rate-limit-config-error';
import type { RateLimiterOptions } from './rate-limit-options';
import { effectiveLimit, resolveLimiterOptions } from './resolve-limiter-options';

const rules = [{ id: 'requests', limit: 20, windowMs: 1000 }];

/** The field and message of the configuration error `options` raises. */
function configError(options: unknown, path?: string): { field: string; message: string } {
  try {
    resolveLimiterOptions(options as RateLimiterOptions, path);
  } catch (error) {
    expect(error).toBeInstanceOf(RateLimitConfigError);
    const { field, message } = error as RateLimitConfigError;
    return { field, message };
  }
  throw new Error('expected a RateLimitConfigError');
}

describe('effectiveLimit', () => {
  it.each([
    [20, 1, 0, 20],
    [20, 1, 0.1, 18],
    [20, 0.5, 0, 10],
    [20, 0.5, 0.1, 9],
    [2, 0.25, 0, 1],
    [10, 0.3, 0, 3],
    [60, 1, 0.05, 57],
  ])(
    'limit %d, share %d, ratio %d -> %d (floor, at least 1, no float rounding down)',
    (limit, share, ratio, expected) => {
      expect(effectiveLimit(limit, share, ratio)).toBe(expected);
    },
  );
});

describe('resolveLimiterOptions', () => {
  it('resolves rules, costs and defaults', () => {
    const resolved = resolveLimiterOptions({
      rules: [...rules, { id: 'token', limit: 1, windowMs: 60_000 }],
      operations: { issueToken: [{ rule: 'requests' }, { rule: 'token', weight: 1 }] },
      safetyMargin: { ms: 50 },
    });
    expect(resolved.rules[0]).toEqual({
      id: 'requests',
      limit: 20,
      configuredLimit: 20,
      windowMs: 1050,
      configuredWindowMs: 1000,
      reserved: 0,
    });
    expect(resolved.operationCosts.get('issueToken')).toEqual([
      { ruleIndex: 0, weight: 1 },
      { ruleIndex: 1, weight: 1 },
    ]);
    expect(resolved.defaultCosts).toEqual([
      { ruleIndex: 0, weight: 1 },
      { ruleIndex: 1, weight: 1 },
    ]);
    expect(resolved.defaultTimeoutMs).toBe(30_000);
  });

  it('adds the in-flight bound as a rule of window 0 that every operation counts against', () => {
    const resolved = resolveLimiterOptions({
      rules,
      operations: { placeOrder: [{ rule: 'requests' }] },
      priorityOperations: ['placeOrder'],
      priorityReserve: 0.25,
      maxInFlight: 8,
    });
    expect(resolved.rules.map(({ id, limit, reserved, windowMs }) => [id, limit, reserved, windowMs])).toEqual([
      ['requests', 20, 5, 1000],
      ['in-flight', 8, 2, 0],
    ]);
    expect(resolved.operationCosts.get('placeOrder')).toEqual([
      { ruleIndex: 0, weight: 1 },
      { ruleIndex: 1, weight: 1 },
    ]);
    expect(resolved.defaultCosts).toEqual([
      { ruleIndex: 0, weight: 1 },
      { ruleIndex: 1, weight: 1 },
    ]);
    expect([...resolved.priorityOperations]).toEqual(['placeOrder']);
    expect(resolved.unansweredHoldMs).toBe(60_000);
  });

  it('refuses a reserve that leaves an ordinary operation less than its weight', () => {
    expect(() =>
      resolveLimiterOptions({
        rules: [{ id: 'requests', limit: 4, windowMs: 1000 }],
        operations: { getCandles: [{ rule: 'requests', weight: 3 }], placeOrder: [{ rule: 'requests', weight: 4 }] },
        priorityOperations: ['placeOrder'],
        priorityReserve: 0.5,
      }),
    ).toThrow("operations.getCandles[0].weight 3 exceeds the 2 of rule 'requests' left outside the priority reserve");
  });

  it.each<[string, unknown, string, string]>([
    ['a reserve of 1 or more', { rules, priorityReserve: 1 }, 'priorityReserve', 'must be a number in [0, 1)'],
    ['priority operations that are not names', { rules, priorityOperations: [3] }, 'priorityOperations', 'must be an array'],
    ['a fractional in-flight bound', { rules, maxInFlight: 1.5 }, 'maxInFlight', 'must be a positive integer'],
    ['a negative hold', { rules, unansweredHoldMs: -1 }, 'unansweredHoldMs', 'must be a non-negative finite number'],
    [
      'a rule named like the in-flight bound',
      { rules: [{ id: 'in-flight', limit: 1, windowMs: 1 }], maxInFlight: 2 },
      'rules',
      "must not use the rule id 'in-flight'",
    ],
  ])('refuses %s, naming the field', (_name, options, field, message) => {
    expect(() => resolveLimiterOptions(options as RateLimiterOptions)).toThrow(
      expect.objectContaining({ field, message: expect.stringContaining(message) }),
    );
  });

  it.each<[string, unknown, string, string]>([
    ['no options', undefined, 'options', 'must be an object'],
    ['no rules', {}, 'rules', 'must be a non-empty array'],
    ['empty rules', { rules: [] }, 'rules', 'must be a non-empty array'],
    ['a rule that is not an object', { rules: [5] }, 'rules[0]', 'must be an object'],
    [
      'an unknown rule key',
      { rules: [{ ...rules[0], perSecond: 2 }] },
      'rules[0].perSecond',
      'is not a known setting',
    ],
    ['a missing id', { rules: [{ limit: 1, windowMs: 1 }] }, 'rules[0].id', 'must be a non-empty string'],
    ['a duplicate id', { rules: [rules[0], rules[0]] }, 'rules[1].id', "duplicates rule id 'requests'"],
    [
      'a zero limit',
      { rules: [{ ...rules[0], limit: 0 }] },
      'rules[0].limit',
      'must be a positive integer (got 0)',
    ],
    [
      'a fractional limit',
      { rules: [{ ...rules[0], limit: 2.5 }] },
      'rules[0].limit',
      'must be a positive integer',
    ],
    [
      'a string limit',
      { rules: [{ ...rules[0], limit: '20' }] },
      'rules[0].limit',
      'must be a positive integer',
    ],
    [
      'a zero window',
      { rules: [{ ...rules[0], windowMs: 0 }] },
      'rules[0].windowMs',
      'must be a positive finite number',
    ],
    [
      'an infinite window',
      { rules: [{ ...rules[0], windowMs: Infinity }] },
      'rules[0].windowMs',
      'positive finite',
    ],
    ['a share of 0', { rules, share: 0 }, 'share', 'must be a number in (0, 1] (got 0)'],
    ['a share above 1', { rules, share: 1.5 }, 'share', 'must be a number in (0, 1]'],
    [
      'a margin ratio of 1',
      { rules, safetyMargin: { ratio: 1 } },
      'safetyMargin.ratio',
      'must be a number in [0, 1)',
    ],
    [
      'a negative margin',
      { rules, safetyMargin: { ms: -1 } },
      'safetyMargin.ms',
      'must be a non-negative finite number',
    ],
    ['a margin that is not an object', { rules, safetyMargin: 50 }, 'safetyMargin', 'must be an object'],
    [
      'an unknown margin key',
      { rules, safetyMargin: { percent: 5 } },
      'safetyMargin.percent',
      'is not a known setting',
    ],
    ['an empty name', { rules, name: '' }, 'name', 'must be a non-empty string'],
    ['operations that are not an object', { rules, operations: [] }, 'operations', 'must be an object'],
    [
      'an operation with no costs',
      { rules, operations: { getQuote: [] } },
      'operations.getQuote',
      'must be a non-empty array',
    ],
    [
      'a cost that is not an object',
      { rules, operations: { getQuote: ['requests'] } },
      'operations.getQuote[0]',
      'must be an object',
    ],
    [
      'an unknown cost key',
      { rules, operations: { x: [{ rule: 'requests', cost: 2 }] } },
      'operations.x[0].cost',
      'is not a known setting',
    ],
    [
      'an unknown rule',
      { rules, operations: { x: [{ rule: 'orders' }] } },
      'operations.x[0].rule',
      'must name a configured rule (requests); got orders',
    ],
    [
      'a rule listed twice',
      { rules, operations: { x: [{ rule: 'requests' }, { rule: 'requests' }] } },
      'operations.x[1].rule',
      "lists rule 'requests' twice",
    ],
    [
      'a zero weight',
      { rules, operations: { x: [{ rule: 'requests', weight: 0 }] } },
      'operations.x[0].weight',
      'must be a positive integer',
    ],
    [
      'a weight above the limit',
      { rules, defaultCosts: [{ rule: 'requests', weight: 21 }] },
      'defaultCosts[0].weight',
      "21 exceeds the effective limit 20 of rule 'requests'",
    ],
    [
      'a weight above the effective limit',
      { rules, share: 0.5, safetyMargin: { ratio: 0.5 }, defaultCosts: [{ rule: 'requests', weight: 6 }] },
      'defaultCosts[0].weight',
      'exceeds the effective limit 5',
    ],
    [
      'an incomplete clock',
      { rules, clock: { now: () => 0 } },
      'clock',
      'must provide now(), setTimeout() and clearTimeout()',
    ],
    [
      'a negative default timeout',
      { rules, defaultTimeoutMs: -1 },
      'defaultTimeoutMs',
      'must be a non-negative number',
    ],
  ])('refuses %s, naming the field', (_case, options, field, problem) => {
    const error = configError(options);
    expect(error.field).toBe(field);
    expect(error.message).toContain(problem);
    expect(error.message.startsWith(field)).toBe(true);
  });

  it('prefixes the field with the configuration path', () => {
    expect(configError({ rules: [{ ...rules[0], limit: -1 }] }, 'brokers[2].rateLimit').field).toBe(
      'brokers[2].rateLimit.rules[0].limit',
    );
  });
});
