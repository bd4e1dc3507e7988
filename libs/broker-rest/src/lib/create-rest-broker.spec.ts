import { BrokerType, InvalidArgumentError, OrderRequest, OrderSide, OrderType } from '@qts/broker-domain';
import { CredentialError } from './credentials/credential-error';
import { createRestBroker, kisAccountOf } from './create-rest-broker';
import { KIS_PAPER_BASE_URL, KIS_REAL_BASE_URL } from './kis/kis-endpoints';
import { KIWOOM_MOCK_BASE_URL, KIWOOM_REAL_BASE_URL } from './kiwoom/kiwoom-endpoints';
import type { RestCallPermits } from './permits/rest-call-permits';
import { InMemoryTokenStore } from './tokens/in-memory-token-store';
import type { RestTransportConfig } from './transport/rest-transport-config';

const NOW = new Date('2026-11-30T03:00:00Z');
const ENV = { KIS_KEY: 'PSabcdefghijklmnop', KIS_SECRET: 'kis-secret-value', KIS_ACCOUNT: '50012345-01' };

interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** TEST-ONLY fetch: answers a token request and one price inquiry, recording what was sent (no network). */
function recordingFetch(seen: SeenRequest[]) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' && init.body !== '' ? JSON.parse(init.body) : undefined;
    seen.push({ url, headers, body });
    if (url.endsWith('/oauth2/tokenP')) {
      return Response.json({ access_token: 'kis-token', token_type: 'Bearer', expires_in: 86_400, access_token_token_expired: '2026-12-01 12:00:00' });
    }
    if (url.endsWith('/oauth2/token')) {
      return Response.json({ token: 'kiwoom-token', token_type: 'bearer', expires_dt: '20261201120000', return_code: 0, return_msg: '정상' });
    }
    if (url.includes('/uapi/')) {
      return Response.json({ rt_cd: '0', msg_cd: 'MCA00000', msg1: 'ok', output: { stck_prpr: '70100', prdy_vrss: '0', prdy_ctrt: '0', acml_vol: '1' }, output1: {} });
    }
    return Response.json({ return_code: 0, return_msg: 'ok', cur_prc: '70100', pred_pre: '0', flu_rt: '0', trde_qty: '1' });
  };
}

function aMarketOrder(brokerId: string, accountId: string, side: OrderSide): OrderRequest {
  return { clientOrderId: 'c-1', brokerId, accountId, symbol: '005930', side, orderType: OrderType.MARKET, quantity: 1 };
}

const counted: string[] = [];
const PERMITS: RestCallPermits = {
  acquire: async (operation) => {
    counted.push(operation);
    return { complete: () => undefined };
  },
};

function transport(environment: 'real' | 'paper', credentials: RestTransportConfig['credentials']): RestTransportConfig {
  return { environment, credentials };
}

