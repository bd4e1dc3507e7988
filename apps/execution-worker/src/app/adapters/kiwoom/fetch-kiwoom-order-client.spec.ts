import { AuthenticationError } from '@qts/broker-domain';
import { FetchKiwoomOrderClient } from './fetch-kiwoom-order-client';

const TOKEN = 'kiwoom-token-secret';

describe('FetchKiwoomOrderClient', () => {
  it('posts to the real server with api-id and the bearer token', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const client = new FetchKiwoomOrderClient({
      mock: false,
      tokenProvider: { getAccessToken: async () => TOKEN },
      fetch: async (url, init) => {
        seen.push({ url, init });
        return new Response('{"return_code":0,"ord_no":"1"}', { status: 200 });
      },
    });

    const response = await client.post('/api/dostk/ordr', 'kt10000', { stk_cd: '005930' });

    expect(response).toEqual({ status: 200, body: { return_code: 0, ord_no: '1' } });
    expect(seen[0].url).toBe('https://api.kiwoom.com/api/dostk/ordr');
    expect(seen[0].init).toMatchObject({
      method: 'POST',
      body: '{"stk_cd":"005930"}',
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        authorization: `Bearer ${TOKEN}`,
        'api-id': 'kt10000',
      },
    });
  });

  it('talks to the mock server when asked and to a given base URL', async () => {
    const urls: string[] = [];
    const fetch = async (url: string) => {
      urls.push(url);
      return new Response('{}');
    };
    const tokenProvider = { getAccessToken: async () => TOKEN };

    await new FetchKiwoomOrderClient({ mock: true, tokenProvider, fetch }).post(
      '/api/dostk/acnt',
      'kt00007',
      {},
    );
    await new FetchKiwoomOrderClient({
      mock: false,
      tokenProvider,
      fetch,
      baseUrl: 'http://127.0.0.1:9/',
    }).post('/p', 'x', {});

    expect(urls).toEqual(['https://mockapi.kiwoom.com/api/dostk/acnt', 'http://127.0.0.1:9/p']);
  });

  it('sends nothing without a token and does not reveal it', async () => {
    let calls = 0;
    const client = new FetchKiwoomOrderClient({
      mock: true,
      tokenProvider: {
        getAccessToken: async () => {
          throw new Error('issuer down');
        },
      },
      fetch: async () => {
        calls += 1;
        return new Response('{}');
      },
    });

    await expect(client.post('/api/dostk/ordr', 'kt10000', {})).rejects.toBeInstanceOf(AuthenticationError);
    expect(calls).toBe(0);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });
});
