import { AuthenticationError } from '@qts/broker-domain';
import { CountingPermits } from '../../../test/counting-permits';
import type { RestCall } from '../http/rest-call';
import type { AccessTokenSource } from '../tokens/access-token-manager';
import { KiwoomHttpClient } from './kiwoom-http-client';

const TOKEN = 'kiwoom-token-secret';

type Seen = { url: string; init: RequestInit };

function aClient(answers: Array<() => Response>, tokens?: AccessTokenSource, baseUrl = 'https://api.kiwoom.com') {
  const seen: Seen[] = [];
  const renewed: string[] = [];
  const client = new KiwoomHttpClient({
    brokerId: 'kiwoom',
    baseUrl,
    permits: new CountingPermits(),
    tokens: tokens ?? {
      currentToken: async () => TOKEN,
      replaceRejected: async (rejected) => {
        renewed.push(rejected);
        return `${TOKEN}-2`;
      },
    },
    fetch: async (url, init) => {
      seen.push({ url, init });
      return answers[Math.min(seen.length - 1, answers.length - 1)]();
    },
  });
  return { client, seen, renewed };
}

const order: RestCall = {
  operation: 'placeOrder',
  method: 'POST',
  path: '/api/dostk/ordr',
  apiId: 'kt10000',
  payload: { stk_cd: '005930' },
};

describe('KiwoomHttpClient', () => {
  it('posts with api-id and the bearer token and reads the continuation headers', async () => {
    const { client, seen } = aClient([
      () =>
        new Response('{"return_code":0,"ord_no":"1"}', {
          status: 200,
          headers: { 'cont-yn': 'N', 'next-key': '' },
        }),
    ]);

    const response = await client.send(order);

    expect(response).toEqual({ status: 200, body: { return_code: 0, ord_no: '1' }, headers: { 'cont-yn': 'N', 'next-key': '' } });
    expect(seen[0].url).toBe('https://api.kiwoom.com/api/dostk/ordr');
    expect(seen[0].init).toMatchObject({
      method: 'POST',
      body: '{"stk_cd":"005930"}',
      headers: { 'content-type': 'application/json;charset=UTF-8', authorization: `Bearer ${TOKEN}`, 'api-id': 'kt10000' },
    });
  });

  it('sends cont-yn and next-key on a follow-up page, to the given base URL', async () => {
    const { client, seen } = aClient([() => new Response('{"return_code":0}')], undefined, 'http://127.0.0.1:9/');

    await client.send({ ...order, path: '/api/dostk/acnt', apiId: 'kt00007', continuation: { 'cont-yn': 'Y', 'next-key': 'k-2' } });

    expect(seen[0].url).toBe('http://127.0.0.1:9/api/dostk/acnt');
    expect(seen[0].init.headers).toMatchObject({ 'cont-yn': 'Y', 'next-key': 'k-2' });
  });

  it.each([
    ['[8005] in return_msg', () => new Response('{"return_code":3,"return_msg":"[8005:Token이 유효하지 않습니다]"}')],
    ['return_code 8005 itself', () => new Response('{"return_code":8005,"return_msg":"Token이 유효하지 않습니다"}')],
    ['HTTP 401', () => new Response('', { status: 401 })],
  ])('renews the token once after %s and sends the request again', async (_label, refusal) => {
    const { client, seen, renewed } = aClient([refusal, () => new Response('{"return_code":0,"ord_no":"7"}')]);

    const response = await client.send(order);

    expect(response.body).toMatchObject({ ord_no: '7' });
    expect(renewed).toEqual([TOKEN]);
    expect(seen).toHaveLength(2);
    expect((seen[1].init.headers as Record<string, string>)['authorization']).toBe(`Bearer ${TOKEN}-2`);
  });

  it('does not renew the token for other refusals', async () => {
    const { client, seen, renewed } = aClient([
      () => new Response('{"return_code":5,"return_msg":"허용된 요청 개수를 초과하였습니다[1700:...]"}', { status: 429 }),
    ]);

    await client.send(order);

    expect(renewed).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('sends nothing without a token and does not reveal it', async () => {
    const { client, seen } = aClient([() => new Response('{}')], {
      currentToken: async () => {
        throw new AuthenticationError('Kiwoom refused the token issuance: [8001:...]');
      },
      replaceRejected: async () => TOKEN,
    });

    await expect(client.send(order)).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(0);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });
});
