import { ConnectionStatus } from '@qts/broker-domain';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestGateway, type TestGateway } from '../../../test/gateway-test-app';

describe('health endpoints', () => {
  let gateway: TestGateway;
  const server = () => gateway.app.getHttpServer();

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  afterEach(() => {
    gateway.kisStatus.current = ConnectionStatus.CONNECTED;
  });

  it('is ready while the database answers and every required broker is CONNECTED or DEGRADED', async () => {
    const ready = await request(server()).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      'broker:kis': { status: 'up', connection: 'CONNECTED', required: true, mock: false },
    });
    // 'sim' is not required: readiness does not look at it.
    expect(ready.body.details['broker:sim']).toBeUndefined();

    gateway.kisStatus.current = ConnectionStatus.DEGRADED;
    await request(server()).get('/health/ready').expect(200);
  });

  it('goes 503 while a required broker is down and back to 200 when it reconnects; liveness stays 200', async () => {
    gateway.kisStatus.current = ConnectionStatus.DISCONNECTED;
    const down = await request(server()).get('/health/ready').expect(503);
    expect(down.body.status).toBe('error');
    expect(down.body.error['broker:kis']).toMatchObject({ status: 'down', connection: 'DISCONNECTED' });
    await request(server()).get('/health/live').expect(200);

    gateway.kisStatus.current = ConnectionStatus.CONNECTED;
    await request(server()).get('/health/ready').expect(200);
  });

  it('GET /health/brokers/:id answers 200 or 503 with status and rate-limit usage; unknown -> 404', async () => {
    const up = await request(server()).get('/health/brokers/kis').expect(200);
    expect(up.body.details['broker:kis']).toMatchObject({
      status: 'up',
      connection: 'CONNECTED',
      rateLimit: { rules: [expect.objectContaining({ ruleId: 'requests' })] },
    });
    const mock = await request(server()).get('/health/brokers/sim').expect(200);
    expect(mock.body.details['broker:sim']).toMatchObject({ mock: true, rateLimit: null });

    gateway.kisStatus.current = ConnectionStatus.CONNECTING;
    const connecting = await request(server()).get('/health/brokers/kis').expect(503);
    expect(connecting.body.error['broker:kis'].connection).toBe('CONNECTING');

    const unknown = await request(server()).get('/health/brokers/nope').expect(404);
    expect(unknown.body.code).toBe('BROKER_NOT_FOUND');
  });

  it('is not ready when the database does not answer', async () => {
    const dataSource = gateway.app.get(DataSource);
    const query = jest.spyOn(dataSource, 'query').mockRejectedValueOnce(new Error('database is locked'));
    const response = await request(server()).get('/health/ready').expect(503);
    expect(response.body.error.database).toEqual({ status: 'down' });
    query.mockRestore();
  });
});
