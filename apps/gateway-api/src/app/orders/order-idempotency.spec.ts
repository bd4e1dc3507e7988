import {
  BrokerUnavailableError,
  OrderOutcomeUnknownError,
  RateLimitExceededError,
} from '@qts/broker-domain';
import request from 'supertest';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, type TestGateway } from '../../../test/gateway-test-app';

describe('Idempotency-Key on POST orders', () => {
  let gateway: TestGateway;
  let keyCounter = 0;
  const orders = `/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`;
  const market = { symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 2 };
  const place = (key: string, body: object = market, apiKey = ADMIN_KEY) =>
    request(gateway.app.getHttpServer()).post(orders).set('X-API-Key', apiKey).set('Idempotency-Key', key).send(body);
  const freshKey = () => `key-${++keyCounter}-${Date.now()}`;

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  afterEach(() => gateway.kis.clear());

  it('answers a repeat with the first status and body, without a second broker call', async () => {
    const key = freshKey();
    const first = await place(key).expect(201);
    const second = await place(key).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(gateway.kis.count('placeOrder')).toBe(1);
  });

  it('treats "71500" and "71500.0" as the same order', async () => {
    const key = freshKey();
    const limit = { symbol: '005930', side: 'BUY', orderType: 'LIMIT', quantity: 1, price: '50000' };
    const first = await place(key, limit).expect(201);
    const second = await place(key, { ...limit, price: '50000.0' }).expect(201);
    expect(second.body.id).toBe(first.body.id);
  });

  it('lets concurrent duplicates through as one broker order', async () => {
    const key = freshKey();
    gateway.kis.delay('placeOrder', 150);
    const answers = await Promise.all(Array.from({ length: 6 }, () => place(key)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(gateway.kis.count('placeOrder')).toBe(1);
  });

  it('answers 409 IDEMPOTENCY_CONFLICT when the key comes back with another order', async () => {
    const key = freshKey();
    await place(key).expect(201);
    const conflict = await place(key, { ...market, quantity: 3 }).expect(409);
    expect(conflict.body).toEqual({ statusCode: 409, code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String) });
    expect(gateway.kis.count('placeOrder')).toBe(1);
  });

  it('scopes keys per API key: another key with the same Idempotency-Key is another order', async () => {
    const created = await request(gateway.app.getHttpServer())
      .post('/api/v1/admin/api-keys')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'trader', scopes: ['trade'] })
      .expect(201);
    const key = freshKey();
    const mine = await place(key).expect(201);
    const theirs = await place(key, market, created.body.key).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.clientOrderId).not.toBe(mine.body.clientOrderId);
  });

  it('replays a final refusal (422) with the same status and body', async () => {
    const key = freshKey();
    const huge = { ...market, quantity: 100_000_000 };
    const first = await place(key, huge).expect(422);
    const second = await place(key, huge).expect(422);
    expect(second.body).toEqual(first.body);
    expect(gateway.kis.count('placeOrder')).toBe(1);
  });

  it('releases the key after RATE_LIMITED so that the retry places the order', async () => {
    const key = freshKey();
    gateway.kis.fail('placeOrder', new RateLimitExceededError('busy', { retryAfterMs: 500 }), 1);
    await place(key).expect(429);
    await place(key).expect(201);
    expect(gateway.kis.count('placeOrder')).toBe(2);
  });

  it('reconciles an unknown outcome by client order id instead of sending the order again', async () => {
    const key = freshKey();
    gateway.kis.failAfter('placeOrder', new OrderOutcomeUnknownError('deadline exceeded'));
    await place(key).expect(504);
    const retry = await place(key).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(gateway.kis.count('placeOrder')).toBe(1);
    expect(gateway.kis.count('findOrderByClientOrderId')).toBe(1);
    const again = await place(key).expect(201);
    expect(again.body).toEqual(retry.body);
  });

  it('sends the order after an unavailable broker once reconciliation finds none', async () => {
    const key = freshKey();
    gateway.kis.fail('placeOrder', new BrokerUnavailableError('down'), 1);
    await place(key).expect(503);
    gateway.kis.fail('findOrderByClientOrderId', new BrokerUnavailableError('still down'), 1);
    await place(key).expect(503);
    const placed = await place(key).expect(201);
    expect(placed.body.status).toBe('FILLED');
    expect(gateway.kis.count('placeOrder')).toBe(2);
    // A different order under the key that is bound to this one is still a conflict.
    await place(key, { ...market, side: 'SELL' }).expect(409);
  });
});
