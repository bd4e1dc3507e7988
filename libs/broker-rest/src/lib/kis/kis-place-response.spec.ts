import accepted from './fixtures/order-cash-accepted.json';
import acceptedPaper from './fixtures/order-cash-accepted-paper.json';
import rateLimited from './fixtures/order-cash-rate-limited.json';
import rejected1001 from './fixtures/order-cash-rejected-1001.json';
import { parseKisPlaceResponse } from './kis-place-response';

describe('parseKisPlaceResponse', () => {
  it('reads a real-server success: ODNO, KRX_FWDG_ORD_ORGNO and ORD_TMD', () => {
    expect(parseKisPlaceResponse(accepted)).toEqual({
      kind: 'accepted',
      orderNo: '0000117057',
      branchNo: '91252',
      orderTime: '121052',
      messageCode: 'APBK0013',
      message: '주문 전송 완료 되었습니다.',
    });
  });

  it('reads a paper-server success', () => {
    expect(parseKisPlaceResponse(acceptedPaper)).toMatchObject({
      kind: 'accepted',
      orderNo: '0000004251',
      branchNo: '00950',
    });
  });

  it('reads a refusal: rt_cd other than "0" with msg_cd and msg1', () => {
    expect(parseKisPlaceResponse(rateLimited)).toEqual({
      kind: 'rejected',
      rtCd: '1',
      messageCode: 'EGW00201',
      message: '초당 거래건수를 초과하였습니다.',
    });
    expect(parseKisPlaceResponse(rejected1001)).toMatchObject({ kind: 'rejected', messageCode: '1001' });
  });

  it.each([
    ['a non-object body', '<html>502 Bad Gateway</html>'],
    ['a missing rt_cd', { msg_cd: 'X' }],
    ['success without output', { rt_cd: '0', msg_cd: 'APBK0013', msg1: '' }],
    ['success without ODNO', { rt_cd: '0', output: { KRX_FWDG_ORD_ORGNO: '91252' } }],
    ['an array', []],
  ])('calls %s malformed', (_label, body) => {
    expect(parseKisPlaceResponse(body)).toMatchObject({ kind: 'malformed' });
  });

  it('accepts lower-case output keys and a numeric rt_cd 0', () => {
    expect(
      parseKisPlaceResponse({ rt_cd: 0, output: { odno: '1', krx_fwdg_ord_orgno: '2', ord_tmd: '090000' } }),
    ).toMatchObject({
      kind: 'accepted',
      orderNo: '1',
      branchNo: '2',
      messageCode: '',
      message: '',
    });
  });
});
