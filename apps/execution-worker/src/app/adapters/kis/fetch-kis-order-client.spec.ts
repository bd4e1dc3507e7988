import { AuthenticationError, InvalidArgumentError } from '@qts/broker-domain';
import { RestTransportError } from '../rest/rest-transport-error';
import { FetchKisOrderClient } from './fetch-kis-order-client';

const SECRETS = {
  appKey: 'PSappkey-secret-1234',
  appSecret: 'appsecret-very-secret',
  token: 'eyJ-token-secret',
};

interface SeenRequest {
  url: string;
  init: RequestInit;
}

function aClient(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, paper = false) {
  return new FetchKisOrderClient({
    paper,
    appKey: SECRETS.appKey,
    appSecret: SECRETS.appSecret,
    tokenProvider: { getAccessToken: async () => SECRETS.token },
    fetch: fetchImpl,
    timeoutMs: 1_000,
  });
}

function recordingFetch(response: () => Response): {
  seen: SeenRequest[];
  fetch: (url: string, init: RequestInit) => Promise<Response>;
} {
  const seen: SeenRequest[] = [];
  return {
    seen,
    fetch: async (url, init) => {
      seen.push({ url, init });
      return response();
    },
  };
}

describe('FetchKisOrderClient', () => {
  it('posts JSON to the real server with the KIS headers and returns status and parsed body', async () => {
    const { seen, fetch } = recordingFetch(
      () => new Response(JSON.stringify({ rt_cd: '0' }), { status: 200 }),
    );

    const response = await aClient(fetch).post('/uapi/domestic-stock/v1/trading/order-cash', 'TTTC0012U', {
      PDNO: '005930',
    });

    expect(response).toEqual({ status: 200, body: { rt_cd: '0' } });
    expect(seen[0].url).toBe(
      'https://openapi.koreainvestment.com:9443/uapi/domestic-stock/v1/trading/order-cash',
    );
    expect(seen[0].init.method).toBe('POST');
    expect(seen[0].init.body).toBe('{"PDNO":"005930"}');
    expect(seen[0].init.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${SECRETS.token}`,
      appkey: SECRETS.appKey,
      appsecret: SECRETS.appSecret,
      tr_id: 'TTTC0012U',
      custtype: 'P',
    });
  });

  it('gets from the paper server with the query string', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{"rt_cd":"0","output1":[]}', { status: 200 }));

    await aClient(fetch, true).get('/uapi/domestic-stock/v1/trading/inquire-daily-ccld', 'VTTC0081R', {
      CANO: '50012345',
      ODNO: '1',
    });

    expect(seen[0].url).toBe(
      'https://openapivts.koreainvestment.com:29443/uapi/domestic-stock/v1/trading/inquire-daily-ccld?CANO=50012345&ODNO=1',
    );
    expect(seen[0].init).toMatchObject({
      method: 'GET',
      headers: expect.objectContaining({ tr_id: 'VTTC0081R', tr_cont: '' }),
    });
  });

  it('refuses to send a paper tr_id to the real server and a real tr_id to the paper server', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{}'));

    await expect(aClient(fetch, false).post('/x', 'VTTC0012U', {})).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(aClient(fetch, true).post('/x', 'TTTC0012U', {})).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(seen).toHaveLength(0);
  });

  it('returns a non-JSON body as text and an empty body as undefined', async () => {
    const text = recordingFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
    const empty = recordingFetch(() => new Response(null, { status: 504 }));

    await expect(aClient(text.fetch).post('/x', 'TTTC0012U', {})).resolves.toEqual({
      status: 502,
      body: '<html>bad gateway</html>',
    });
    await expect(aClient(empty.fetch).post('/x', 'TTTC0012U', {})).resolves.toEqual({
      status: 504,
      body: undefined,
    });
  });

  it('reports a refused connection as "not sent" and a reset or timeout as "maybe sent", without secrets', async () => {
    const refused = aClient(async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    });
    const reset = aClient(async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
    });
    const timedOut = aClient(async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    });

    const errors = await Promise.all([
      refused.post('/o', 'TTTC0012U', {}).catch((e: unknown) => e),
      reset.post('/o', 'TTTC0012U', {}).catch((e: unknown) => e),
      timedOut.post('/o', 'TTTC0012U', {}).catch((e: unknown) => e),
    ]);

    expect(
      errors.map((e) => [(e as RestTransportError).kind, (e as RestTransportError).mayHaveReachedBroker]),
    ).toEqual([
      ['connection', false],
      ['network', true],
      ['timeout', true],
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(RestTransportError);
      for (const secret of Object.values(SECRETS)) {
        expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(
          secret,
        );
      }
    }
  });

  it('aborts a request that outlives its deadline', async () => {
    const client = new FetchKisOrderClient({
      paper: true,
      appKey: 'k',
      appSecret: 's',
      tokenProvider: { getAccessToken: async () => 't' },
      timeoutMs: 20,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    });

    await expect(client.post('/o', 'VTTC0012U', {})).rejects.toMatchObject({
      kind: 'timeout',
      mayHaveReachedBroker: true,
    });
  });

  it('sends nothing without a token and never shows the credentials', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{}'));
    const client = new FetchKisOrderClient({
      paper: false,
      appKey: SECRETS.appKey,
      appSecret: SECRETS.appSecret,
      tokenProvider: {
        getAccessToken: async () => {
          throw new Error('token endpoint down');
        },
      },
      fetch,
    });
    const noToken = new FetchKisOrderClient({
      paper: false,
      appKey: 'k',
      appSecret: 's',
      tokenProvider: { getAccessToken: async () => '' },
      fetch,
    });

    await expect(client.post('/o', 'TTTC0012U', {})).rejects.toBeInstanceOf(AuthenticationError);
    await expect(noToken.post('/o', 'TTTC0012U', {})).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(0);
    const shown = `${JSON.stringify(client)} ${Object.keys(client).join(',')}`;
    expect(shown).not.toContain(SECRETS.appKey);
    expect(shown).not.toContain(SECRETS.appSecret);
  });

  it('requires the app key and secret', () => {
    const base = { paper: true, tokenProvider: { getAccessToken: async () => 't' } };
    expect(() => new FetchKisOrderClient({ ...base, appKey: '', appSecret: 's' })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new FetchKisOrderClient({ ...base, appKey: 'k', appSecret: '' })).toThrow(
      InvalidArgumentError,
    );
  });
});
