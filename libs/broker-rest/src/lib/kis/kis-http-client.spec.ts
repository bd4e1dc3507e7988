import { AuthenticationError, InvalidArgumentError, OrderExpiredError, RateLimitExceededError } from '@qts/broker-domain';
import { CountingPermits } from '../../../test/counting-permits';
import { SecretText } from '../credentials/secret-text';
import type { RestCall } from '../http/rest-call';
import { RestTransportError } from '../http/rest-transport-error';
import type { AccessTokenSource } from '../tokens/access-token-manager';
import { KisHttpClient } from './kis-http-client';

const SECRETS = {
  appKey: 'PSappkey-secret-1234',
  appSecret: 'appsecret-very-secret',
  token: 'eyJ-token-secret',
};

type FetchImpl = (url: string, init: RequestInit) => Promise<Response>;

interface SeenRequest {
  url: string;
  init: RequestInit;
}

function fixedTokens(token = SECRETS.token): AccessTokenSource & { replaced: string[] } {
  const replaced: string[] = [];
  return {
    replaced,
    currentToken: async () => token,
    replaceRejected: async (rejected) => {
      replaced.push(rejected);
      return `${token}-renewed`;
    },
  };
}

function aClient(
  fetchImpl: FetchImpl,
  options: { paper?: boolean; tokens?: AccessTokenSource; permits?: CountingPermits; timeoutMs?: number } = {},
) {
  return new KisHttpClient({
    brokerId: 'kis',
    paper: options.paper ?? false,
    baseUrl: options.paper === true ? 'https://openapivts.koreainvestment.com:29443' : 'https://openapi.koreainvestment.com:9443',
    appKey: new SecretText(SECRETS.appKey),
    appSecret: new SecretText(SECRETS.appSecret),
    tokens: options.tokens ?? fixedTokens(),
    permits: options.permits ?? new CountingPermits(),
    fetch: fetchImpl,
    requestTimeoutMs: options.timeoutMs ?? 1_000,
  });
}

function recordingFetch(...responses: Array<() => Response>): { seen: SeenRequest[]; fetch: FetchImpl } {
  const seen: SeenRequest[] = [];
  return {
    seen,
    fetch: async (url, init) => {
      seen.push({ url, init });
      const next = responses[Math.min(seen.length - 1, responses.length - 1)];
      return next();
    },
  };
}

const post = (apiId: string, payload: Record<string, string> = {}): RestCall => ({
  operation: 'placeOrder',
  method: 'POST',
  path: '/uapi/domestic-stock/v1/trading/order-cash',
  apiId,
  payload,
});

