import { AuthenticationError, BrokerTimeoutError, BrokerUnavailableError, RateLimitExceededError } from '@qts/broker-domain';
import { SecretText } from '../credentials/secret-text';
import { KiwoomTokenIssuer, parseKiwoomExpiry } from '../kiwoom/kiwoom-token-issuer';
import { KisTokenIssuer } from './kis-token-issuer';

const APP_KEY = 'PS-app-key-secret';
const APP_SECRET = 'app-secret-value';

function fetchAnswering(status: number, body: unknown) {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  return {
    seen,
    fetch: async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
    },
  };
}

const kis = (fetch: (url: string, init: RequestInit) => Promise<Response>) =>
  new KisTokenIssuer({ brokerId: 'kis', baseUrl: 'http://127.0.0.1:9/', appKey: new SecretText(APP_KEY), appSecret: new SecretText(APP_SECRET), fetch, now: () => Date.UTC(2026, 0, 5) });

function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => {
    throw new Error('expected a failure');
  }, (error: Error) => error);
}

describe('KisTokenIssuer', () => {
  it('posts grant_type, appkey and appsecret to /oauth2/tokenP and reads access_token_token_expired (KST)', async () => {
    const answer = fetchAnswering(200, {
      access_token: 'eyJ-token',
      token_type: 'Bearer',
      expires_in: 86400,
      access_token_token_expired: '2026-01-06 09:00:00',
    });

    const issued = await kis(answer.fetch).issue();

    expect(issued).toEqual({ token: 'eyJ-token', expiresAt: Date.parse('2026-01-06T00:00:00Z') });
    expect(answer.seen[0].url).toBe('http://127.0.0.1:9/oauth2/tokenP');
    expect(JSON.parse(answer.seen[0].init.body as string)).toEqual({ grant_type: 'client_credentials', appkey: APP_KEY, appsecret: APP_SECRET });
  });

  it('falls back to expires_in when the expiry stamp is unreadable', async () => {
    const issued = await kis(fetchAnswering(200, { access_token: 't', expires_in: 60 }).fetch).issue();

    expect(issued.expiresAt).toBe(Date.UTC(2026, 0, 5) + 60_000);
  });

  it.each([
    [403, { error_code: 'EGW00133', error_description: '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)' }, RateLimitExceededError, /EGW00133/],
    [403, { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' }, AuthenticationError, /EGW00103/],
    [401, '', AuthenticationError, /HTTP 401/],
    [502, '<html>bad gateway</html>', BrokerUnavailableError, /HTTP 502/],
  ])('maps HTTP %p %p to %p', async (status, body, errorClass, message) => {
    const error = await failureOf(kis(fetchAnswering(status, body).fetch).issue());

    expect(error).toBeInstanceOf(errorClass);
    expect(error.message).toMatch(message);
    expect(JSON.stringify({ ...error, message: error.message })).not.toMatch(new RegExp(`${APP_KEY}|${APP_SECRET}`));
  });

  it('reports a timeout and a refused connection without the credentials', async () => {
    const timedOut = kis(async () => {
      throw new DOMException('timed out', 'TimeoutError');
    });
    const refused = kis(async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    });

    await expect(timedOut.issue()).rejects.toBeInstanceOf(BrokerTimeoutError);
    await expect(refused.issue()).rejects.toBeInstanceOf(BrokerUnavailableError);
  });
});

describe('KiwoomTokenIssuer', () => {
  const kiwoom = (fetch: (url: string, init: RequestInit) => Promise<Response>) =>
    new KiwoomTokenIssuer({ brokerId: 'kiwoom', baseUrl: 'http://127.0.0.1:9', appKey: new SecretText(APP_KEY), appSecret: new SecretText(APP_SECRET), fetch });

  it('posts grant_type, appkey and secretkey to /oauth2/token and reads expires_dt (KST)', async () => {
    const answer = fetchAnswering(200, { expires_dt: '20260106090000', token_type: 'bearer', token: 'kw-token', return_code: 0, return_msg: '정상적으로 처리되었습니다' });

    const issued = await kiwoom(answer.fetch).issue();

    expect(issued).toEqual({ token: 'kw-token', expiresAt: Date.parse('2026-01-06T00:00:00Z') });
    expect(answer.seen[0].url).toBe('http://127.0.0.1:9/oauth2/token');
    expect(JSON.parse(answer.seen[0].init.body as string)).toEqual({ grant_type: 'client_credentials', appkey: APP_KEY, secretkey: APP_SECRET });
  });

  it.each([
    [{ return_code: 3, return_msg: '[8001:App Key와 Secret Key 검증에 실패했습니다]' }, 200, AuthenticationError],
    [{ return_code: 3, return_msg: '[8030:투자구분(실전/모의)이 달라서 Appkey를 사용할수가 없습니다]' }, 200, AuthenticationError],
    [{ return_code: 5, return_msg: '허용된 요청 개수를 초과하였습니다[1700:...]' }, 429, RateLimitExceededError],
    ['gateway down', 503, BrokerUnavailableError],
    [{ return_code: 0, token: 'x' }, 200, AuthenticationError],
  ])('maps %p (HTTP %p) to %p', async (body, status, errorClass) => {
    await expect(kiwoom(fetchAnswering(status, body).fetch).issue()).rejects.toBeInstanceOf(errorClass);
  });

  it('reads expires_dt strictly', () => {
    expect(parseKiwoomExpiry('20261231235959')).toBe(Date.parse('2026-12-31T14:59:59Z'));
    expect(parseKiwoomExpiry('2026-12-31')).toBeUndefined();
    expect(parseKiwoomExpiry(undefined)).toBeUndefined();
  });
});
