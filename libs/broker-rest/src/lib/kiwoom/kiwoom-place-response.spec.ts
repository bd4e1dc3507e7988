import accepted from './fixtures/kt10000-accepted.json';
import rateLimited from './fixtures/kt10000-rate-limited.json';
import tokenInvalid from './fixtures/kt10000-token-invalid.json';
import cancelAccepted from './fixtures/kt10003-accepted.json';
import { parseKiwoomPlaceResponse } from './kiwoom-place-response';

describe('parseKiwoomPlaceResponse', () => {
  it('reads a success: return_code 0 with ord_no', () => {
    expect(parseKiwoomPlaceResponse(accepted)).toEqual({
      kind: 'accepted',
      orderNo: '0000139',
      message: '매수주문이 완료되었습니다.',
    });
    expect(parseKiwoomPlaceResponse(cancelAccepted)).toMatchObject({ kind: 'accepted', orderNo: '0000140' });
  });

  it('reads a refusal with the bracketed message code of return_msg', () => {
    expect(parseKiwoomPlaceResponse(rateLimited)).toEqual({
      kind: 'rejected',
      returnCode: '5',
      messageCode: '1700',
      message: rateLimited.return_msg,
    });
    expect(parseKiwoomPlaceResponse(tokenInvalid)).toMatchObject({
      kind: 'rejected',
      returnCode: '3',
      messageCode: '8005',
    });
    expect(parseKiwoomPlaceResponse({ return_code: '1', return_msg: '주문이 거부되었습니다' })).toEqual({
      kind: 'rejected',
      returnCode: '1',
      message: '주문이 거부되었습니다',
    });
  });

  it('accepts return_code as a string', () => {
    expect(parseKiwoomPlaceResponse({ return_code: '0', ord_no: '7' })).toMatchObject({
      kind: 'accepted',
      orderNo: '7',
    });
  });

  it.each([
    ['a text body', 'Bad Gateway'],
    ['no return_code', { ord_no: '1' }],
    ['success without ord_no', { return_code: 0, return_msg: 'ok' }],
  ])('calls %s malformed', (_label, body) => {
    expect(parseKiwoomPlaceResponse(body)).toMatchObject({ kind: 'malformed' });
  });
});
