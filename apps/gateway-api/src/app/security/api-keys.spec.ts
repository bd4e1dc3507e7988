import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, type TestGateway } from '../../../test/gateway-test-app';

describe('API keys and scopes', () => {
  let gateway: TestGateway;
  const server = () => gateway.app.getHttpServer();
  const createKey = async (name: string, scopes: string[]) =>
    (await request(server()).post('/api/v1/admin/api-keys').set('X-API-Key', ADMIN_KEY).send({ name, scopes }).expect(201)).body;

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('answers the creation, which carries the key, with Cache-Control: no-store', async () => {
    const response = await request(server()).post('/api/v1/admin/api-keys').set('X-API-Key', ADMIN_KEY).send({ name: 'cached?', scopes: ['read'] }).expect(201);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('creates a key shown once, lists keys without secrets and stores only a hash', async () => {
    const created = await createKey('reader', ['read']);
    expect(created.strategies).toEqual([]);
    expect(created).toMatchObject({ name: 'reader', scopes: ['read'], revokedAt: null });
    expect(created.key).toMatch(/^qts_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.keyPrefix)).toBe(true);

    const listed = await request(server()).get('/api/v1/admin/api-keys').set('X-API-Key', ADMIN_KEY).expect(200);
    const entry = listed.body.keys.find((key: { id: string }) => key.id === created.id);
    expect(entry).toEqual({ ...created, key: undefined, revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.key);

    const rows: Array<Record<string, unknown>> = await gateway.app.get(DataSource).query('SELECT * FROM api_keys');
    const row = rows.find((candidate) => candidate['id'] === created.id);
    expect(row?.['key_hash']).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(created.key);
  });

  it('answers 401 without a key and for an unknown key, with distinct stable codes', async () => {
    const missing = await request(server()).get('/api/v1/brokers').expect(401);
    expect(missing.body).toEqual({ statusCode: 401, code: 'API_KEY_REQUIRED', message: expect.any(String) });
    const unknown = await request(server()).get('/api/v1/brokers').set('X-API-Key', 'qts_not-a-real-key').expect(401);
    expect(unknown.body.code).toBe('API_KEY_INVALID');
    expect(JSON.stringify(unknown.body)).not.toContain('qts_not-a-real-key');
  });

  it('answers 403 INSUFFICIENT_SCOPE for a missing scope: read cannot trade, trade cannot administer', async () => {
    const reader = await createKey('reader-2', ['read']);
    const trader = await createKey('trader', ['trade']);
    await request(server()).get('/api/v1/brokers').set('X-API-Key', reader.key).expect(200);
    const order = await request(server())
      .post(`/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`)
      .set('X-API-Key', reader.key)
      .send({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 })
      .expect(403);
    expect(order.body.code).toBe('INSUFFICIENT_SCOPE');
    await request(server()).delete('/api/v1/brokers/kis/orders/1').set('X-API-Key', reader.key).expect(403);
    await request(server()).get('/api/v1/brokers').set('X-API-Key', trader.key).expect(403);
    await request(server()).get('/api/v1/admin/api-keys').set('X-API-Key', trader.key).expect(403);
  });

  it('revokes a key: it is refused at once; revoking an unknown id is 404', async () => {
    const key = await createKey('short-lived', ['read']);
    await request(server()).get('/api/v1/brokers').set('X-API-Key', key.key).expect(200);
    const revoked = await request(server()).delete(`/api/v1/admin/api-keys/${key.id}`).set('X-API-Key', ADMIN_KEY).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const refused = await request(server()).get('/api/v1/brokers').set('X-API-Key', key.key).expect(401);
    expect(refused.body.code).toBe('API_KEY_INVALID');
    const missing = await request(server())
      .delete('/api/v1/admin/api-keys/00000000-0000-0000-0000-000000000000')
      .set('X-API-Key', ADMIN_KEY)
      .expect(404);
    expect(missing.body.code).toBe('API_KEY_NOT_FOUND');
  });

  it.each([
    ['an unknown scope', { name: 'x', scopes: ['root'] }],
    ['no scopes', { name: 'x', scopes: [] }],
    ['an empty name', { name: '', scopes: ['read'] }],
    ['an extra field', { name: 'x', scopes: ['read'], key: 'chosen-by-me' }],
    ['the worker-only submit scope', { name: 'x', scopes: ['submit'] }],
    ['strategies (the gateway does not bind keys to strategies)', { name: 'x', scopes: ['read'], strategies: ['momentum-kr'] }],
    ['a prototype key', JSON.parse('{"name":"x","scopes":["read"],"__proto__":{"admin":true}}')],
  ])('refuses to create a key with %s (400)', async (_case, body) => {
    const response = await request(server()).post('/api/v1/admin/api-keys').set('X-API-Key', ADMIN_KEY).send(body).expect(400);
    expect(response.body.code).toBe('INVALID_ARGUMENT');
  });

  it('lets health, metrics and the dashboard through without a key', async () => {
    await request(server()).get('/health/live').expect(200);
    await request(server()).get('/metrics').expect(200);
    await request(server()).get('/dashboard').expect(200);
    await request(server()).get('/dashboard/data').expect(200);
  });
});
