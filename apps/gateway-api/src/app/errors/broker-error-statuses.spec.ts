import {
  AuthenticationError,
  BrokerTimeoutError,
  BrokerUnavailableError,
  NotSupportedError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  RateLimitExceededError,
} from '@qts/broker-domain';
import request from 'supertest';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, type TestGateway } from '../../../test/gateway-test-app';

/** Domain errors of a broker call, end to end through the global filter. */
describe('broker failures over REST', () => {
  let gateway: TestGateway;
  const get = (path: string) => request(gateway.app.getHttpServer()).get(path).set('X-API-Key', ADMIN_KEY);

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  afterEach(() => gateway.kis.clear());

  it.each([
    ['BrokerUnavailable', new BrokerUnavailableError('JTS is unreachable'), 503, 'BROKER_UNAVAILABLE'],
    ['BrokerTimeout', new BrokerTimeoutError('no answer within 5000 ms'), 504, 'BROKER_TIMEOUT'],
    ['NotSupported', new NotSupportedError('no quotes here'), 501, 'NOT_SUPPORTED'],
    ['Authentication (of the gateway at the broker)', new AuthenticationError(), 503, 'AUTHENTICATION_FAILED'],
    ['an unexpected error', new Error('boom with internals'), 500, 'INTERNAL'],
  ])('%s -> %i with code %s', async (_name, error, status, code) => {
    gateway.kis.fail('getQuote', error);
    const response = await get('/api/v1/brokers/kis/quotes/005930').expect(status);
    expect(response.body).toEqual({ statusCode: status, code, message: expect.any(String) });
    expect(response.body.message).not.toContain('internals');
  });

  it('RateLimitExceeded -> 429 with Retry-After in whole seconds, rounded up', async () => {
    gateway.kis.fail('getSymbols', new RateLimitExceededError('over 2 req/s', { retryAfterMs: 1_200 }));
    const response = await get('/api/v1/brokers/kis/symbols').expect(429);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.body.code).toBe('RATE_LIMITED');
  });

  it('a rejected order -> 422 ORDER_REJECTED; an unknown outcome -> 504 telling to retry with the key', async () => {
    const body = { symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 };
    const orders = `/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`;
    gateway.kis.fail('placeOrder', new OrderRejectedError('market closed'), 1);
    const rejected = await request(gateway.app.getHttpServer()).post(orders).set('X-API-Key', ADMIN_KEY).send(body).expect(422);
    expect(rejected.body.code).toBe('ORDER_REJECTED');

    gateway.kis.fail('placeOrder', new OrderOutcomeUnknownError('deadline exceeded'), 1);
    const unknown = await request(gateway.app.getHttpServer()).post(orders).set('X-API-Key', ADMIN_KEY).send(body).expect(504);
    expect(unknown.body.code).toBe('ORDER_OUTCOME_UNKNOWN');
    expect(unknown.body.message).toContain('Idempotency-Key');
  });
});
