import { ConnectionStatus } from '@qts/broker-domain';
import request from 'supertest';
import { ADMIN_KEY, createTestGateway, type TestGateway } from '../../../test/gateway-test-app';

describe('GET /metrics', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('exposes request counts and latency per route template, broker call latency, limits, status and process metrics', async () => {
    const server = gateway.app.getHttpServer();
    await request(server).get('/api/v1/brokers/kis/quotes/005930').set('X-API-Key', ADMIN_KEY).expect(200);
    await request(server).get('/api/v1/brokers/kis/quotes/000660').set('X-API-Key', ADMIN_KEY).expect(200);
    await request(server).get('/api/v1/brokers/kis/quotes/005930').expect(401);
    await request(server).get('/no/such/route').expect(404);
    await gateway.kisLimiter.acquire('getQuote');
    gateway.kisStatus.current = ConnectionStatus.DEGRADED;

    const response = await request(server).get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.text;
    expect(text).toContain(
      'gateway_http_requests_total{method="GET",route="/api/v1/brokers/:brokerId/quotes/:symbol",status_code="200"} 2',
    );
    expect(text).toContain('gateway_http_requests_total{method="GET",route="/api/v1/brokers/:brokerId/quotes/:symbol",status_code="401"} 1');
    expect(text).toContain('gateway_http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).not.toContain('005930');
    expect(text).toMatch(/gateway_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/v1\/brokers\/:brokerId\/quotes\/:symbol"/);
    expect(text).toContain('gateway_broker_call_duration_seconds_count{broker="kis",rpc="getQuote",outcome="ok"} 2');
    expect(text).toMatch(/gateway_rate_limit_usage_ratio\{broker="kis",rule="requests"\} 0\.0\d+/);
    expect(text).toContain('gateway_rate_limit_waiters{broker="kis",rule="requests"} 0');
    expect(text).toContain('gateway_broker_connection_status{broker="kis",status="DEGRADED"} 1');
    expect(text).toContain('gateway_broker_connection_status{broker="kis",status="CONNECTED"} 0');
    expect(text).toContain('gateway_broker_offline{broker="kis"} 0');
    expect(text).toContain('process_cpu_user_seconds_total');
    gateway.kisStatus.current = ConnectionStatus.CONNECTED;
  });
});
