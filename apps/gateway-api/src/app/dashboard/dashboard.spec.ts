import request from 'supertest';
import { createTestGateway, type TestGateway } from '../../../test/gateway-test-app';

describe('dashboard', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('serves one self-contained HTML page (no external resources) that polls /dashboard/data every second', async () => {
    const response = await request(gateway.app.getHttpServer()).get('/dashboard').expect(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('"/dashboard/data"');
    expect(response.text).toContain('var REFRESH_MS = 1000');
    expect(response.text).not.toMatch(/(src|href)=["']?https?:/);
    expect(response.text).not.toContain('innerHTML');
  });

  it('serves the broker views it renders, without secrets', async () => {
    const response = await request(gateway.app.getHttpServer()).get('/dashboard/data').expect(200);
    expect(response.body.brokers.map((broker: { id: string; mock: boolean }) => [broker.id, broker.mock])).toEqual([
      ['kis', false],
      ['sim', true],
    ]);
    expect(Date.parse(response.body.generatedAt)).not.toBeNaN();
    expect(JSON.stringify(response.body)).not.toMatch(/key|secret|password/i);
  });
});
