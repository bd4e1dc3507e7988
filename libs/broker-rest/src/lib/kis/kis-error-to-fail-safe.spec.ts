import { FailSafeCode } from '@qts/broker-domain';
import expired from './fixtures/order-cash-token-expired.json';
import invalid from './fixtures/order-cash-token-invalid.json';
import insufficient from './fixtures/order-cash-insufficient-3005.json';
import rateLimited from './fixtures/order-cash-rate-limited.json';
import rejected1001 from './fixtures/order-cash-rejected-1001.json';
import unknownCode from './fixtures/order-cash-unknown-code.json';
import { KIS_ERROR_TO_SAFETY, mapKisErrorToFailSafe } from './kis-error-to-fail-safe';

describe('mapKisErrorToFailSafe', () => {
  it('keeps the published mappings: 1001 -> FS040, 3005 -> FS041, timeout -> FS042', () => {
    expect(mapKisErrorToFailSafe('1001')).toBe(FailSafeCode.FS040);
    expect(mapKisErrorToFailSafe('3005')).toBe(FailSafeCode.FS041);
    expect(mapKisErrorToFailSafe('timeout')).toBe(FailSafeCode.FS042);
    expect(mapKisErrorToFailSafe('TIMEOUT')).toBe(FailSafeCode.FS042);
  });

  it.each([
    [rejected1001, 200, FailSafeCode.FS040],
    [insufficient, 200, FailSafeCode.FS041],
    [rateLimited, 500, FailSafeCode.FS043],
    [expired, 500, FailSafeCode.FS045],
    [invalid, 500, FailSafeCode.FS045],
    [unknownCode, 200, FailSafeCode.FS049],
  ])('maps the fixture with msg_cd %p (HTTP %p) by its code', (fixture, httpStatus, code) => {
    expect(mapKisErrorToFailSafe({ msgCode: fixture.msg_cd, httpStatus })).toBe(code);
  });

  it('maps the real 8-character codes beside the numeric ones', () => {
    expect(mapKisErrorToFailSafe('APBK0919')).toBe(FailSafeCode.FS040);
    expect(mapKisErrorToFailSafe('APBK0952')).toBe(FailSafeCode.FS041);
    expect(mapKisErrorToFailSafe('APBK0656')).toBe(FailSafeCode.FS048);
    expect(mapKisErrorToFailSafe('EGW00103')).toBe(FailSafeCode.FS045);
    // The account of the request is not the app key's: configuration, counted toward the guard.
    expect(mapKisErrorToFailSafe({ msgCode: 'OPSQ2000', message: 'ERROR : INPUT INVALID_CHECK_ACNO', httpStatus: 500 })).toBe(FailSafeCode.FS045);
    expect(mapKisErrorToFailSafe({ msgCode: 'OPSQ2001', message: 'ERROR : INPUT INVALID_CHECK_INQR_DVSN' })).toBe(FailSafeCode.FS048);
  });

  it('takes an unknown code whose message says the cash is short for insufficient funds (not a failure)', () => {
    expect(
      mapKisErrorToFailSafe({ msgCode: 'APBK9998', message: '주문가능금액을 초과 했습니다', httpStatus: 200 }),
    ).toBe(FailSafeCode.FS041);
    expect(mapKisErrorToFailSafe({ msgCode: 'APBK9998', message: '매도가능수량을 초과하였습니다' })).toBe(
      FailSafeCode.FS041,
    );
    expect(mapKisErrorToFailSafe({ msgCode: 'APBK9998', message: '처리할 수 없습니다' })).toBe(FailSafeCode.FS049);
  });

  it('maps EGW00133 (token reissue more than once a minute) as rate limited', () => {
    expect(mapKisErrorToFailSafe('EGW00133')).toBe(FailSafeCode.FS043);
  });

  it('maps transport failures: lost after sending FS042, never connected FS044', () => {
    expect(mapKisErrorToFailSafe({ transport: 'timeout' })).toBe(FailSafeCode.FS042);
    expect(mapKisErrorToFailSafe({ transport: 'network', msgCode: '1001' })).toBe(FailSafeCode.FS042);
    expect(mapKisErrorToFailSafe({ transport: 'connection' })).toBe(FailSafeCode.FS044);
  });

  it('maps HTTP statuses without a known msg_cd by their class', () => {
    expect(mapKisErrorToFailSafe({ httpStatus: 502 })).toBe(FailSafeCode.FS044);
    expect(mapKisErrorToFailSafe({ httpStatus: 401 })).toBe(FailSafeCode.FS045);
    expect(mapKisErrorToFailSafe({ httpStatus: 403 })).toBe(FailSafeCode.FS045);
    expect(mapKisErrorToFailSafe({ httpStatus: 429 })).toBe(FailSafeCode.FS043);
    expect(mapKisErrorToFailSafe({ httpStatus: 400 })).toBe(FailSafeCode.FS049);
    expect(mapKisErrorToFailSafe({})).toBe(FailSafeCode.FS049);
  });

  it('publishes the KIS column of the table as KIS_ERROR_TO_SAFETY', () => {
    expect(KIS_ERROR_TO_SAFETY).toEqual({
      '1001': FailSafeCode.FS040,
      '3005': FailSafeCode.FS041,
      APBK0656: FailSafeCode.FS048,
      APBK0919: FailSafeCode.FS040,
      APBK0952: FailSafeCode.FS041,
      EGW00103: FailSafeCode.FS045,
      EGW00105: FailSafeCode.FS045,
      EGW00201: FailSafeCode.FS043,
      EGW00133: FailSafeCode.FS043,
      EGW00123: FailSafeCode.FS045,
      EGW00121: FailSafeCode.FS045,
      OPSQ2000: FailSafeCode.FS045,
      OPSQ2001: FailSafeCode.FS048,
      timeout: FailSafeCode.FS042,
    });
  });
});
