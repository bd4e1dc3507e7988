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
  /** Operations served first, which may use the reserve (trading). */
  readonly priorityOperations: readonly string[];
  /** Default part of each rule only priority operations may use (floor(limit * ratio)). */
  readonly priorityReserve: number;
  /** What the broker answers when a rule is exceeded (the simulator answers the same). */
  readonly violationCode: 'EGW00201' | 'CREON_LIMIT' | '1700';
  /** Per-rule codes where a rule has its own (KIS token reissue: EGW00133); else `violationCode`. */
  readonly ruleViolationCodes?: Readonly<Record<string, string>>;
  readonly description: string;
}

/**
 * No padding on preset windows. A grant holds its slot from the moment its request leaves until its
 * answer arrives, plus the window: the broker counts the request somewhere in between, so however the
 * network or the broker delays it, it falls in no broker window together with more than the limit.
 * A padding would only cost throughput (50 ms cost 5 % of a 1 s window). Configurable per broker.
 */
export const PRESET_SAFETY_MARGIN: Readonly<RateLimitSafetyMargin> = Object.freeze({});

/**
 * Trading: placing, cancelling and looking up orders. Served before market data and accounts, and
 * allowed to use the reserve, so that orders never starve behind reads.
 */
export const TRADING_OPERATIONS: readonly string[] = Object.freeze(['placeOrder', 'cancelOrder', 'getOrderStatus']);

/**
 * Default trading reserve: floor(limit * 0.1) of each rule. 2 of KIS real's 20 per second, 6 of Creon's
 * 60 queries per 15 s, and nothing of KIS paper's 2 per second, where a reserve of 1 would halve what
 * reads can ever use (trading is still served first there). Configurable per broker (`tradingReserve`).
 */
export const DEFAULT_TRADING_RESERVE = 0.1;

/*
 * Broker limits change (KIS has changed its published figures more than once): each preset names its source
 * and when it was checked. Overridable per broker in the brokers YAML (`rateLimit.rules`).
 */

/*
 * KIS, real and paper (checked 2026-12-01):
 * - KIS notice of 2025-08-07, as quoted by velobot-wiki "KIS Open API Runtime Hardening Playbook" (2026-02-25):
 *   REST real 20 requests a second, paper (모의투자) 2 a second, counted per account app key; `/oauth2/tokenP`
 *   1 request a second.
 * - koreainvestment/open-trading-api README.md: token reissue once a minute ("토큰 재발급 - 1분당 1회"); KIS
 *   answers EGW00133 to an earlier reissue, so the token rule keeps the stricter once a minute.
 * - open-trading-api examples_user/kis_auth.py paces requests 0.05 s apart (real) and 0.5 s (paper).
 * Over the request limit KIS answers EGW00201 (HTTP 500).
 */
const KIS_TOKEN_RULE: RateLimitRule = { id: 'token', limit: 1, windowMs: 60_000 };
const KIS_OPERATIONS = { issueToken: [{ rule: 'requests' }, { rule: 'token' }] };

/*
 * Kiwoom REST (checked 2026-12-01): no published request limit. Kiwoom-Securities/Kiwoom-REST-API examples
 * pace requests 0.2 s apart (`REQUEST_DELAY_SECONDS`), and the OpenAPI+ COM client documents 5 queries a second:
 * 5 a second is the conservative default. Over a limit Kiwoom answers return_code 5, message code 1700.
 * Token issuance (au10001, `/oauth2/token`) has no published limit either; the preset allows one issuance a
 * second per app key, the figure KIS publishes for its token endpoint, so a server that keeps refusing tokens
 * cannot make the platform issue one for every request (a token lives about 24 hours: a second issuance within
 * a second is never needed).
 */
const KIWOOM_TOKEN_RULE: RateLimitRule = { id: 'token', limit: 1, windowMs: 1_000 };
const KIWOOM_OPERATIONS = { issueToken: [{ rule: 'requests' }, { rule: 'token' }] };

/*
 * Creon (checked 2026-12-01): CYBOS Plus interface guide, "요청제한" (money2.creontrade.com HTS_Plus_Helper,
 * 2017-05-30; mirrored at cybosplus.github.io): quote requests (RQ) 60 per 15 s, order objects 20 per 15 s,
 * real-time subscriptions (SB) 400.
 */

export const RATE_LIMIT_PRESETS: Readonly<Record<RatePresetId, RatePreset>> = deepFreeze({
  'kis-real': {
    id: 'kis-real',
    rules: [{ id: 'requests', limit: 20, windowMs: 1_000 }, KIS_TOKEN_RULE],
    operations: KIS_OPERATIONS,
    defaultCosts: [{ rule: 'requests' }],
    safetyMargin: PRESET_SAFETY_MARGIN,
    priorityOperations: TRADING_OPERATIONS,
    priorityReserve: DEFAULT_TRADING_RESERVE,
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
    priorityOperations: TRADING_OPERATIONS,
    priorityReserve: DEFAULT_TRADING_RESERVE,
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
    priorityOperations: TRADING_OPERATIONS,
    priorityReserve: DEFAULT_TRADING_RESERVE,
    // Creon Plus (COM) has no wire error code for this: it refuses the request through its request
    // status and exposes the remaining budget (GetLimitRemainCount). CREON_LIMIT is this project's
    // code for that refusal, as JTS and the simulator report it.
    violationCode: 'CREON_LIMIT',
    description: 'Creon (Daishin): queries 60 per 15 s, orders (place, cancel) 20 per 15 s.',
  },
  kiwoom: {
    id: 'kiwoom',
    rules: [{ id: 'requests', limit: 5, windowMs: 1_000 }, KIWOOM_TOKEN_RULE],
    operations: KIWOOM_OPERATIONS,
    defaultCosts: [{ rule: 'requests' }],
    safetyMargin: PRESET_SAFETY_MARGIN,
    priorityOperations: TRADING_OPERATIONS,
    priorityReserve: DEFAULT_TRADING_RESERVE,
    violationCode: '1700',
    description:
      'Kiwoom REST: no published limit; conservative default 5 requests per second, override rule ' +
      "'requests' in configuration. Over the limit Kiwoom answers return_code 5 with message code 1700. " +
      'Token issuance at most once a second per app key (no published figure).',
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
