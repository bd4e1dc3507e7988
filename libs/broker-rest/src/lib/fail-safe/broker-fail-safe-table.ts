import { FailSafeCode } from '@qts/broker-domain';

/**
 * Transport conditions, the same for every REST broker: 'timeout' and 'network' (connection lost after
 * the request went out) leave an order's outcome unknown; 'connection' means nothing was sent.
 */
export type TransportCondition =
  'timeout' | 'network' | 'connection' | 'http-401' | 'http-403' | 'http-429' | 'http-5xx';

export interface BrokerFailSafeRule {
  readonly code: FailSafeCode;
  readonly meaning: string;
  /** KIS `msg_cd` values (rt_cd != "0") that map to this code. */
  readonly kisMessageCodes: readonly string[];
  /**
   * Kiwoom message codes, the number in brackets of `return_msg` (e.g. "[1700:...]"), and the 6-digit
   * order-system codes Kiwoom nests in a "[2000](855056:...)" refusal.
   */
  readonly kiwoomMessageCodes: readonly string[];
  /** Kiwoom `return_code` values, used only when `return_msg` carries no message code. */
  readonly kiwoomReturnCodes: readonly string[];
  readonly transport: readonly TransportCondition[];
  /**
   * Whether the consecutive-failure guard counts it. Business answers of a healthy broker (rejected order,
   * insufficient funds, invalid input) do not; failures of the broker or of the way we reach it do.
   */
  readonly countsTowardGuard: boolean;
  readonly operatorAction: string;
}

/**
 * THE table of broker error -> fail-safe code. The KIS and Kiwoom mappers read it, the consecutive-failure
 * guard reads `countsTowardGuard` from it and docs/fail-safe-codes.md documents it (a spec keeps them in
 * step). KIS 1001 -> FS040, 3005 -> FS041 and timeout -> FS042 are kept for the strategies that key on them.
 * Sources of the broker codes: KIS koreainvestment/open-trading-api (README, examples_user/kis_auth.py,
 * legacy/rest/current_price_samle.py: EGW00123, EGW00201, EGW00133) and the python-kis client (APBK0919
 * market not open, APBK0656 no such product, OPSQ2000 "INPUT INVALID_CHECK_ACNO" account not bound to the app
 * key, OPSQ2001 "INPUT INVALID_CHECK_<field>" an input field refused: Soju06/python-kis issue #81, 2026-02-10); Kiwoom Kiwoom-Securities/Kiwoom-REST-API kiwoom/core/errors.py
 * and kiwoom/core/client.py (message codes 1xxx and 8xxx, token recovery on 8005/8031/8103).
 */
