import http from 'node:http';
import { startBrokerBench, TRANSPORTS_UNDER_TEST, waitFor, type BrokerBench } from '@qts/test-support';
import request from 'supertest';
import { E2E_ADMIN_KEY, startE2eGateway, type E2eGateway } from '../../test/e2e-gateway';

const PAPER = '50012345-01';
const REAL = '70000001-01';
const HOST = '127.0.0.1';

/**
 * The REST API end to end: the real AppModule (configured from the environment, SQLite file) against a real
 * simulator process, once with every broker reached through the JTS simulator and once directly over the brokers'
 * REST APIs (the REST broker simulator). The same scenarios pass on both transports. Brokers of the gateway:
 * - kis:    the simulated 'kis' (no server-side rate enforcement), required;
 * - tight:  the simulated 'tight', which enforces KIS paper's 2 req/s while the gateway allows far more,
 *           so the simulator's refusal (EGW00201) reaches the client as 429;
 * - steady: the simulated 'tight' behind the kis-paper preset: three times its limit asked, none over it at the broker;
 * - frugal: the simulated 'kis' behind a gateway limiter of one quote per minute (the local 429);
 * - live:   a REAL account (orders refused while live trading is off);
 * - paper:  a `mock: true` broker served in process.
 */
describe.each(TRANSPORTS_UNDER_TEST)('gateway-api REST end to end (%s transport)', (transport) => {
  let bench: BrokerBench;
  let gateway: E2eGateway;
  let readKey: string;
  let tradeKey: string;
  const server = () => gateway.app.getHttpServer();
  const get = (path: string, key = E2E_ADMIN_KEY) => request(server()).get(path).set('X-API-Key', key);
  const postOrder = (body: object, headers: Record<string, string> = {}, key = E2E_ADMIN_KEY, account = PAPER, broker = 'kis') =>
    request(server()).post(`/api/v1/brokers/${broker}/accounts/${account}/orders`).set({ 'X-API-Key': key, ...headers }).send(body);
  /** How often the broker lists order `orderId`. */
  const timesAtBroker = async (orderId: string) => (await bench.orderIds('kis')).filter((id) => id === orderId).length;

  beforeAll(async () => {
    bench = await startBrokerBench(
      transport,
      [
        { id: 'kis', account: { id: PAPER, type: 'PAPER' } },
        { id: 'tight', enforce: 'preset', account: { id: PAPER, type: 'PAPER' } },
        { id: 'live', account: { id: REAL, type: 'REAL' } },
      ],
      { jtsArgs: ['--quote-interval-ms', '100'] },
    );
    const generous = { rules: [{ id: 'requests', limit: 500, windowMs: 1_000 }] };
    const brokers = [
      bench.entry('kis', { rateLimit: generous, required: true }),
      bench.entry('tight', { rateLimit: generous, required: false }),
      bench.entry('tight', { id: 'steady', rateLimit: { preset: 'kis-paper' }, required: false }),
      // One quote a minute: a JTS quote is one request; over REST it is the token and two requests.
      bench.entry('kis', { id: 'frugal', rateLimit: { rules: [{ id: 'requests', limit: transport === 'jts' ? 1 : 3, windowMs: 60_000 }] }, required: false }),
      bench.entry('live', { rateLimit: generous, required: false }),
      { id: 'paper', type: 'KIWOOM', grpc: { host: HOST, port: 1 }, rateLimit: { preset: 'kiwoom' }, mock: true, required: false, accounts: [{ id: '5012345601', type: 'PAPER' }] },
    ];
    // The gateway alone uses these broker accounts: the whole budget is its own.
    gateway = await startE2eGateway(brokers, { ...bench.credentials(), RATE_LIMIT_MODE: 'memory' });
    await waitFor(async () => (await request(server()).get('/health/ready')).status === 200, {
      timeoutMs: 20_000,
      description: 'gateway ready',
    });
    const createKey = async (scopes: string[]) =>
      (await request(server()).post('/api/v1/admin/api-keys').set('X-API-Key', E2E_ADMIN_KEY).send({ name: scopes.join('+'), scopes }).expect(201)).body.key as string;
    readKey = await createKey(['read']);
    tradeKey = await createKey(['trade']);
  });

  afterAll(async () => {
    await gateway?.close();
    await bench?.stop();
  });

  it('serves every read route with data from the simulator', async () => {
    const brokers = await get('/api/v1/brokers', readKey).expect(200);
    expect(brokers.body.brokers.map((broker: { id: string; status: string; mock: boolean }) => [broker.id, broker.mock])).toEqual([
      ['kis', false],
      ['tight', false],
      ['steady', false],
      ['frugal', false],
      ['live', false],
      ['paper', true],
    ]);
    expect(brokers.body.brokers.find((broker: { id: string }) => broker.id === 'paper').transport).toBe('mock');
    const kis = await get('/api/v1/brokers/kis', readKey).expect(200);
    expect(kis.body).toMatchObject({ status: 'CONNECTED', offline: false, transport, rateLimit: { rules: [{ ruleId: 'requests', limit: expect.any(Number) }] } });

    const symbols = await get('/api/v1/brokers/kis/symbols', readKey).expect(200);
    expect(symbols.body.symbols.length).toBeGreaterThan(5);
    const candles = await get('/api/v1/brokers/kis/candles?symbol=005930&timeframe=1d&start=2024-01-02&end=2024-01-31', readKey).expect(200);
    expect(candles.headers['x-data-source']).toBe('broker');
    expect(candles.body.candles.length).toBeGreaterThan(15);
    expect(candles.body.candles[0].close).toMatch(/^\d+(\.\d+)?$/);
    const quote = await get('/api/v1/brokers/kis/quotes/005930', readKey).expect(200);
    expect(quote.body.price).toMatch(/^\d+$/);
    const balance = await get(`/api/v1/brokers/kis/accounts/${PAPER}/balance`, readKey).expect(200);
    expect(balance.body).toMatchObject({ accountId: PAPER, currency: 'KRW' });
    await get(`/api/v1/brokers/kis/accounts/${PAPER}/positions`, readKey).expect(200);
    // The in-process mock broker answers too.
    expect((await get('/api/v1/brokers/paper/quotes/005930', readKey).expect(200)).body.symbol).toBe('005930');
    // A broker's health without a key, in Terminus' format.
    expect((await request(server()).get('/health/brokers/kis').expect(200)).body.info['broker:kis']).toMatchObject({ connection: 'CONNECTED' });
  });

  it('streams quotes as Server-Sent Events until the client leaves', async () => {
    const quotesBefore = await bench.requests('kis', 'quote');
    const events = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${gateway.baseUrl}/api/v1/brokers/kis/quotes/000660/stream`, { headers: { 'X-API-Key': readKey } }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if ((text.match(/event: quote/g) ?? []).length >= 3) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
    });
    expect(events).toMatch(/event: quote\ndata: \{"symbol":"000660"/);
    if (bench.jts !== undefined) {
      // JTS pushes quotes on one stream.
      expect((await bench.jts.admin.getBrokerStats('kis')).requests['StreamQuotes']).toBeGreaterThanOrEqual(1);
    } else {
      // REST has no push: the stream polls the quote within the rate budget.
      expect((await bench.requests('kis', 'quote')) - quotesBefore).toBeGreaterThanOrEqual(3);
    }
  });

  it('places, reads and cancels a paper order; decimals stay strings', async () => {
    const placed = await postOrder({ symbol: '005930', side: 'BUY', orderType: 'LIMIT', quantity: 2, price: '50000' }, {}, tradeKey).expect(201);
    expect(placed.body).toMatchObject({ status: 'ACCEPTED', price: '50000', accountId: PAPER });
    const read = await get(`/api/v1/brokers/kis/orders/${placed.body.id}`, readKey).expect(200);
    expect(read.body.status).toBe('ACCEPTED');
    const cancelled = await request(server()).delete(`/api/v1/brokers/kis/orders/${placed.body.id}`).set('X-API-Key', tradeKey).expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await timesAtBroker(placed.body.id)).toBe(1);
  });

  it('honours Idempotency-Key: sequential and concurrent duplicates make exactly one simulator order; another body is 409', async () => {
    const before = await bench.ordersPlaced('kis');
    const body = { symbol: '035420', side: 'BUY', orderType: 'MARKET', quantity: 1 };
    const first = await postOrder(body, { 'Idempotency-Key': 'e2e-seq-1' }).expect(201);
    const repeat = await postOrder(body, { 'Idempotency-Key': 'e2e-seq-1' }).expect(201);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers['idempotent-replayed']).toBe('true');

    const concurrent = await Promise.all(Array.from({ length: 8 }, () => postOrder(body, { 'Idempotency-Key': 'e2e-concurrent-1' })));
    expect(concurrent.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(new Set(concurrent.map((answer) => answer.body.id)).size).toBe(1);

    expect(await timesAtBroker(first.body.id)).toBe(1);
    expect(await timesAtBroker(concurrent[0].body.id)).toBe(1);
    expect((await bench.ordersPlaced('kis')) - before).toBe(2);

    const conflict = await postOrder({ ...body, quantity: 5 }, { 'Idempotency-Key': 'e2e-seq-1' }).expect(409);
    expect(conflict.body.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('answers 400, 401, 403 and 404 with stable codes', async () => {
    const bad = await postOrder({ symbol: '005930', side: 'BUY', orderType: 'LIMIT', quantity: 1, price: '71550' }).expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'INVALID_ARGUMENT' });
    expect(bad.body.message).toContain('price');
    await request(server()).get('/api/v1/brokers').expect(401);
    expect((await get('/api/v1/brokers', 'qts_unknown').expect(401)).body.code).toBe('API_KEY_INVALID');
    expect((await postOrder({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 }, {}, readKey).expect(403)).body.code).toBe(
      'INSUFFICIENT_SCOPE',
    );
    const live = await postOrder({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 }, {}, tradeKey, REAL, 'live').expect(403);
    expect(live.body.code).toBe('LIVE_TRADING_DISABLED');
    expect((await get('/api/v1/brokers/nope/symbols', readKey).expect(404)).body.code).toBe('BROKER_NOT_FOUND');
    expect((await get('/api/v1/brokers/kis/accounts/99999999-01/balance', readKey).expect(404)).body.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await get('/api/v1/brokers/kis/quotes/999999', readKey).expect(404)).body.code).toBe('SYMBOL_NOT_FOUND');
    expect((await get('/api/v1/brokers/kis/orders/9999999999', readKey).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
  });

  it("answers 429 with Retry-After when the simulator enforces the broker's limit", async () => {
    await bench.resetStats('tight', true);
    const answers = await Promise.all(Array.from({ length: 6 }, () => get('/api/v1/brokers/tight/quotes/005930', readKey)));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    expect(limited[0].body.code).toBe('RATE_LIMITED');
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await bench.violations('tight')).toBeGreaterThan(0);
  });

  it('sends nothing over the broker\'s limit under three times the allowed load: 0 violations at the simulator, the excess refused with 429 in time', async () => {
    await bench.resetStats('tight', true);
    const before = await bench.requests('tight', 'quote');
    // kis-paper allows 2 requests a second; for 2 s ask three times that (a REST quote is two requests).
    const perSecond = transport === 'jts' ? 6 : 3;
    const asked: Promise<request.Response>[] = [];
    for (let second = 0; second < 2; second++) {
      for (let i = 0; i < perSecond; i++) asked.push(get(`/api/v1/brokers/steady/quotes/${i % 2 === 0 ? '005930' : '000660'}`, readKey));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const answers = await Promise.all(asked);

    // A request waits for its permit within its deadline (BROKER_DEADLINE_MS, 9/10 of it for a read), never past it:
    // what the limit cannot serve in that time is refused with 429, not sent late and never sent over the limit.
    const served = answers.filter((answer) => answer.status === 200).length;
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => [answer.status, answer.body.code])).toEqual(
      Array(answers.length - served).fill([429, 'RATE_LIMITED']),
    );
    // At 2 a second, at least the 2 s of the run's worth was served.
    expect(served).toBeGreaterThanOrEqual(4);
    expect((await bench.requests('tight', 'quote')) - before).toBe(served);
    expect(await bench.violations('tight')).toBe(0);
  });

  it("answers 429 with Retry-After when the gateway's own limiter has no permit in time", async () => {
    await get('/api/v1/brokers/frugal/quotes/005930', readKey).expect(200);
    const limited = await get('/api/v1/brokers/frugal/quotes/005930', readKey).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('answers 504 past the deadline; an order whose outcome is unknown is reconciled, never placed twice', async () => {
    await bench.delay('kis', ['quote', 'order'], 2_500);
    try {
      expect((await get('/api/v1/brokers/kis/quotes/005930', readKey).expect(504)).body.code).toBe('BROKER_TIMEOUT');
      const before = await bench.ordersPlaced('kis');
      const body = { symbol: '000660', side: 'BUY', orderType: 'MARKET', quantity: 1 };
      const unknown = await postOrder(body, { 'Idempotency-Key': 'e2e-unknown-1' }).expect(504);
      expect(unknown.body.code).toBe('ORDER_OUTCOME_UNKNOWN');
      await bench.clearFaults('kis');
      const retry = await postOrder(body, { 'Idempotency-Key': 'e2e-unknown-1' }).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await timesAtBroker(retry.body.id)).toBe(1);
      expect((await bench.ordersPlaced('kis')) - before).toBe(1);
    } finally {
      await bench.clearFaults('kis');
    }
  });

  if (transport === 'rest') {
    it('issues one access token per app key for every call, and a new one when the broker says it expired', async () => {
      const rest = bench.rest as NonNullable<BrokerBench['rest']>;
      // Until now: every read, order and stream of 'kis' and the quotes of 'frugal', two app keys of one broker.
      const issued = await rest.stats('kis');
      expect(Object.values(issued.tokensIssuedPerAppKey)).toEqual([1, 1]);

      expect(await rest.expireTokens('kis')).toBeGreaterThan(0);
      await get('/api/v1/brokers/kis/quotes/005930', readKey).expect(200);
      await get(`/api/v1/brokers/kis/accounts/${PAPER}/balance`, readKey).expect(200);

      expect((await rest.stats('kis')).tokensIssued).toBe(issued.tokensIssued + 1);
    });
  }

  it('while the broker is down: 503, candles from the cache, readiness 503; all back once it is up', async () => {
    const range = '/api/v1/brokers/kis/candles?symbol=005930&timeframe=60m&start=2024-02-05&end=2024-02-09T23:59:59Z';
    const live = await get(range, readKey).expect(200);
    expect(live.headers['x-data-source']).toBe('broker');

    await bench.down('kis');
    await waitFor(async () => (await request(server()).get('/health/ready')).status === 503, {
      timeoutMs: 15_000,
      description: 'readiness 503 while the broker is down',
    });
    await request(server()).get('/health/live').expect(200);
    const brokerHealth = await request(server()).get('/health/brokers/kis').expect(503);
    expect(brokerHealth.body.error['broker:kis'].connection).toBe('DISCONNECTED');
    expect((await get('/api/v1/brokers/kis/quotes/005930', readKey).expect(503)).body.code).toBe('BROKER_UNAVAILABLE');

    const cached = await get(range, readKey).expect(200);
    expect(cached.headers['x-data-source']).toBe('cache');
    expect(cached.body.candles).toEqual(live.body.candles);
    expect((await get('/api/v1/brokers/kis', readKey).expect(200)).body.offline).toBe(true);

    await bench.up('kis');
    await waitFor(async () => (await request(server()).get('/health/ready')).status === 200, {
      timeoutMs: 20_000,
      description: 'readiness 200 once the broker is up',
    });
    expect((await get(range, readKey).expect(200)).headers['x-data-source']).toBe('broker');
    expect((await get('/api/v1/brokers/kis', readKey).expect(200)).body.offline).toBe(false);
  });
});
