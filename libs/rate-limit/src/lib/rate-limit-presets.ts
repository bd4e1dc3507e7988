import type { OperationCost, RateLimitRule, RateLimitSafetyMargin } from './rate-limit-options';

export type RatePresetId = 'kis-real' | 'kis-paper' | 'creon' | 'kiwoom';

export interface RatePreset {
  readonly id: RatePresetId;
  readonly rules: readonly Readonly<RateLimitRule>[];
  /** Operations that count against other rules than `defaultCosts`. */
  readonly operations?: Readonly<Record<string, readonly Readonly<OperationCost>[]>>;
  /** Costs of every operation not listed in `operations`. */
  readonly defaultCosts: readonly Readonly<OperationCost>[];
  readonly safetyMargin: Readonly<RateLimitSafetyMargin>;
  /** What the broker answers when a rule is exceeded (the simulator answers the same). */
  readonly violationCode: 'EGW00201' | 'CREON_LIMIT' | '1700';
  /** Per-rule codes where a rule has its own (KIS token reissue: EGW00133); else `violationCode`. */
  readonly ruleViolationCodes?: Readonly<Record<string, string>>;
  readonly description: string;
}

/**
 * Padding added to every preset window. The broker counts requests when they arrive, we count them
 * when they leave: two requests sent exactly one window apart can arrive less than a window apart if
 * the first one is held up longer (TLS, connection pool, the JTS hop, broker-side queueing). 50 ms
 * absorbs that jitter on the usual paths and costs under 5% of a 1 s window's throughput (0.3% of
 * Creon's 15 s windows). It also covers brokers that count per calendar second: compliance in every
 * sliding window implies compliance in every fixed one.
 */
export const PRESET_SAFETY_MARGIN: Readonly<RateLimitSafetyMargin> = Object.freeze({ ms: 50 });

/** KIS: token reissue at most once a minute (EGW00133); the request also counts as a request. */
const KIS_TOKEN_RULE: RateLimitRule = { id: 'token', limit: 1, windowMs: 60_000 };
const KIS_OPERATIONS = { issueToken: [{ rule: 'requests' }, { rule: 'token' }] };

export const RATE_LIMIT_PRESETS: Readonly<Record<RatePresetId, RatePreset>> = deepFreeze({
  'kis-real': {
    id: 'kis-real',
    rules: [{ id: 'requests', limit: 20, windowMs: 1_000 }, KIS_TOKEN_RULE],
    operations: KIS_OPERATIONS,
    defaultCosts: [{ rule: 'requests' }],
    safetyMargin: PRESET_SAFETY_MARGIN,
    violationCode: 'EGW00201',
    ruleViolationCodes: { requests: 'EGW00201', token: 'EGW00133' },
    description:
      'KIS real account: 20 requests per second (EGW00201 when exceeded); token reissue once per minute (EGW00133).',
  },
  'kis-paper': {
    id: 'kis-paper',
    rules: [{ id: 'requests', limit: 2, windowMs: 1_000 }, KIS_TOKEN_RULE],
    operations: KIS_OPERATIONS,
    defaultCosts: [{ rule: 'requests' }],
    safetyMargin: PRESET_SAFETY_MARGIN,
    violationCode: 'EGW00201',
    ruleViolationCodes: { requests: 'EGW00201', token: 'EGW00133' },
    description:
      'KIS paper (mock) account: 2 requests per second (EGW00201 when exceeded); token reissue once per minute (EGW00133).',
  },
  creon: {
    id: 'creon',
    rules: [
      { id: 'queries', limit: 60, windowMs: 15_000 },
      { id: 'orders', limit: 20, windowMs: 15_000 },
    ],
    operations: { placeOrder: [{ rule: 'orders' }], cancelOrder: [{ rule: 'orders' }] },
    defaultCosts: [{ rule: 'queries' }],
    safetyMargin: PRESET_SAFETY_MARGIN,
    // Creon Plus (COM) has no wire error code for this: it refuses the request through its request
    // status and exposes the remaining budget (GetLimitRemainCount). CREON_LIMIT is this project's
    // code for that refusal, as JTS and the simulator report it.
    violationCode: 'CREON_LIMIT',
    description: 'Creon (Daishin): queries 60 per 15 s, orders (place, cancel) 20 per 15 s.',
  },
  kiwoom: {
    id: 'kiwoom',
    rules: [{ id: 'requests', limit: 5, windowMs: 1_000 }],
    defaultCosts: [{ rule: 'requests' }],
    safetyMargin: PRESET_SAFETY_MARGIN,
    violationCode: '1700',
    description:
      'Kiwoom REST: no published limit; conservative default 5 requests per second, override rule ' +
      "'requests' in configuration. Over the limit Kiwoom answers return_code 5 with message code 1700.",
  },
});

export const RATE_PRESET_IDS = Object.freeze(Object.keys(RATE_LIMIT_PRESETS) as RatePresetId[]);

export function isRatePresetId(value: unknown): value is RatePresetId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RATE_LIMIT_PRESETS, value);
}

/** Presets are shared by every limiter and by the simulator: nobody may change them in place. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
