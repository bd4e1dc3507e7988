import { BrokerTimeoutError, BrokerUnavailableError } from '@qts/broker-domain';
import request from 'supertest';
import { ADMIN_KEY, createTestGateway, type TestGateway } from '../../../test/gateway-test-app';

describe('offline mode: candles from the cache while the broker is unavailable', () => {
  let gateway: TestGateway;
  const get = (path: string) => request(gateway.app.getHttpServer()).get(path).set('X-API-Key', ADMIN_KEY);
  const candles = (start: string, end: string) =>
    get(`/api/v1/brokers/kis/candles?symbol=000660&timeframe=60m&start=${start}&end=${end}`);
  const offlineFlag = async () => (await get('/api/v1/brokers/kis').expect(200)).body.offline;

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  afterEach(() => gateway.kis.clear());

  it('serves cached candles with X-Data-Source: cache, flags the broker offline, and recovers', async () => {
    const fresh = await candles('2024-03-04', '2024-03-08T23:59:59Z').expect(200);
    expect(fresh.headers['x-data-source']).toBe('broker');
    expect(fresh.body.candles.length).toBeGreaterThan(20);
    expect(await offlineFlag()).toBe(false);

    gateway.kis.fail('getCandles', new BrokerUnavailableError('JTS is down'));
    const cached = await candles('2024-03-04', '2024-03-08T23:59:59Z').expect(200);
    expect(cached.headers['x-data-source']).toBe('cache');
    expect(cached.body.source).toBe('cache');
    expect(cached.body.candles).toEqual(fresh.body.candles);
    expect(await offlineFlag()).toBe(true);
    const dashboard = await get('/dashboard/data').expect(200);
    expect(dashboard.body.brokers[0]).toMatchObject({ id: 'kis', offline: true });
    expect((await request(gateway.app.getHttpServer()).get('/metrics')).text).toContain('gateway_broker_offline{broker="kis"} 1');
    const health = await request(gateway.app.getHttpServer()).get('/health/brokers/kis').expect(200);
    expect(health.body.details['broker:kis']).toMatchObject({ offline: true });

    // A sub-range comes from the same cache rows.
    const part = await candles('2024-03-05', '2024-03-05T23:59:59Z').expect(200);
    expect(part.body.candles.length).toBeGreaterThan(0);
    expect(part.body.candles.every((candle: { timestamp: string }) => candle.timestamp.startsWith('2024-03-05'))).toBe(true);

    gateway.kis.clear();
    const back = await candles('2024-03-04', '2024-03-08T23:59:59Z').expect(200);
    expect(back.headers['x-data-source']).toBe('broker');
    expect(await offlineFlag()).toBe(false);
  });

  it('answers 503 when nothing is cached for the range, and 504 (no fallback) on a timeout', async () => {
    gateway.kis.fail('getCandles', new BrokerUnavailableError('JTS is down'));
    const missing = await candles('2023-06-05', '2023-06-09').expect(503);
    expect(missing.body.code).toBe('BROKER_UNAVAILABLE');

    gateway.kis.fail('getCandles', new BrokerTimeoutError('slow'));
    expect((await candles('2024-03-04', '2024-03-08T23:59:59Z').expect(504)).body.code).toBe('BROKER_TIMEOUT');
  });
});
