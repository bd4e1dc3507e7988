import { status } from '@grpc/grpc-js';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import { testPlatformConfig } from '@qts/test-support';
import request from 'supertest';
import { grpcFailure, submitRequest } from '../../../test/execution-grpc-client';
import { grpcHealthCheck, listServicesByReflection } from '../../../test/standard-grpc-probes';
import { startTestWorker, type TestWorker } from '../../../test/worker-test-app';
import { OrderStatus } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import { intentResultOf } from '../processing/intent-result';
import { toGetIntentResponse } from './execution-grpc.controller';

const ADMIN_KEY = 'test-admin-key-0123456789';

describe('ExecutionService over gRPC (AppModule with the in-process mock broker)', () => {
  let worker: TestWorker;
  const client = () => worker.client;

  beforeAll(async () => {
    worker = await startTestWorker(
      testPlatformConfig({ adminApiKey: ADMIN_KEY, worker: { reconcileGraceMs: 6_000, shutdownGraceMs: 2_000 } }),
    );
  });

  afterAll(async () => {
    worker?.client.close();
    await worker?.app.close();
  });

  it('accepts an intent, and answers a repetition with the stored result flagged duplicate', async () => {
    const first = await client().submitIntent(submitRequest('grpc-1'));
    const again = await client().submitIntent(submitRequest('grpc-1'));

    expect(first).toMatchObject({ intentId: 'grpc-1', accepted: true, duplicate: false, failSafeCode: '', dryRun: false });
    expect(first.orderId).not.toBe('');
    expect([qtsTypeV1.OrderStatus.ACCEPTED, qtsTypeV1.OrderStatus.FILLED]).toContain(first.status);
    expect(again).toEqual({ ...first, duplicate: true });
  });

  it('answers GetIntent with the intent as submitted and its outcome, NOT_FOUND for an unknown id', async () => {
    await client().submitIntent(submitRequest('grpc-get'));

    const stored = await client().getIntent('grpc-get');

    expect(stored).toMatchObject({
      intentId: 'grpc-get',
      strategyId: 'momentum-kr',
      brokerId: 'kis',
      accountId: '50012345-01',
      symbol: '005930',
      side: qtsTypeV1.OrderSide.BUY,
      quantity: 10,
      orderType: qtsTypeV1.OrderType.LIMIT,
      limitPrice: '70100',
      accepted: true,
      operatorFlag: '',
    });
    expect(Date.parse(stored.createdAt)).not.toBeNaN();
    await expect(client().getIntent('nope').catch(grpcFailure)).resolves.toMatchObject({ code: status.NOT_FOUND });
    await expect(client().getIntent('').catch(grpcFailure)).resolves.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'intent_id is required',
    });
  });

  it.each([
    ['intent_id', { intentId: '' }],
    ['side', { side: qtsTypeV1.OrderSide.UNSPECIFIED }],
    ['order_type', { orderType: qtsTypeV1.OrderType.UNSPECIFIED }],
    ['quantity', { quantity: 0 }],
    ['limit_price', { limitPrice: '70,100' }],
    ['limit_price', { limitPrice: '70150' }],
    ['limit_price', { orderType: qtsTypeV1.OrderType.MARKET }],
    ['symbol', { symbol: 'AAPL' }],
  ])('refuses a bad %s with INVALID_ARGUMENT naming the field', async (field, overrides) => {
    const failure = await client().submitIntent(submitRequest(`bad-${field}`, overrides)).catch(grpcFailure);

    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect((failure as { details: string }).details).toContain(field);
  });

  it.each([
    ['expires_at', { expiresAt: 'tomorrow' }],
    ['expires_at', { expiresAt: '2024-01-02T00:00:00' }],
    ['expires_at', { expiresAt: '2999-01-01T00:00:00Z' }],
    ['expires_at', { expiresAt: new Date(Date.now() + 60_000).toISOString(), maxDelayMs: 1_000 }],
    ['max_delay_ms', { maxDelayMs: -1 }],
  ])('refuses a bad expiry (%s) with INVALID_ARGUMENT naming the field, storing nothing', async (field, overrides) => {
    const id = `bad-expiry-${field}-${JSON.stringify(overrides).length}`;
    const failure = await client().submitIntent(submitRequest(id, overrides)).catch(grpcFailure);

    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining(field) });
    await expect(client().getIntent(id).catch(grpcFailure)).resolves.toMatchObject({ code: status.NOT_FOUND });
  });

  it('gives an intent the expiry it asks for, or its order type default, and tells it in the answer and GetIntent', async () => {
    const expiresAt = new Date(Date.now() + 45_000);
    const explicit = await client().submitIntent(submitRequest('expiry-1', { expiresAt: expiresAt.toISOString() }));
    const before = Date.now();
    const market = await client().submitIntent(submitRequest('expiry-2', { orderType: qtsTypeV1.OrderType.MARKET, limitPrice: '' }));
    const after = Date.now();

    expect(explicit.expiresAt).toBe(expiresAt.toISOString());
    // MARKET default: 5 s after it arrived, which was between `before` and `after`.
    expect(Date.parse(market.expiresAt)).toBeGreaterThanOrEqual(before + 5_000);
    expect(Date.parse(market.expiresAt)).toBeLessThanOrEqual(after + 5_000);
    expect(market.pendingReason).toBe(qtsExecutionV1.PendingReason.UNSPECIFIED);
    const stored = await client().getIntent('expiry-1');
    expect(stored).toMatchObject({ expiresAt: expiresAt.toISOString(), pendingReason: qtsExecutionV1.PendingReason.UNSPECIFIED });
    expect(Date.parse(stored.submittedAt)).toBeLessThanOrEqual(Date.parse(stored.expiresAt));
  });

  it('refuses an unknown broker or account with NOT_FOUND, storing nothing', async () => {
    const broker = await client().submitIntent(submitRequest('nf-1', { brokerId: 'nope' })).catch(grpcFailure);
    const account = await client().submitIntent(submitRequest('nf-2', { accountId: '0000' })).catch(grpcFailure);

    expect(broker).toMatchObject({ code: status.NOT_FOUND, details: expect.stringContaining('broker_id') });
    expect(account).toMatchObject({ code: status.NOT_FOUND, details: expect.stringContaining('account_id') });
    await expect(client().getIntent('nf-1').catch(grpcFailure)).resolves.toMatchObject({ code: status.NOT_FOUND });
  });

  it('refuses a known intent id with another payload with ALREADY_EXISTS', async () => {
    await client().submitIntent(submitRequest('conflict-1'));

    const failure = await client().submitIntent(submitRequest('conflict-1', { quantity: 20 })).catch(grpcFailure);

    expect(failure).toMatchObject({ code: status.ALREADY_EXISTS, details: expect.stringContaining('quantity') });
  });

  it('validates a dry run without placing an order', async () => {
    const response = await client().submitIntent(submitRequest('dry-1', { dryRun: true }));

    expect(response).toMatchObject({ accepted: true, dryRun: true, orderId: '', status: qtsTypeV1.OrderStatus.UNSPECIFIED });
  });

  it('streams order state changes as they happen, filtered by strategy, in sequence order', async () => {
    const stream = client().streamExecutionReports({ strategyId: 'stream-strategy', brokerId: '' });
    const reports: qtsExecutionV1.ExecutionReport[] = [];
    const twoReports = new Promise<void>((resolve) =>
      stream.on('data', (report: qtsExecutionV1.ExecutionReport) => {
        reports.push(report);
        if (reports.length === 2) resolve();
      }),
    );
    stream.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));

    await client().submitIntent(submitRequest('other-strategy', { strategyId: 'someone-else' }));
    await client().submitIntent(submitRequest('stream-1', { strategyId: 'stream-strategy' }));
    await twoReports;
    stream.cancel();

    expect(reports.map((r) => [r.intentId, r.status])).toEqual([
      ['stream-1', qtsTypeV1.OrderStatus.PENDING],
      ['stream-1', expect.stringMatching(/ORDER_STATUS_(ACCEPTED|FILLED)/)],
    ]);
    expect(reports[1].sequence).toBeGreaterThan(reports[0].sequence);
    expect(reports[0]).toMatchObject({ strategyId: 'stream-strategy', brokerId: 'kis' });
  });

  it('resets the fail-safe only for the admin key, over gRPC (x-api-key) and HTTP (X-API-Key)', async () => {
    await expect(client().resetFailSafe({ brokerId: '', reason: 'x' }).catch(grpcFailure)).resolves.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    await expect(client().resetFailSafe({ brokerId: '', reason: 'x' }, 'wrong').catch(grpcFailure)).resolves.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    await expect(client().resetFailSafe({ brokerId: 'kis', reason: 'test' }, ADMIN_KEY)).resolves.toEqual({
      resetBrokerIds: [],
    });

    const server = worker.app.getHttpServer();
    await request(server).post('/admin/fail-safe/reset').send({}).expect(401);
    await request(server).post('/admin/fail-safe/reset').set('X-API-Key', 'wrong').send({}).expect(401);
    await request(server).post('/admin/fail-safe/reset').set('X-API-Key', ADMIN_KEY).send({ brokerId: 5 }).expect(400);
    await request(server).post('/admin/fail-safe/reset').set('X-API-Key', ADMIN_KEY).send({ nope: true }).expect(400);
    const reset = await request(server)
      .post('/admin/fail-safe/reset')
      .set('X-API-Key', ADMIN_KEY)
      .send({ brokerId: 'kis', reason: 'ops ticket 42' })
      .expect(200);
    expect(reset.body).toEqual({ resetBrokerIds: [] });
  });

  describe('API keys: scopes and strategy binding', () => {
    const keys: Record<string, { id: string; key: string }> = {};
    const createKey = async (name: string, scopes: string[], strategies?: string[]) => {
      const response = await request(worker.app.getHttpServer())
        .post('/admin/api-keys')
        .set('X-API-Key', ADMIN_KEY)
        .send({ name, scopes, ...(strategies === undefined ? {} : { strategies }) })
        .expect(201);
      expect(response.headers['cache-control']).toBe('no-store');
      return response.body as { id: string; key: string };
    };
    const codeOf = (failure: unknown) => {
      const error = failure as { code: number; metadata?: { get(key: string): unknown[] } };
      return [error.code, error.metadata?.get('qts-error-code')[0]];
    };

    beforeAll(async () => {
      keys['momentum'] = await createKey('momentum engine', ['submit', 'read'], ['momentum-kr']);
      keys['pairs'] = await createKey('pairs engine', ['submit', 'read'], ['pairs-kr']);
      keys['momentumReader'] = await createKey('momentum dashboard', ['read'], ['momentum-kr']);
      keys['operator'] = await createKey('operator', ['admin', 'read']);
    });

    it('refuses SubmitIntent without a valid key, without the submit scope, or for another strategy', async () => {
      const submit = (id: string, key: string | null | undefined, overrides = {}) =>
        client().submitIntent(submitRequest(id, overrides), 10_000, key).catch((error: unknown) => codeOf(error));
      expect(await submit('auth-1', null)).toEqual([status.UNAUTHENTICATED, 'API_KEY_REQUIRED']);
      expect(await submit('auth-2', 'garbage')).toEqual([status.UNAUTHENTICATED, 'API_KEY_INVALID']);
      expect(await submit('auth-3', keys['momentumReader']?.key)).toEqual([status.PERMISSION_DENIED, 'INSUFFICIENT_SCOPE']);
      expect(await submit('auth-4', keys['pairs']?.key)).toEqual([status.PERMISSION_DENIED, 'STRATEGY_NOT_PERMITTED']);
      // Nothing of the refused intents was stored.
      for (const id of ['auth-1', 'auth-2', 'auth-3', 'auth-4']) {
        expect(await client().getIntent(id).catch((error: unknown) => codeOf(error))).toEqual([status.NOT_FOUND, 'ORDER_NOT_FOUND']);
      }
      expect(await submit('auth-5', keys['momentum']?.key)).toMatchObject({ intentId: 'auth-5', accepted: true });
      expect(await submit('auth-6', keys['pairs']?.key, { strategyId: 'pairs-kr' })).toMatchObject({ intentId: 'auth-6', accepted: true });
    });

    it("shows a strategy's intents only to its keys and admins: another strategy's is NOT_FOUND", async () => {
      await client().submitIntent(submitRequest('auth-get'), 10_000, keys['momentum']?.key);
      await expect(client().getIntent('auth-get', keys['momentumReader']?.key)).resolves.toMatchObject({ strategyId: 'momentum-kr' });
      await expect(client().getIntent('auth-get', keys['operator']?.key)).resolves.toMatchObject({ strategyId: 'momentum-kr' });
      const foreign = await client().getIntent('auth-get', keys['pairs']?.key).catch(grpcFailure);
      expect(foreign).toEqual({ code: status.NOT_FOUND, details: "intent_id 'auth-get' is not known" });
      expect(await client().getIntent('auth-get', null).catch((error: unknown) => codeOf(error))).toEqual([status.UNAUTHENTICATED, 'API_KEY_REQUIRED']);
    });

    it("streams a strategy's reports only to its keys; naming another strategy is PERMISSION_DENIED", async () => {
      const refused = await new Promise<unknown>((resolve) => {
        const stream = client().streamExecutionReports({ strategyId: 'momentum-kr', brokerId: '' }, keys['pairs']?.key);
        stream.on('error', (error) => resolve(codeOf(error)));
        stream.on('data', () => undefined);
      });
      expect(refused).toEqual([status.PERMISSION_DENIED, 'STRATEGY_NOT_PERMITTED']);
      const anonymous = await new Promise<unknown>((resolve) => {
        const stream = client().streamExecutionReports({ strategyId: '', brokerId: '' }, null);
        stream.on('error', (error) => resolve(codeOf(error)));
        stream.on('data', () => undefined);
      });
      expect(anonymous).toEqual([status.UNAUTHENTICATED, 'API_KEY_REQUIRED']);

      const seen: string[] = [];
      const stream = client().streamExecutionReports({ strategyId: '', brokerId: '' }, keys['pairs']?.key);
      const ownReport = new Promise<void>((resolve) =>
        stream.on('data', (report: qtsExecutionV1.ExecutionReport) => {
          seen.push(`${report.strategyId}/${report.intentId}`);
          if (report.intentId === 'auth-own') resolve();
        }),
      );
      stream.on('error', () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await client().submitIntent(submitRequest('auth-foreign'), 10_000, keys['momentum']?.key);
      await client().submitIntent(submitRequest('auth-own', { strategyId: 'pairs-kr' }), 10_000, keys['pairs']?.key);
      await ownReport;
      stream.cancel();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((entry) => entry === 'pairs-kr/auth-own')).toBe(true);
    });

    it('lets only admin keys reset the fail-safe; a revoked key is refused at once', async () => {
      expect(await client().resetFailSafe({ brokerId: '', reason: '' }, keys['momentum']?.key).catch((error: unknown) => codeOf(error))).toEqual([
        status.PERMISSION_DENIED,
        'INSUFFICIENT_SCOPE',
      ]);
      await expect(client().resetFailSafe({ brokerId: '', reason: 'stored admin key' }, keys['operator']?.key)).resolves.toEqual({ resetBrokerIds: [] });
      await request(worker.app.getHttpServer()).delete(`/admin/api-keys/${keys['operator']?.id}`).set('X-API-Key', ADMIN_KEY).expect(200);
      expect(await client().resetFailSafe({ brokerId: '', reason: '' }, keys['operator']?.key).catch((error: unknown) => codeOf(error))).toEqual([
        status.UNAUTHENTICATED,
        'API_KEY_INVALID',
      ]);
    });

    it('refuses keys that would act for no strategy, and scopes the worker does not have', async () => {
      const server = worker.app.getHttpServer();
      const unbound = await request(server).post('/admin/api-keys').set('X-API-Key', ADMIN_KEY).send({ name: 'x', scopes: ['submit'] }).expect(400);
      expect(unbound.body.message).toContain('strategies');
      await request(server).post('/admin/api-keys').set('X-API-Key', ADMIN_KEY).send({ name: 'x', scopes: ['trade'], strategies: ['s'] }).expect(400);
      await request(server)
        .post('/admin/api-keys')
        .set('X-API-Key', keys['momentum']?.key ?? '')
        .send({ name: 'x', scopes: ['admin'] })
        .expect(403);
      const listed = await request(server).get('/admin/api-keys').set('X-API-Key', ADMIN_KEY).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(keys['momentum']?.key);
    });
  });

  describe('bounded input', () => {
    it('refuses ids longer than their columns with INVALID_ARGUMENT, quoting no more than a prefix', async () => {
      const long = await client().getIntent('i'.repeat(129)).catch(grpcFailure);
      expect(long).toEqual({ code: status.INVALID_ARGUMENT, details: 'intent_id must be at most 128 characters (got 129)' });
      const huge = await client().getIntent('x'.repeat(60_000)).catch(grpcFailure);
      expect(huge).toEqual({ code: status.INVALID_ARGUMENT, details: 'intent_id must be at most 128 characters (got 60000)' });
      const submitted = await client().submitIntent(submitRequest('s'.repeat(65_000))).catch(grpcFailure);
      expect(submitted).toEqual({ code: status.INVALID_ARGUMENT, details: 'intent_id must be at most 128 characters (got 65000)' });
      await expect(client().getIntent('i'.repeat(128)).catch(grpcFailure)).resolves.toMatchObject({ code: status.NOT_FOUND });
      const price = (await client().submitIntent(submitRequest('price-1', { limitPrice: `7${'0'.repeat(2_000)}` })).catch(grpcFailure)) as {
        code: number;
        details: string;
      };
      expect(price.code).toBe(status.INVALID_ARGUMENT);
      expect(price.details).toContain('limit_price');
      expect(price.details.length).toBeLessThan(200);
    });

    it('refuses a quantity above the gateway limit, as the gateway does', async () => {
      const failure = await client().submitIntent(submitRequest('qty-1', { quantity: 1_000_000_001, dryRun: true })).catch(grpcFailure);
      expect(failure).toEqual({ code: status.INVALID_ARGUMENT, details: 'quantity must be at most 1000000000' });
      await expect(client().submitIntent(submitRequest('qty-2', { quantity: 1_000_000_000, dryRun: true }))).resolves.toMatchObject({ accepted: true });
    });

    it('refuses an admin body nested too deep with 400, and an anonymous one with 401 without reading it', async () => {
      const server = worker.app.getHttpServer();
      const deep = '{"reason":' + '['.repeat(2_000) + ']'.repeat(2_000) + '}';
      const refused = await request(server).post('/admin/fail-safe/reset').set('X-API-Key', ADMIN_KEY).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(refused.body).toEqual({ statusCode: 400, code: 'INVALID_ARGUMENT', message: 'body is nested deeper than 32 levels' });
      const anonymous = await request(server).post('/admin/fail-safe/reset').set('Content-Type', 'application/json').send(deep).expect(401);
      expect(anonymous.body.code).toBe('API_KEY_REQUIRED');
    });
  });

  it('serves the standard gRPC health service per service name', async () => {
    await expect(grpcHealthCheck(worker.address, '')).resolves.toBe('SERVING');
    await expect(grpcHealthCheck(worker.address, 'qts.execution.v1.ExecutionService')).resolves.toBe('SERVING');
  });

  it('answers readiness (database and required brokers) and liveness over HTTP', async () => {
    const server = worker.app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    const ready = await request(server).get('/health/ready').expect(200);

    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details['broker:kis']).toMatchObject({ status: 'up', connection: 'CONNECTED', required: true });
  });

  it('exposes Prometheus metrics', async () => {
    const metrics = await request(worker.app.getHttpServer()).get('/metrics').expect(200);

    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.text).toMatch(/execution_worker_intents_received_total \d+/);
    expect(metrics.text).toMatch(/execution_worker_intents_duplicate_total [1-9]/);
    expect(metrics.text).toMatch(/execution_worker_orders\{status="(ACCEPTED|FILLED)"\} [1-9]/);
    expect(metrics.text).toMatch(/execution_worker_broker_call_duration_seconds_bucket/);
  });

  it('lists its services through server reflection', async () => {
    await expect(listServicesByReflection(worker.address)).resolves.toEqual(
      expect.arrayContaining(['grpc.health.v1.Health', 'qts.execution.v1.ExecutionService']),
    );
  });
});

describe('toGetIntentResponse', () => {
  it('shows the operator flag of an order only an operator can settle, and its UNKNOWN status', () => {
    const at = new Date('2026-11-30T01:00:00Z');
    const stored = {
      seq: 1,
      intent: testIntent({ intentId: 'twin' }),
      dryRun: false,
      answer: { accepted: false, handledBy: 'live', message: 'needs an operator: ambiguous', answeredAt: at },
      order: {
        id: 1,
        intentId: 'twin',
        clientOrderId: 'twin',
        brokerId: 'kis',
        accountId: '50012345-01',
        symbol: '005930',
        status: OrderStatus.UNKNOWN,
        filledQuantity: 0,
        operatorFlag: 'AMBIGUOUS_MATCH',
        createdAt: at,
        updatedAt: at,
      },
      createdAt: at,
      updatedAt: at,
    };
    const response = toGetIntentResponse(stored, intentResultOf(stored));

    expect(response).toMatchObject({ operatorFlag: 'AMBIGUOUS_MATCH', status: qtsTypeV1.OrderStatus.UNKNOWN, accepted: false });
  });
});