describe('createRestBroker', () => {
  beforeEach(() => counted.splice(0));

  it('wires KIS paper to the paper server with credentials read from the environment, a token per app key and a permit per request', async () => {
    const seen: SeenRequest[] = [];
    const broker = createRestBroker({
      brokerId: 'kis-paper',
      brokerType: BrokerType.KIS,
      accountId: 'main',
      transport: transport('paper', { appKey: { env: 'KIS_KEY' }, appSecret: { env: 'KIS_SECRET' }, accountNumber: { env: 'KIS_ACCOUNT' } }),
      credentialReaders: { env: ENV },
      permits: PERMITS,
      tokenStore: new InMemoryTokenStore(),
      fetch: recordingFetch(seen),
      clock: () => NOW,
    });

    await broker.gateway.getQuote('005930');

    expect(broker.brokerType).toBe(BrokerType.KIS);
    expect(seen.map((request) => request.url.split('?')[0])).toEqual([
      `${KIS_PAPER_BASE_URL}/oauth2/tokenP`,
      `${KIS_PAPER_BASE_URL}/uapi/domestic-stock/v1/quotations/inquire-price`,
      `${KIS_PAPER_BASE_URL}/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn`,
    ]);
    expect(seen[0].body).toEqual({ grant_type: 'client_credentials', appkey: ENV.KIS_KEY, appsecret: ENV.KIS_SECRET });
    expect(seen[1].headers).toMatchObject({ authorization: 'Bearer kis-token', appkey: ENV.KIS_KEY, tr_id: 'FHKST01010100' });
    expect(seen[2].headers['authorization']).toBe('Bearer kis-token');
    expect(counted).toEqual(['issueToken', 'getQuote', 'getQuote']);
    // The account comes from its credential source and orders are built for it.
    const payload = broker.orders.buildPayload(aMarketOrder('kis-paper', 'main', OrderSide.BUY));
    expect(payload.call.payload).toMatchObject({ CANO: '50012345', ACNT_PRDT_CD: '01' });
    expect(payload.call.apiId).toBe('VTTC0012U');
  });

  it('uses the real KIS server and real tr_ids for the real environment', () => {
    const seen: SeenRequest[] = [];
    const broker = createRestBroker({
      brokerId: 'kis',
      brokerType: BrokerType.KIS,
      accountId: '50012345-01',
      transport: transport('real', { appKey: { env: 'KIS_KEY' }, appSecret: { env: 'KIS_SECRET' } }),
      credentialReaders: { env: ENV },
      permits: PERMITS,
      tokenStore: new InMemoryTokenStore(),
      fetch: recordingFetch(seen),
    });

    const payload = broker.orders.buildPayload(aMarketOrder('kis', '50012345-01', OrderSide.SELL));

    expect(payload.call.apiId).toBe('TTTC0011U');
    expect(KIS_REAL_BASE_URL).toMatch(/^https:\/\/openapi\.koreainvestment\.com:9443$/);
  });

  it.each([
    ['paper', KIWOOM_MOCK_BASE_URL],
    ['real', KIWOOM_REAL_BASE_URL],
  ] as const)('wires Kiwoom %s to %s with its own token endpoint', async (environment, baseUrl) => {
    const seen: SeenRequest[] = [];
    const broker = createRestBroker({
      brokerId: 'kiwoom',
      brokerType: BrokerType.KIWOOM,
      accountId: '5012345601',
      transport: transport(environment, { appKey: { env: 'KIS_KEY' }, appSecret: { env: 'KIS_SECRET' } }),
      credentialReaders: { env: ENV },
      permits: PERMITS,
      tokenStore: new InMemoryTokenStore(),
      fetch: recordingFetch(seen),
      clock: () => NOW,
    });

    await broker.gateway.getQuote('005930').catch(() => undefined);

    expect(broker.brokerType).toBe(BrokerType.KIWOOM);
    expect(seen[0]).toMatchObject({ url: `${baseUrl}/oauth2/token`, body: { grant_type: 'client_credentials', appkey: ENV.KIS_KEY, secretkey: ENV.KIS_SECRET } });
    expect(seen[1]).toMatchObject({ url: `${baseUrl}/api/dostk/stkinfo`, headers: { 'api-id': 'ka10001', authorization: 'Bearer kiwoom-token' } });
  });

  it('names the missing credential and never shows a secret', () => {
    const build = () =>
      createRestBroker({
        brokerId: 'kis',
        brokerType: BrokerType.KIS,
        accountId: '50012345-01',
        transport: transport('paper', { appKey: { env: 'KIS_KEY' }, appSecret: { env: 'NOT_SET_SECRET' } }),
        credentialReaders: { env: ENV },
        permits: PERMITS,
        tokenStore: new InMemoryTokenStore(),
      });

    expect(build).toThrow(CredentialError);
    expect(build).toThrow(/kis\.credentials\.appSecret.*NOT_SET_SECRET is not set/);
    expect(build).not.toThrow(new RegExp(ENV.KIS_KEY));
  });

  it('refuses a broker without a REST API', () => {
    expect(() =>
      createRestBroker({
        brokerId: 'creon',
        brokerType: BrokerType.CREON,
        accountId: '1',
        transport: transport('paper', { appKey: { env: 'KIS_KEY' }, appSecret: { env: 'KIS_SECRET' } }),
        credentialReaders: { env: ENV },
        permits: PERMITS,
        tokenStore: new InMemoryTokenStore(),
      }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('kisAccountOf', () => {
  it.each([
    ['50012345-01', undefined, { cano: '50012345', acntPrdtCd: '01' }],
    ['5001234501', undefined, { cano: '50012345', acntPrdtCd: '01' }],
    ['50012345', '22', { cano: '50012345', acntPrdtCd: '22' }],
    ['50012345-22', '22', { cano: '50012345', acntPrdtCd: '22' }],
  ])('reads %p with product code %p', (account, productCode, expected) => {
    expect(kisAccountOf(account, productCode)).toEqual(expected);
  });

  it.each([
    ['50012345', undefined],
    ['50012345-01', '22'],
    ['5001234', '01'],
    ['50012345', '1'],
    ['main', undefined],
  ])('refuses %p with product code %p, saying the expected shape', (account, productCode) => {
    expect(() => kisAccountOf(account, productCode)).toThrow(/CANO-ACNT_PRDT_CD/);
  });
});
