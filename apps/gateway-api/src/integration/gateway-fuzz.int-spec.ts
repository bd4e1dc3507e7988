import fc from 'fast-check';
import { startSimulatorProcess, waitFor, type SimulatorProcess } from '@qts/test-support';
import request from 'supertest';
import { E2E_ADMIN_KEY, startE2eGateway, type E2eGateway } from '../../test/e2e-gateway';

const PAPER = '50012345-01';
const RUNS = 300;
/** Fixed for reproducible CI runs; set FUZZ_SEED to explore other inputs. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_102);

/** Visible ASCII: what an HTTP client can put in a header value. */
const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,60}$/);

/** Path segments: plausible, empty, odd, unicode, and raw (possibly broken) percent encodings. */
const segment = fc.oneof(
  fc.constantFrom('kis', 'nope', '005930', '999999', PAPER, 'KIS', '0', '-1', '..', '%', '%zz', '%E0%A4%A', 'null', '__proto__', 'constructor'),
  fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text)),
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,70}$/),
);

/** Every REST route with hostile parameters. The quote stream only with a malformed symbol (never opens). */
const path = fc.oneof(
  segment.map((broker) => `/api/v1/brokers/${broker}`),
  segment.map((broker) => `/api/v1/brokers/${broker}/symbols`),
  fc.tuple(segment, segment).map(([broker, symbol]) => `/api/v1/brokers/${broker}/quotes/${symbol}`),
  fc.tuple(segment, fc.constantFrom('59', '%', 'ABCDEFG', '')).map(([broker, symbol]) => `/api/v1/brokers/${broker}/quotes/${symbol}/stream`),
  fc.tuple(segment, segment, fc.constantFrom('balance', 'positions', 'orders')).map(
    ([broker, account, leaf]) => `/api/v1/brokers/${broker}/accounts/${account}/${leaf}`,
  ),
  fc.tuple(segment, segment).map(([broker, order]) => `/api/v1/brokers/${broker}/orders/${order}`),
  segment.map((id) => `/api/v1/admin/api-keys/${id}`),
  fc.constant('/api/v1/admin/api-keys'),
  segment.map((broker) => `/health/brokers/${broker}`),
  segment.map((anything) => `/${anything}`),
);

const queryString = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom('symbol', 'timeframe', 'start', 'end', 'limit', 'symbol[]', '__proto__', 'constructor'),
      fc.oneof(fc.constantFrom('005930', '1d', '1m', '2024-01-02', '2024-13-45', '-1', '9'.repeat(30), ''), fc.string({ maxLength: 30 })),
    )
    .map((params) => `?${new URLSearchParams(params).toString()}`),
  fc.constantFrom('?symbol=005930&symbol=000660', '?%', '?a=%zz', '?timeframe=1m&start=1900-01-01&end=2999-01-01&symbol=005930'),
);

const orderishBody = fc.record(
  {
    symbol: fc.oneof(fc.constantFrom('005930', '5930', ''), fc.string({ maxLength: 8 }), fc.integer()),
    side: fc.oneof(fc.constantFrom('BUY', 'SELL', 'buy', 'HOLD'), fc.anything()),
    orderType: fc.oneof(fc.constantFrom('MARKET', 'LIMIT', 'STOP'), fc.anything()),
    quantity: fc.oneof(fc.integer(), fc.double(), fc.constantFrom('10', -1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2), fc.anything()),
    price: fc.oneof(fc.constantFrom('71500', '71550', '7.15e4', '-1', '0x10', 'NaN', ''), fc.double(), fc.anything()),
    name: fc.string({ maxLength: 120 }),
    scopes: fc.oneof(fc.array(fc.constantFrom('read', 'trade', 'admin', 'root')), fc.anything()),
    password: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.constant(undefined),
  orderishBody.map((value) => JSON.stringify(value)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"symbol":', '[]', 'null', '"text"', '{"__proto__":{"admin":true}}', '\u0000'),
);

const requestShape = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
  path,
  query: queryString,
  apiKey: fc.oneof(fc.constant(E2E_ADMIN_KEY), fc.constant(undefined), headerValue),
  idempotencyKey: fc.oneof(fc.constant(undefined), headerValue),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined),
  body,
});

/** Hundreds of malformed requests to every route: the gateway answers every one, never with a 5xx. */
describe('gateway-api REST fuzzing (fast-check)', () => {
  let simulator: SimulatorProcess;
  let gateway: E2eGateway;

  beforeAll(async () => {
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: 'KIS', preset: 'none', accounts: [{ id: PAPER, type: 'PAPER' }] }],
    });
    gateway = await startE2eGateway([
      {
        id: 'kis',
        type: 'KIS',
        grpc: { host: '127.0.0.1', port: simulator.brokerPorts['kis'] },
        rateLimit: { rules: [{ id: 'requests', limit: 1_000, windowMs: 1_000 }] },
        required: true,
        accounts: [{ id: PAPER, type: 'PAPER', default: true }],
      },
    ]);
    await waitFor(async () => (await request(gateway.app.getHttpServer()).get('/health/ready')).status === 200, {
      timeoutMs: 20_000,
      description: 'gateway ready',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await simulator?.stop();
  });

  it(`answers ${RUNS} malformed requests without a single 5xx`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestShape, async (shape) => {
        let call = request(gateway.app.getHttpServer())
          [shape.method.toLowerCase() as 'get' | 'post' | 'delete' | 'put' | 'patch'](`${shape.path}${shape.query}`)
          .timeout(15_000);
        if (shape.apiKey !== undefined) call = call.set('X-API-Key', shape.apiKey);
        if (shape.idempotencyKey !== undefined) call = call.set('Idempotency-Key', shape.idempotencyKey);
        if (shape.contentType !== undefined) call = call.set('Content-Type', shape.contentType);
        const response = shape.body === undefined ? await call : await call.send(shape.body);
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        if (response.status >= 500) {
          throw new Error(`${shape.method} ${shape.path}${shape.query} -> ${response.status} ${JSON.stringify(response.body)}`);
        }
        // Error answers keep the contract's shape.
        if (response.status >= 400 && response.type === 'application/json' && !shape.path.startsWith('/health/')) {
          expect(response.body).toEqual({ statusCode: response.status, code: expect.any(String), message: expect.any(String) });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect([...seen.values()].reduce((sum, count) => sum + count, 0)).toBe(RUNS);
    expect([...seen.keys()].every((status) => status < 500)).toBe(true);
  });
});
