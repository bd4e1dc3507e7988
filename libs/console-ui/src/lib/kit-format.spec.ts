import {
  accountTypeLabel,
  brokerName,
  connectionState,
  formatAge,
  formatClock,
  formatQuantity,
  formatWindow,
  formatWon,
  groupThousands,
  maskAccountNumber,
  usageLevel,
} from '../../assets/format.js';

describe('console kit: format', () => {
  it('names the brokers in Korean as operators know them, with the English name beside', () => {
    expect(brokerName('KIS')).toEqual({ ko: '한국투자증권', en: 'KIS' });
    expect(brokerName('CREON')).toEqual({ ko: '대신증권', en: 'Creon' });
    expect(brokerName('KIWOOM')).toEqual({ ko: '키움증권', en: 'Kiwoom' });
    expect(brokerName('OTHER')).toEqual({ ko: 'OTHER', en: 'OTHER' });
    expect(accountTypeLabel('REAL').ko).toBe('실전투자');
    expect(accountTypeLabel('PAPER').ko).toBe('모의투자');
    expect(accountTypeLabel('X')).toEqual({ ko: 'X', en: 'X' });
  });

  it('colours a connection green, orange, grey or red, always with its word', () => {
    expect(connectionState('CONNECTED')).toMatchObject({ level: 'ok', ko: '연결됨' });
    expect(connectionState('DEGRADED').level).toBe('warn');
    expect(connectionState('CONNECTING').level).toBe('idle');
    expect(connectionState('DISCONNECTED')).toMatchObject({ level: 'limit', ko: '연결 끊김' });
    expect(connectionState('WHATEVER')).toMatchObject({ level: 'idle', en: 'WHATEVER' });
  });

  it('says 정상 below 0.7, 주의 below 0.9 and 제한 from 0.9', () => {
    expect(usageLevel(0)).toMatchObject({ level: 'ok', ko: '정상' });
    expect(usageLevel(0.6999)).toMatchObject({ level: 'ok', ko: '정상' });
    expect(usageLevel(0.7)).toMatchObject({ level: 'warn', ko: '주의' });
    expect(usageLevel(0.8999)).toMatchObject({ level: 'warn', ko: '주의' });
    expect(usageLevel(0.9)).toMatchObject({ level: 'limit', ko: '제한' });
    expect(usageLevel(1.5)).toMatchObject({ level: 'limit', en: 'Limited' });
    expect(usageLevel(Number.NaN).level).toBe('ok');
  });

  it('writes won with thousands separators from decimal strings, never through a float', () => {
    expect(formatWon('52340000')).toBe('₩52,340,000');
    expect(formatWon('100000000')).toBe('₩100,000,000');
    expect(formatWon('999')).toBe('₩999');
    expect(formatWon('0')).toBe('₩0');
    expect(formatWon('-1200.50')).toBe('-₩1,200.5');
    expect(formatWon('-0.00')).toBe('₩0');
    expect(formatWon('0001234')).toBe('₩1,234');
    expect(formatWon('9007199254740993123')).toBe('₩9,007,199,254,740,993,123');
    expect(formatWon(1500)).toBe('₩1,500');
    for (const bad of ['', '1e5', 'abc', '1,000', null, undefined, 1.5, {}]) expect(formatWon(bad)).toBe('—');
    expect(groupThousands('1234567')).toBe('1,234,567');
  });

  it('masks account numbers but the last four letters or digits, keeping the separators', () => {
    expect(maskAccountNumber('50012345-01')).toBe('••••••45-01');
    expect(maskAccountNumber('5012345601')).toBe('••••••5601');
    expect(maskAccountNumber('12345678')).toBe('••••5678');
    expect(maskAccountNumber('123')).toBe('123');
    expect(maskAccountNumber('50012345-01', 2)).toBe('••••••••-01');
    expect(maskAccountNumber(undefined)).toBe('');
  });

  it('writes windows, clocks in Seoul time, ages and quantities', () => {
    expect(formatWindow(1_000)).toBe('1 s');
    expect(formatWindow(15_000)).toBe('15 s');
    expect(formatWindow(60_000)).toBe('1 min');
    expect(formatWindow(250)).toBe('250 ms');
    expect(formatClock('2026-01-05T00:31:05.000Z')).toBe('09:31:05 KST');
    expect(formatClock('2026-01-05T15:00:00.000Z')).toBe('00:00:00 KST');
    expect(formatClock('not a date')).toBe('—');
    const now = Date.parse('2026-01-05T01:00:00.000Z');
    expect(formatAge('2026-01-05T00:59:57.000Z', now)).toEqual({ ko: '3초 전', en: '3 s ago' });
    expect(formatAge('2026-01-05T00:55:00.000Z', now)).toEqual({ ko: '5분 전', en: '5 min ago' });
    expect(formatAge('2026-01-04T22:00:00.000Z', now)).toEqual({ ko: '3시간 전', en: '3 h ago' });
    expect(formatAge('2026-01-05T01:00:09.000Z', now).en).toBe('0 s ago');
    expect(formatAge('nope', now)).toEqual({ ko: '—', en: '—' });
    expect(formatQuantity(1200)).toBe('1,200');
    expect(formatQuantity(-5)).toBe('-5');
    expect(formatQuantity(1.5)).toBe('—');
  });
});
