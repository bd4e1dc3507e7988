import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FAIL_SAFE_CODES,
  FailSafeCode,
  failSafeCodeForError,
  OrderOutcomeUnknownError,
  RateLimitExceededError,
} from '@qts/broker-domain';
import {
  BROKER_FAIL_SAFE_TABLE,
  failSafeForTransport,
  failSafeRuleOf,
  transportConditionOfHttpStatus,
} from './broker-fail-safe-table';
import { brokerRefusalError } from './broker-refusal-error';
import { UnclassifiedBrokerError } from './unclassified-broker-error';

const DOC = readFileSync(join(__dirname, '../../../../../docs/fail-safe-codes.md'), 'utf8');

describe('BROKER_FAIL_SAFE_TABLE', () => {
  it('has exactly one rule for every fail-safe code', () => {
    const codes = BROKER_FAIL_SAFE_TABLE.map((rule) => rule.code);

    expect([...codes].sort()).toEqual(Object.keys(FAIL_SAFE_CODES).sort());
  });

  it('maps no broker code or transport condition to two fail-safe codes', () => {
    const columns = [
      (rule: (typeof BROKER_FAIL_SAFE_TABLE)[number]) => rule.kisMessageCodes,
      (rule: (typeof BROKER_FAIL_SAFE_TABLE)[number]) => rule.kiwoomMessageCodes,
      (rule: (typeof BROKER_FAIL_SAFE_TABLE)[number]) => rule.kiwoomReturnCodes,
      (rule: (typeof BROKER_FAIL_SAFE_TABLE)[number]) => rule.transport,
    ];
    for (const column of columns) {
      const keys = BROKER_FAIL_SAFE_TABLE.flatMap(column);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('keeps the published mappings 1001 -> FS040 and 3005 -> FS041 and timeout -> FS042', () => {
    expect(failSafeRuleOf(FailSafeCode.FS040).kisMessageCodes).toContain('1001');
    expect(failSafeRuleOf(FailSafeCode.FS041).kisMessageCodes).toContain('3005');
    expect(failSafeForTransport('timeout')).toBe(FailSafeCode.FS042);
  });

  it('classifies HTTP statuses without a broker answer', () => {
    expect(transportConditionOfHttpStatus(401)).toBe('http-401');
    expect(transportConditionOfHttpStatus(403)).toBe('http-403');
    expect(transportConditionOfHttpStatus(429)).toBe('http-429');
    expect(transportConditionOfHttpStatus(502)).toBe('http-5xx');
    expect(transportConditionOfHttpStatus(404)).toBeUndefined();
    expect(failSafeForTransport('http-5xx')).toBe(FailSafeCode.FS044);
    expect(failSafeForTransport('connection')).toBe(FailSafeCode.FS044);
  });

  it('is documented row by row in docs/fail-safe-codes.md', () => {
    for (const rule of BROKER_FAIL_SAFE_TABLE) {
      const row = DOC.split('\n').find((line) => line.startsWith(`| ${rule.code} |`));
      expect(row).toBeDefined();
      expect(row).toContain(rule.meaning);
      expect(row).toContain(rule.operatorAction);
      expect(row).toMatch(rule.countsTowardGuard ? /\|\s*yes\s*\|/ : /\|\s*no\s*\|/);
      for (const code of [...rule.kisMessageCodes, ...rule.kiwoomMessageCodes]) {
        expect(row).toContain(`\`${code}\``);
      }
    }
  });
});

describe('brokerRefusalError', () => {
  const brokerCodes: FailSafeCode[] = [
    FailSafeCode.FS040,
    FailSafeCode.FS041,
    FailSafeCode.FS042,
    FailSafeCode.FS043,
    FailSafeCode.FS044,
    FailSafeCode.FS045,
    FailSafeCode.FS048,
    FailSafeCode.FS049,
  ];

  it.each(brokerCodes)('builds an error that failSafeCodeForError maps back to %s', (code) => {
    const error = brokerRefusalError(code, 'refused', {
      brokerId: 'kis',
      brokerCode: 'X',
      clientOrderId: 'c-1',
    });

    expect(failSafeCodeForError(error)).toBe(code);
    expect(error.message).toBe('refused');
  });

  it('keeps the broker code, the clientOrderId of an unknown outcome and a retry hint', () => {
    const unknown = brokerRefusalError(FailSafeCode.FS042, 'timeout', {
      brokerId: 'kis',
      clientOrderId: 'c-1',
    });
    const limited = brokerRefusalError(FailSafeCode.FS043, 'slow down', {
      brokerId: 'kis',
      brokerCode: 'EGW00201',
    });
    const unclassified = brokerRefusalError(FailSafeCode.FS049, '?', { brokerId: 'kis', brokerCode: 'ZZ' });

    expect(unknown).toBeInstanceOf(OrderOutcomeUnknownError);
    expect((unknown as OrderOutcomeUnknownError).clientOrderId).toBe('c-1');
    expect(limited).toBeInstanceOf(RateLimitExceededError);
    expect((limited as RateLimitExceededError).retryAfterMs).toBe(1_000);
    expect((limited as RateLimitExceededError).details).toEqual({ brokerId: 'kis', brokerCode: 'EGW00201' });
    expect(unclassified).toBeInstanceOf(UnclassifiedBrokerError);
    expect((unclassified as UnclassifiedBrokerError).brokerCode).toBe('ZZ');
  });

  it('treats the execution-layer codes as unclassified when a broker answer is given them', () => {
    expect(failSafeCodeForError(brokerRefusalError(FailSafeCode.FS046, 'x', { brokerId: 'kis' }))).toBe(
      FailSafeCode.FS049,
    );
  });
});
