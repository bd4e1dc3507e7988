import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ADMIN_KEY, createTestGateway, type TestGateway } from '../../../test/gateway-test-app';

describe('REST: brokers and market data', () => {
  let gateway: TestGateway;
  const get = (path: string) => request(gateway.app.getHttpServer()).get(path).set('X-API-Key', ADMIN_KEY);

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  afterEach(() => gateway.kis.clear());

  describe('GET /api/v1/brokers/:brokerId', () => {
    it('shows one broker with type, status, transport, accounts, rate-limit rules and the offline and mock flags', async () => {
      const response = await get('/api/v1/brokers/kis').expect(200);
      expect(response.body).toMatchObject({
        id: 'kis',
        type: 'KIS',
        status: 'CONNECTED',
        offline: false,
        mock: false,
        transport: 'jts',
        required: true,
        rateLimit: { ratio: expect.any(Number), rules: [{ ruleId: 'requests', windowMs: 1000, waiters: 0 }] },
      });
      expect(response.body.accounts).toHaveLength(2);
    });

    it('answers 404 BROKER_NOT_FOUND for an unconfigured broker and 400 for a malformed id', async () => {
      const missing = await get('/api/v1/brokers/nope').expect(404);
      expect(missing.body).toEqual({ statusCode: 404, code: 'BROKER_NOT_FOUND', message: "broker 'nope' is not configured" });
      const malformed = await get('/api/v1/brokers/KIS!').expect(400);
      expect(malformed.body.code).toBe('INVALID_ARGUMENT');
      expect(malformed.body.message).toContain('brokerId');
    });
  });

  it('GET /symbols lists the broker symbols', async () => {
    const response = await get('/api/v1/brokers/kis/symbols').expect(200);
    expect(response.body.brokerId).toBe('kis');
    expect(response.body.symbols).toEqual(expect.arrayContaining([expect.objectContaining({ code: '005930', market: 'KOSPI' })]));
  });

  describe('GET /candles', () => {
    const path = '/api/v1/brokers/kis/candles';

    it('returns candles with decimal strings, oldest first, from the broker', async () => {
      const response = await get(`${path}?symbol=005930&timeframe=1d&start=2024-01-02&end=2024-01-31T00:00:00Z`).expect(200);
      expect(response.headers['x-data-source']).toBe('broker');
      expect(response.body).toMatchObject({ brokerId: 'kis', symbol: '005930', timeframe: '1d', source: 'broker' });
      const candles = response.body.candles as Array<{ timestamp: string; open: unknown; volume: unknown }>;
      expect(candles.length).toBeGreaterThan(15);
      expect(typeof candles[0].open).toBe('string');
      expect(typeof candles[0].volume).toBe('number');
      const times = candles.map((candle) => Date.parse(candle.timestamp));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    it('pages a long range: six months of 1m bars, each page at most `limit` bars, every bar once, in order', async () => {
      const query = `${path}?symbol=005930&timeframe=1m&start=2026-01-01&end=2026-06-30T23:59:00Z&limit=10000`;
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await get(`${query}${cursor === undefined ? '' : `&cursor=${cursor}`}`).expect(200);
        const candles = response.body.candles as Array<{ timestamp: string }>;
        expect(candles.length).toBeLessThanOrEqual(10_000);
        seen.push(...candles.map((candle) => Date.parse(candle.timestamp)));
        cursor = response.body.nextCursor as string | undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 20);
      // 2026-01-01 .. 2026-06-30: 129 weekdays of 390 bars, minus the mock market's holidays.
      expect(seen.length).toBeGreaterThan(40_000);
      expect(seen.length).toBeLessThanOrEqual(129 * 390);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(pages).toBe(Math.ceil((129 * 390) / 10_000));
      // One broker request per page, never more.
      expect(gateway.kis.count('getCandles')).toBe(pages);
    });

    it('answers a range of fewer bars than the limit in one page, without a cursor', async () => {
      const response = await get(`${path}?symbol=005930&timeframe=1d&start=2024-01-02&end=2024-01-31&limit=100`).expect(200);
      expect(response.body.nextCursor).toBeUndefined();
      expect(response.body.candles.length).toBeGreaterThan(15);
    });

    it.each([
      ['a bad timeframe', 'symbol=005930&timeframe=2h&start=2024-01-02&end=2024-01-03', 'timeframe'],
      ['a malformed symbol', 'symbol=5930&timeframe=1d&start=2024-01-02&end=2024-01-03', 'symbol'],
      ['a missing symbol', 'timeframe=1d&start=2024-01-02&end=2024-01-03', 'symbol'],
      ['a start that is not ISO-8601', 'symbol=005930&timeframe=1d&start=yesterday&end=2024-01-03', 'start'],
      ['a time without offset', 'symbol=005930&timeframe=1d&start=2024-01-02T09:00&end=2024-01-03', 'start'],
      ['an end before the start', 'symbol=005930&timeframe=1d&start=2024-01-05&end=2024-01-03', 'end'],
      ['an unknown query parameter', 'symbol=005930&timeframe=1d&start=2024-01-02&end=2024-01-03&size=5', 'size'],
      ['a limit that is not an integer', 'symbol=005930&timeframe=1d&start=2024-01-02&end=2024-01-03&limit=ten', 'limit'],
      ['a limit over 10,000', 'symbol=005930&timeframe=1m&start=2024-01-02&end=2024-01-03&limit=10001', 'limit'],
      ['a limit of 0', 'symbol=005930&timeframe=1m&start=2024-01-02&end=2024-01-03&limit=0', 'limit'],
      ['a cursor that is no cursor', 'symbol=005930&timeframe=1d&start=2024-01-02&end=2024-01-31&cursor=abc', 'cursor'],
      ['a repeated parameter', 'symbol=005930&symbol=000660&timeframe=1d&start=2024-01-02&end=2024-01-03', 'symbol'],
    ])('answers 400 naming the field for %s', async (_case, query, field) => {
      const response = await get(`${path}?${query}`).expect(400);
      expect(response.body.code).toBe('INVALID_ARGUMENT');
      expect(response.body.message).toContain(field);
      expect(gateway.kis.count('getCandles')).toBe(0);
    });
  });

  describe('GET /quotes/:symbol', () => {
    it('returns the quote with decimal strings', async () => {
      const response = await get('/api/v1/brokers/kis/quotes/005930').expect(200);
      expect(response.body).toMatchObject({ symbol: '005930', price: expect.stringMatching(/^\d+$/) });
    });

    it('answers 404 SYMBOL_NOT_FOUND for an unlisted symbol and 400 for a malformed one', async () => {
      expect((await get('/api/v1/brokers/kis/quotes/999999').expect(404)).body.code).toBe('SYMBOL_NOT_FOUND');
      expect((await get('/api/v1/brokers/kis/quotes/59').expect(400)).body.message).toContain('symbol');
    });
  });

  describe('GET /quotes/:symbol/stream (SSE)', () => {
    let base: string;

    beforeAll(async () => {
      await new Promise<void>((resolve) => gateway.app.getHttpServer().listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(gateway.app.getHttpServer().address() as AddressInfo).port}`;
    });

    it('streams quote events and closes the broker stream when the client disconnects', async () => {
      const firstChunk = await new Promise<{ status: number; type: string; chunk: string; req: http.ClientRequest }>(
        (resolve, reject) => {
          const req = http.get(`${base}/api/v1/brokers/kis/quotes/005930/stream`, { headers: { 'X-API-Key': ADMIN_KEY } }, (res) => {
            res.setEncoding('utf8');
            res.once('data', (chunk: string) =>
              resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), chunk, req }),
            );
          });
          req.on('error', reject);
        },
      );
      expect(firstChunk.status).toBe(200);
      expect(firstChunk.type).toContain('text/event-stream');
      expect(firstChunk.chunk).toMatch(/^event: quote\ndata: \{.*"symbol":"005930"/);
      expect(gateway.kis.openQuoteStreams).toBe(1);

      firstChunk.req.destroy();
      const deadline = Date.now() + 5_000;
      while (gateway.kis.openQuoteStreams > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(gateway.kis.openQuoteStreams).toBe(0);
    });

    it('answers a JSON error before streaming when the symbol is unknown', async () => {
      const response = await get('/api/v1/brokers/kis/quotes/999999/stream').expect(404);
      expect(response.body.code).toBe('SYMBOL_NOT_FOUND');
      expect(gateway.kis.openQuoteStreams).toBe(0);
    });
  });
});
