import request from 'supertest';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, type TestGateway } from '../../../test/gateway-test-app';

describe('logs never contain secrets', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await createTestGateway({ logLevel: 'trace' });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('never logs credential headers, request bodies with secrets or created keys', async () => {
    const server = gateway.app.getHttpServer();
    const created = await request(server)
      .post('/api/v1/admin/api-keys')
      .set('X-API-Key', ADMIN_KEY)
      .set('Authorization', 'Bearer bearer-secret-token')
      .send({ name: 'logged', scopes: ['read', 'trade'] })
      .expect(201);
    await request(server).get('/api/v1/brokers').set('X-API-Key', created.body.key).expect(200);
    await request(server)
      .post(`/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`)
      .set('X-API-Key', created.body.key)
      .send({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1, password: 'pw-in-body', appsecret: 'kis-app-secret' })
      .expect(400);
    await request(server).get('/api/v1/brokers').set('X-API-Key', 'qts_wrong-key-in-header').expect(401);

    const logs = gateway.logs.text;
    expect(logs).toContain('"url":"/api/v1/brokers"');
    expect(logs.toLowerCase()).not.toContain('x-api-key');
    for (const secret of [ADMIN_KEY, created.body.key, 'bearer-secret-token', 'pw-in-body', 'kis-app-secret', 'qts_wrong-key-in-header']) {
      expect(logs).not.toContain(secret);
    }
  });
});
