import request from 'supertest';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, type TestGateway } from '../../test/gateway-test-app';

describe('AppModule', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('answers the liveness probe with 200 and the terminus body, without an API key', async () => {
    const response = await request(gateway.app.getHttpServer()).get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('lists the configured brokers with status, accounts and rate-limit usage', async () => {
    const response = await request(gateway.app.getHttpServer())
      .get('/api/v1/brokers')
      .set('X-API-Key', ADMIN_KEY)
      .expect(200);
    expect(response.body.brokers.map((broker: { id: string }) => broker.id)).toEqual(['kis', 'sim']);
    const kis = response.body.brokers[0];
    expect(kis).toMatchObject({ type: 'KIS', status: 'CONNECTED', offline: false, mock: false, required: true });
    expect(kis.accounts[0]).toEqual({ id: PAPER_ACCOUNT, name: 'paper', type: 'PAPER', isDefault: true });
    expect(kis.rateLimit.rules[0]).toMatchObject({ ruleId: 'requests', limit: expect.any(Number), used: expect.any(Number) });
    expect(response.body.brokers[1]).toMatchObject({ id: 'sim', mock: true, rateLimit: null });
  });
});