describe('KisHttpClient', () => {
  it('posts JSON to the server with the KIS headers and returns status, parsed body and tr_cont', async () => {
    const { seen, fetch } = recordingFetch(
      () => new Response(JSON.stringify({ rt_cd: '0' }), { status: 200, headers: { tr_cont: 'D' } }),
    );

    const response = await aClient(fetch).send(post('TTTC0012U', { PDNO: '005930' }));

    expect(response).toEqual({ status: 200, body: { rt_cd: '0' }, headers: { tr_cont: 'D' } });
    expect(seen[0].url).toBe('https://openapi.koreainvestment.com:9443/uapi/domestic-stock/v1/trading/order-cash');
    expect(seen[0].init.method).toBe('POST');
    expect(seen[0].init.body).toBe('{"PDNO":"005930"}');
    expect(seen[0].init.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${SECRETS.token}`,
      appkey: SECRETS.appKey,
      appsecret: SECRETS.appSecret,
      tr_id: 'TTTC0012U',
      tr_cont: '',
      custtype: 'P',
    });
  });

  it('gets with the query string and sends tr_cont N on a follow-up page', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{"rt_cd":"0","output1":[]}', { status: 200 }));

    await aClient(fetch, { paper: true }).send({
      operation: 'getOrderStatus',
      method: 'GET',
      path: '/uapi/domestic-stock/v1/trading/inquire-daily-ccld',
      apiId: 'VTTC0081R',
      payload: { CANO: '50012345', ODNO: '1' },
      continuation: { tr_cont: 'N' },
    });

    expect(seen[0].url).toBe(
      'https://openapivts.koreainvestment.com:29443/uapi/domestic-stock/v1/trading/inquire-daily-ccld?CANO=50012345&ODNO=1',
    );
    expect(seen[0].init).toMatchObject({ method: 'GET', headers: expect.objectContaining({ tr_id: 'VTTC0081R', tr_cont: 'N' }) });
    expect(seen[0].init.body).toBeUndefined();
  });

  it('takes one permit per request for its operation and gives it back when the answer arrived', async () => {
    const permits = new CountingPermits();
    const { fetch } = recordingFetch(() => new Response('{"rt_cd":"0"}'));

    await aClient(fetch, { permits }).send(post('TTTC0012U'));

    expect(permits.acquired).toEqual(['placeOrder']);
    expect(permits.completed).toBe(1);
    expect(permits.outcomes).toEqual(['answered']);
  });

  it('completes the permit as unsent when no connection was made, and abandoned when the request may have left', async () => {
    const refused = new CountingPermits();
    const connectionRefused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    await aClient(async () => {
      throw connectionRefused;
    }, { permits: refused }).send(post('TTTC0012U')).catch(() => undefined);
    const timedOut = new CountingPermits();
    await aClient(async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    }, { permits: timedOut }).send(post('TTTC0012U')).catch(() => undefined);

    expect(refused.outcomes).toEqual(['unsent']);
    expect(timedOut.outcomes).toEqual(['abandoned']);
  });

  it('gives the permit back when the request failed, and sends nothing without a permit', async () => {
    const failing = new CountingPermits();
    await expect(
      aClient(async () => {
        throw new TypeError('fetch failed');
      }, { permits: failing }).send(post('TTTC0012U')),
    ).rejects.toBeInstanceOf(RestTransportError);
    expect(failing.completed).toBe(1);
    expect(failing.outcomes).toEqual(['abandoned']);

    const none = new CountingPermits({ grant: false });
    const { seen, fetch } = recordingFetch(() => new Response('{}'));
    const error = await aClient(fetch, { permits: none }).send(post('TTTC0012U')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect((error as RateLimitExceededError).details).toMatchObject({ operation: 'placeOrder', source: 'client' });
    expect(seen).toHaveLength(0);
  });

  it('never sends an order after its send-by time: the permit wait ends there, OrderExpired, nothing sent', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{}'));
    const none = new CountingPermits({ grant: false });
    const sendBy = new Date(Date.now() + 400);

    const waited = await aClient(fetch, { permits: none }).send({ ...post('TTTC0012U'), sendBy }).catch((e: unknown) => e);
    const past = await aClient(fetch).send({ ...post('TTTC0012U'), sendBy: new Date(Date.now() - 1) }).catch((e: unknown) => e);

    expect(waited).toBeInstanceOf(OrderExpiredError);
    expect(none.timeouts[0]).toBeLessThanOrEqual(400);
    expect(past).toBeInstanceOf(OrderExpiredError);
    expect(seen).toHaveLength(0);
  });

  it('reports the permit wait and the send of a request, and sends one whose send-by time is ahead', async () => {
    const { seen, fetch } = recordingFetch(() => new Response(JSON.stringify({ rt_cd: '0' })));
    const stages: string[] = [];

    await aClient(fetch).send({ ...post('TTTC0012U'), sendBy: new Date(Date.now() + 60_000), onStage: (stage) => stages.push(stage) });

    expect(stages).toEqual(['awaiting-permit', 'sending']);
    expect(seen).toHaveLength(1);
  });

  it('refuses to send a paper tr_id to the real server and a real tr_id to the paper server', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{}'));
    const permits = new CountingPermits();

    await expect(aClient(fetch, { permits }).send(post('VTTC0012U'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(aClient(fetch, { paper: true, permits }).send(post('TTTC0012U'))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(seen).toHaveLength(0);
    expect(permits.acquired).toEqual([]);
  });

  it('answers an expired token by renewing it and sending the same request once more', async () => {
    const tokens = fixedTokens();
    const { seen, fetch } = recordingFetch(
      () => new Response(JSON.stringify({ rt_cd: '1', msg_cd: 'EGW00123', msg1: '기간이 만료된 token 입니다.' }), { status: 500 }),
      () => new Response(JSON.stringify({ rt_cd: '0', output: { ODNO: '1' } })),
    );

    const response = await aClient(fetch, { tokens }).send(post('TTTC0012U'));

    expect(response.body).toMatchObject({ rt_cd: '0' });
    expect(tokens.replaced).toEqual([SECRETS.token]);
    expect(seen.map((request) => (request.init.headers as Record<string, string>)['authorization'])).toEqual([
      `Bearer ${SECRETS.token}`,
      `Bearer ${SECRETS.token}-renewed`,
    ]);
  });

  it('renews at most once: a second refusal is the answer', async () => {
    const { seen, fetch } = recordingFetch(
      () => new Response(JSON.stringify({ rt_cd: '1', msg_cd: 'EGW00121', msg1: '유효하지 않은 token 입니다.' })),
    );

    const response = await aClient(fetch).send(post('TTTC0012U'));

    expect(response.body).toMatchObject({ msg_cd: 'EGW00121' });
    expect(seen).toHaveLength(2);
  });

  it('returns a non-JSON body as text and an empty body as undefined', async () => {
    const text = recordingFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
    const empty = recordingFetch(() => new Response(null, { status: 504 }));

    await expect(aClient(text.fetch).send(post('TTTC0012U'))).resolves.toMatchObject({
      status: 502,
      body: '<html>bad gateway</html>',
    });
    await expect(aClient(empty.fetch).send(post('TTTC0012U'))).resolves.toMatchObject({ status: 504, body: undefined });
  });

  it('reports a refused connection as "not sent" and a reset or timeout as "maybe sent", without secrets', async () => {
    const refused = aClient(async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    });
    const reset = aClient(async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    });
    const timedOut = aClient(async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    });

    const errors = await Promise.all(
      [refused, reset, timedOut].map((client) => client.send(post('TTTC0012U')).catch((e: unknown) => e)),
    );

    expect(errors.map((e) => [(e as RestTransportError).kind, (e as RestTransportError).mayHaveReachedBroker])).toEqual([
      ['connection', false],
      ['network', true],
      ['timeout', true],
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(RestTransportError);
      for (const secret of Object.values(SECRETS)) {
        expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(secret);
      }
    }
  });

  it('aborts a request that outlives its deadline', async () => {
    const client = aClient(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
      { timeoutMs: 20, paper: true },
    );

    await expect(client.send(post('VTTC0012U'))).rejects.toMatchObject({ kind: 'timeout', mayHaveReachedBroker: true });
  });

  it('stops a read whose caller gave up, with the caller\'s reason', async () => {
    const controller = new AbortController();
    const client = aClient(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          if (init.signal?.aborted) reject(init.signal.reason);
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );

    const pending = client.send({ ...post('FHKST01010100'), operation: 'getQuote', signal: controller.signal });
    controller.abort(new Error('stream closed'));

    await expect(pending).rejects.toThrow('stream closed');
  });

  it('sends nothing without a token and never shows the credentials', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{}'));
    const client = aClient(fetch, {
      tokens: {
        currentToken: async () => {
          throw new AuthenticationError('KIS refused the token issuance [EGW00103]');
        },
        replaceRejected: async () => 'unused',
      },
    });

    await expect(client.send(post('TTTC0012U'))).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(0);
    const shown = `${JSON.stringify(client)} ${Object.keys(client).join(',')} ${String(client)}`;
    expect(shown).not.toContain(SECRETS.appKey);
    expect(shown).not.toContain(SECRETS.appSecret);
  });

  it('requires the app key and secret and an http(s) base URL', () => {
    const base = {
      brokerId: 'kis',
      paper: true,
      baseUrl: 'https://openapivts.koreainvestment.com:29443',
      tokens: fixedTokens(),
      permits: new CountingPermits(),
    };
    expect(() => new KisHttpClient({ ...base, appKey: new SecretText(''), appSecret: new SecretText('s') })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new KisHttpClient({ ...base, appKey: new SecretText('k'), appSecret: new SecretText('') })).toThrow(
      InvalidArgumentError,
    );
    expect(
      () => new KisHttpClient({ ...base, baseUrl: 'ftp://x', appKey: new SecretText('k'), appSecret: new SecretText('s') }),
    ).toThrow(InvalidArgumentError);
  });
});
