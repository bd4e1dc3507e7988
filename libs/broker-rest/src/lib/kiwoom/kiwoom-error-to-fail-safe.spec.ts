import { FailSafeCode } from '@qts/broker-domain';
import marginShort from './fixtures/kt10000-margin-short.json';
import mixedEnvironment from './fixtures/kt10000-mixed-environment.json';
import otherLimit from './fixtures/kt10000-other-limit-1634.json';
import rateLimitedWithoutCode from './fixtures/kt10000-rate-limited-without-code.json';
import rateLimited from './fixtures/kt10000-rate-limited.json';
import rejectedNoCode from './fixtures/kt10000-rejected-no-code.json';
import tokenInvalid from './fixtures/kt10000-token-invalid.json';
import unknownSymbol from './fixtures/kt10000-unknown-symbol.json';
import {
  KIWOOM_ERROR_TO_SAFETY,
  kiwoomMessageCode,
  mapKiwoomErrorToFailSafe,
} from './kiwoom-error-to-fail-safe';

function fromFixture(fixture: { return_code: number; return_msg: string }) {
  return mapKiwoomErrorToFailSafe({
    returnCode: fixture.return_code,
    message: fixture.return_msg,
    httpStatus: 200,
  });
}

describe('mapKiwoomErrorToFailSafe', () => {
  it('maps return_code 5 with message code 1700 (rate limit) to FS043', () => {
    expect(fromFixture(rateLimited)).toBe(FailSafeCode.FS043);
  });

  it('maps return_code 5 without a message code to FS043 too', () => {
    expect(fromFixture(rateLimitedWithoutCode)).toBe(FailSafeCode.FS043);
  });

  it('does not take return_code 5 with another message code ([1634]) for the rate limit', () => {
    expect(fromFixture(otherLimit)).toBe(FailSafeCode.FS049);
  });

  it.each([
    ['token invalid [8005]', tokenInvalid, FailSafeCode.FS045],
    ['real/paper key mix-up [8030]', mixedEnvironment, FailSafeCode.FS045],
    ['unknown symbol [1902]', unknownSymbol, FailSafeCode.FS048],
    ['insufficient margin [2000](855056:...), a business refusal', marginShort, FailSafeCode.FS041],
    ['short holdings for a sell [2000](855057:매도가능수량이 부족합니다), by its wording', { return_code: 20, return_msg: '[2000](855057:매도가능수량이 부족합니다.)' }, FailSafeCode.FS041],
    ['an order-system refusal [2000] with an unknown nested code', { return_code: 20, return_msg: '[2000](999999:주문이 거부되었습니다)' }, FailSafeCode.FS040],
    ['the rate limit as return_code 1700 itself', { return_code: 1700, return_msg: '허용된 요청 개수를 초과하였습니다' }, FailSafeCode.FS043],
    ['rate limits 1701 and 1702', { return_code: 5, return_msg: '[1702:...]' }, FailSafeCode.FS043],
    ['return_code 1 without message code', rejectedNoCode, FailSafeCode.FS040],
  ])('maps %s', (_label, fixture, code) => {
    expect(fromFixture(fixture)).toBe(code);
  });

  it('maps transport failures and HTTP statuses', () => {
    expect(mapKiwoomErrorToFailSafe('timeout')).toBe(FailSafeCode.FS042);
    expect(mapKiwoomErrorToFailSafe({ transport: 'network' })).toBe(FailSafeCode.FS042);
    expect(mapKiwoomErrorToFailSafe({ transport: 'connection' })).toBe(FailSafeCode.FS044);
    expect(mapKiwoomErrorToFailSafe({ httpStatus: 503 })).toBe(FailSafeCode.FS044);
    expect(mapKiwoomErrorToFailSafe({ httpStatus: 401 })).toBe(FailSafeCode.FS045);
    expect(mapKiwoomErrorToFailSafe({ httpStatus: 429 })).toBe(FailSafeCode.FS043);
    expect(mapKiwoomErrorToFailSafe({ returnCode: 99 })).toBe(FailSafeCode.FS049);
  });

  it('accepts a bare message code', () => {
    expect(mapKiwoomErrorToFailSafe('1700')).toBe(FailSafeCode.FS043);
    expect(mapKiwoomErrorToFailSafe('8103')).toBe(FailSafeCode.FS045);
    expect(mapKiwoomErrorToFailSafe('1999')).toBe(FailSafeCode.FS049);
  });

  it('reads the bracketed message code of a return_msg', () => {
    expect(kiwoomMessageCode(rateLimited.return_msg)).toBe('1700');
    expect(kiwoomMessageCode(otherLimit.return_msg)).toBe('1634');
    expect(kiwoomMessageCode(marginShort.return_msg)).toBe('2000');
    expect(kiwoomMessageCode('허용된 요청 개수를 초과하였습니다[유량=5]')).toBeUndefined();
    expect(kiwoomMessageCode(undefined)).toBeUndefined();
  });

  it('publishes the Kiwoom columns of the table as KIWOOM_ERROR_TO_SAFETY', () => {
    expect(KIWOOM_ERROR_TO_SAFETY).toMatchObject({
      '1700': FailSafeCode.FS043,
      '1687': FailSafeCode.FS043,
      '8005': FailSafeCode.FS045,
      '1902': FailSafeCode.FS048,
      'return_code=5': FailSafeCode.FS043,
      'return_code=1': FailSafeCode.FS040,
      timeout: FailSafeCode.FS042,
    });
  });
});