export const BROKER_FAIL_SAFE_TABLE: readonly BrokerFailSafeRule[] = Object.freeze([
  {
    code: FailSafeCode.FS040,
    meaning: 'Broker rejected the order',
    kisMessageCodes: ['1001', 'APBK0919'],
    kiwoomMessageCodes: ['2000'],
    kiwoomReturnCodes: ['1', '2'],
    transport: [],
    countsTowardGuard: false,
    operatorAction:
      'Read the broker message in the response; fix the strategy or the order. Nothing was placed.',
  },
  {
    code: FailSafeCode.FS041,
    meaning: 'Business-rule rejection: insufficient cash or holdings',
    kisMessageCodes: ['3005', 'APBK0952'],
    kiwoomMessageCodes: ['855056'],
    kiwoomReturnCodes: [],
    transport: [],
    countsTowardGuard: false,
    operatorAction: 'Check the account balance and positions. Nothing was placed.',
  },
  {
    code: FailSafeCode.FS042,
    meaning: 'Timeout or connection lost after sending: the order outcome is unknown',
    kisMessageCodes: [],
    kiwoomMessageCodes: [],
    kiwoomReturnCodes: [],
    transport: ['timeout', 'network'],
    countsTowardGuard: true,
    operatorAction:
      'Do NOT re-send. The worker marks the order UNKNOWN and reconciles it with the broker; if it cannot, look the order up in the broker HTS.',
  },
  {
    code: FailSafeCode.FS043,
    meaning: 'Rate limited by the broker',
    kisMessageCodes: ['EGW00201', 'EGW00133'],
    kiwoomMessageCodes: ['1700', '1701', '1702', '1687'],
    kiwoomReturnCodes: ['5'],
    transport: ['http-429'],
    countsTowardGuard: true,
    operatorAction:
      'Nothing was placed. Lower the request rate or the rate-limit share of this process; KIS token reissue (EGW00133) is allowed once a minute.',
  },
  {
    code: FailSafeCode.FS044,
    meaning: 'Broker unavailable (not reachable, server error, or not configured)',
    kisMessageCodes: [],
    kiwoomMessageCodes: [],
    kiwoomReturnCodes: [],
    transport: ['connection', 'http-5xx'],
    countsTowardGuard: true,
    operatorAction:
      'Check the broker/JTS server and the network; the broker health endpoint shows the connection state.',
  },
  {
    code: FailSafeCode.FS045,
    meaning:
      'Broker authentication failed (token expired or invalid, keys refused, account not bound to the key)',
    kisMessageCodes: ['EGW00123', 'EGW00121', 'EGW00103', 'EGW00105', 'OPSQ2000'],
    kiwoomMessageCodes: [
      '1513',
      '1514',
      '1515',
      '1516',
      '8001',
      '8002',
      '8003',
      '8005',
      '8006',
      '8009',
      '8010',
      '8011',
      '8012',
      '8015',
      '8016',
      '8020',
      '8030',
      '8031',
      '8040',
      '8050',
      '8103',
    ],
    kiwoomReturnCodes: [],
    transport: ['http-401', 'http-403'],
    countsTowardGuard: true,
    operatorAction:
      'Renew the access token or the app key/secret; check that real and paper keys are not mixed (Kiwoom 8030/8031) and that the IP is registered.',
  },
  {
    code: FailSafeCode.FS046,
    meaning: 'Consecutive-failure guard tripped',
    kisMessageCodes: [],
    kiwoomMessageCodes: [],
    kiwoomReturnCodes: [],
    transport: [],
    countsTowardGuard: false,
    operatorAction:
      'Find the cause of the failures (worker logs, broker health), then reset: gRPC ResetFailSafe or POST /admin/fail-safe/reset.',
  },
  {
    code: FailSafeCode.FS047,
    meaning: 'Live trading not allowed (NoopBroker)',
    kisMessageCodes: [],
    kiwoomMessageCodes: [],
    kiwoomReturnCodes: [],
    transport: [],
    countsTowardGuard: false,
    operatorAction:
      'Expected for REAL accounts while LIVE_TRADING_ENABLED=false, or when the broker/account is not configured. Set LIVE_TRADING_ENABLED=true only deliberately.',
  },
  {
    code: FailSafeCode.FS048,
    meaning: 'Invalid order (rejected before or by input validation)',
    kisMessageCodes: ['APBK0656', 'OPSQ2001'],
    kiwoomMessageCodes: ['1511', '1517', '1901', '1902'],
    kiwoomReturnCodes: [],
    transport: [],
    countsTowardGuard: false,
    operatorAction: 'Fix the intent (symbol, quantity, price on the KRX tick grid). Nothing was placed.',
  },
  {
    code: FailSafeCode.FS049,
    meaning: 'Unclassified broker error',
    kisMessageCodes: [],
    kiwoomMessageCodes: ['1999'],
    kiwoomReturnCodes: [],
    transport: [],
    countsTowardGuard: true,
    operatorAction:
      'The broker refused with a code this table does not know yet: read the code in the message, add it to BROKER_FAIL_SAFE_TABLE and the doc.',
  },
  {
    code: FailSafeCode.FS050,
    meaning: 'Expired (EXPIRED): not sent before its expiry; final, never sent',
    kisMessageCodes: [],
    kiwoomMessageCodes: [],
    kiwoomReturnCodes: [],
    transport: [],
    countsTowardGuard: false,
    operatorAction:
      'Nothing was placed: it waited past its expires_at (behind an unknown order of its symbol, a permit, an outage). Submit a new intent if still wanted.',
  },
] satisfies BrokerFailSafeRule[]);

/** The rule of a code. Every FailSafeCode has exactly one (a spec checks it). */
export function failSafeRuleOf(code: FailSafeCode): BrokerFailSafeRule {
  const rule = BROKER_FAIL_SAFE_TABLE.find((candidate) => candidate.code === code);
  if (rule === undefined) {
    throw new Error(`no fail-safe rule for ${code}`);
  }
  return rule;
}

/** Lookup from a broker code to its fail-safe code, built from one column of the table. */
export function failSafeIndex(
  column: (rule: BrokerFailSafeRule) => readonly string[],
): ReadonlyMap<string, FailSafeCode> {
  const index = new Map<string, FailSafeCode>();
  for (const rule of BROKER_FAIL_SAFE_TABLE) {
    for (const key of column(rule)) {
      index.set(key, rule.code);
    }
  }
  return index;
}

/**
 * Whether a refusal with this code is a business answer of a working broker (rejected order, insufficient
 * funds or holdings, invalid order): such answers never count toward the consecutive-failure guard.
 */
export function isBusinessRefusalCode(code: FailSafeCode): boolean {
  return code === FailSafeCode.FS040 || code === FailSafeCode.FS041 || code === FailSafeCode.FS048;
}

/**
 * Broker wording of "not enough cash or holdings", for refusals whose code the table does not know: KIS
 * and Kiwoom use several codes for it (KIS 3005, APBK0952; Kiwoom [2000](855056:...)), and their messages
 * are stable where the codes are not.
 */
export function saysInsufficientFunds(message: string | undefined): boolean {
  return (
    message !== undefined &&
    /주문가능(금액|수량).*초과|매도가능수량.*(초과|부족)|가능수량.*부족|증거금.*부족|예수금.*부족|잔고.*부족|insufficient/i.test(
      message,
    )
  );
}

/** The fail-safe code of a transport condition (timeout, connection, HTTP status class). */
export function failSafeForTransport(condition: TransportCondition): FailSafeCode {
  return TRANSPORT_INDEX.get(condition) ?? FailSafeCode.FS049;
}

const TRANSPORT_INDEX = failSafeIndex((rule) => rule.transport);

/** The transport condition of an HTTP status without a readable broker answer, if it has one. */
export function transportConditionOfHttpStatus(status: number): TransportCondition | undefined {
  if (status === 401) return 'http-401';
  if (status === 403) return 'http-403';
  if (status === 429) return 'http-429';
  if (status >= 500 && status <= 599) return 'http-5xx';
  return undefined;
}
