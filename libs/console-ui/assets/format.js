// Formatting for the operations console: pure functions, no DOM (unit-tested in Node).

/** Names of the brokers as operators know them: the Korean name first, the English one beside it. */
const BROKER_NAMES = {
  KIS: { ko: '한국투자증권', en: 'KIS' },
  CREON: { ko: '대신증권', en: 'Creon' },
  KIWOOM: { ko: '키움증권', en: 'Kiwoom' },
};

export function brokerName(type) {
  return BROKER_NAMES[type] ?? { ko: String(type), en: String(type) };
}

const ACCOUNT_TYPES = {
  REAL: { ko: '실전투자', en: 'Real' },
  PAPER: { ko: '모의투자', en: 'Paper' },
};

export function accountTypeLabel(type) {
  return ACCOUNT_TYPES[type] ?? { ko: String(type), en: String(type) };
}

/** Connection states: the word and the level that colours the dot (ok green, warn orange, limit red, idle grey). */
const CONNECTION = {
  CONNECTED: { ko: '연결됨', en: 'Connected', level: 'ok' },
  DEGRADED: { ko: '불안정', en: 'Degraded', level: 'warn' },
  CONNECTING: { ko: '연결 중', en: 'Connecting', level: 'idle' },
  DISCONNECTED: { ko: '연결 끊김', en: 'Disconnected', level: 'limit' },
};

export function connectionState(status) {
  return CONNECTION[status] ?? { ko: String(status), en: String(status), level: 'idle' };
}

/**
 * The word and level of a rate-limit rule by its usage ratio: 정상 (normal, green) below 0.7, 주의 (caution,
 * orange) below 0.9, 제한 (limited, red) from 0.9 up. A ratio that is not a number counts as 0.
 */
export function usageLevel(ratio) {
  const value = Number.isFinite(ratio) ? ratio : 0;
  if (value < 0.7) return { level: 'ok', ko: '정상', en: 'Normal' };
  if (value < 0.9) return { level: 'warn', ko: '주의', en: 'Caution' };
  return { level: 'limit', ko: '제한', en: 'Limited' };
}

/** "1,234,567" from "1234567": digits only, grouped by three. */
export function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A decimal string (as the APIs send money: "52340000", "-1200.50") as won with thousands separators:
 * "₩52,340,000", "-₩1,200.5". Never goes through a float. Anything else is "—".
 */
export function formatWon(value) {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  const match = typeof text === 'string' ? /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim()) : null;
  if (match === null) return '—';
  const [, sign, whole, fraction] = match;
  const integer = groupThousands(whole.replace(/^0+(?=\d)/, ''));
  const cents = (fraction ?? '').replace(/0+$/, '');
  const negative = sign === '-' && !(/^0+$/.test(whole) && cents === '');
  return `${negative ? '-' : ''}₩${integer}${cents === '' ? '' : `.${cents}`}`;
}

/**
 * An account number with every letter and digit hidden but the last `visible` (default 4); separators stay where
 * they are: "50012345-01" -> "••••••45-01".
 */
export function maskAccountNumber(id, visible = 4) {
  const text = String(id ?? '');
  let toKeep = visible;
  let masked = '';
  for (let index = text.length - 1; index >= 0; index -= 1) {
    const character = text[index];
    if (/[0-9A-Za-z]/.test(character)) {
      masked = (toKeep > 0 ? character : '•') + masked;
      toKeep -= 1;
    } else {
      masked = character + masked;
    }
  }
  return masked;
}

/** A rule's window: "1 s", "15 s", "1 min", "250 ms". */
export function formatWindow(ms) {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}

/** An instant as the wall clock in Seoul: "09:31:05 KST". */
export function formatClock(iso) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '—';
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Seoul',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(time));
  return `${clock} KST`;
}

/** How long ago, in whole seconds, minutes or hours: "3초 전 / 3 s ago". */
export function formatAge(iso, nowMs) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return { ko: '—', en: '—' };
  const seconds = Math.max(0, Math.round((nowMs - time) / 1000));
  if (seconds < 60) return { ko: `${seconds}초 전`, en: `${seconds} s ago` };
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return { ko: `${minutes}분 전`, en: `${minutes} min ago` };
  const hours = Math.floor(minutes / 60);
  return { ko: `${hours}시간 전`, en: `${hours} h ago` };
}

/** A quantity with thousands separators ("1,200"); anything else "—". */
export function formatQuantity(value) {
  return Number.isSafeInteger(value) ? groupThousands(String(Math.abs(value))).replace(/^/, value < 0 ? '-' : '') : '—';
}
