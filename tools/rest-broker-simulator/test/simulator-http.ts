/** TEST-ONLY: requests to a running REST broker simulator as a KIS or Kiwoom client would send them. */

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

async function exchange(url: string, init: RequestInit): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

export function kisClient(port: number, appKey = 'PSkis-test-key', appSecret = 'kis-test-secret') {
  const base = `http://127.0.0.1:${port}`;
  let token = '';
  return {
    async issueToken(overrides: Record<string, string> = {}): Promise<HttpAnswer> {
      const answer = await exchange(`${base}/oauth2/tokenP`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', appkey: appKey, appsecret: appSecret, ...overrides }),
      });
      if (typeof answer.body['access_token'] === 'string') token = answer.body['access_token'];
      return answer;
    },
    get token(): string {
      return token;
    },
    set token(value: string) {
      token = value;
    },
    get(path: string, trId: string, query: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpAnswer> {
      return exchange(`${base}${path}?${new URLSearchParams(query)}`, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, appkey: appKey, appsecret: appSecret, tr_id: trId, custtype: 'P', ...headers },
      });
    },
    post(path: string, trId: string, body: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpAnswer> {
      return exchange(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, appkey: appKey, appsecret: appSecret, tr_id: trId, custtype: 'P', ...headers },
        body: JSON.stringify(body),
      });
    },
  };
}

export function kiwoomClient(port: number, appKey = 'kiwoom-test-key', secretKey = 'kiwoom-test-secret') {
  const base = `http://127.0.0.1:${port}`;
  let token = '';
  return {
    async issueToken(overrides: Record<string, string> = {}): Promise<HttpAnswer> {
      const answer = await exchange(`${base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8' },
        body: JSON.stringify({ grant_type: 'client_credentials', appkey: appKey, secretkey: secretKey, ...overrides }),
      });
      if (typeof answer.body['token'] === 'string') token = answer.body['token'];
      return answer;
    },
    set token(value: string) {
      token = value;
    },
    post(path: string, apiId: string, body: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpAnswer> {
      return exchange(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8', authorization: `Bearer ${token}`, 'api-id': apiId, ...headers },
        body: JSON.stringify(body),
      });
    },
  };
}

export function adminClient(port: number) {
  const base = `http://127.0.0.1:${port}/admin`;
  return {
    stats: () => exchange(`${base}/stats`, { method: 'GET' }),
    get: (path: string) => exchange(`${base}${path}`, { method: 'GET' }),
    post: (path: string, body?: unknown) =>
      exchange(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
  };
}
