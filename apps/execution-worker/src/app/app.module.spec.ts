import { status } from '@grpc/grpc-js';
import type { INestApplication } from '@nestjs/common';
import { AccountType, BrokerType } from '@qts/broker-domain';
import type { qtsExecutionV1 } from '@qts/grpc-contracts';
import { testIntent, testPlatformConfig } from '@qts/test-support';
import request from 'supertest';
import { grpcFailure, submitRequest, type ExecutionGrpcClient } from '../../test/execution-grpc-client';
import { ScriptedBrokerFactory } from '../../test/scripted-broker-factory';
import { grpcHealthCheck } from '../../test/standard-grpc-probes';
import { storeOperatorFlaggedOrder } from '../../test/operator-flagged-order';
import { startTestWorker } from '../../test/worker-test-app';
import { ExecutionStore } from './persistence/execution-store';

const ADMIN_KEY = 'another-admin-key-0123456789';

describe('AppModule', () => {
  describe('with a required broker that cannot be reached and no admin key', () => {
    let app: INestApplication;
    let client: ExecutionGrpcClient;

    beforeAll(async () => {
      const config = testPlatformConfig({
        brokers: [
          {
            id: 'kis',
            type: BrokerType.KIS,
            // Port 1 on loopback: nothing listens there.
            grpc: { host: '127.0.0.1', port: 1 },
            rateLimit: { preset: 'kis-paper' },
            accounts: [{ id: '50012345-01', name: 'paper', type: AccountType.PAPER, isDefault: true }],
            required: true,
            mock: false,
          },
        ],
      });
      ({ app, client } = await startTestWorker(config, undefined, { withoutAdminKey: true }));
    });

    afterAll(async () => {
      client?.close();
      await app?.close();
    });

    it('answers the Kubernetes liveness probe with 200 and the terminus body', async () => {
      const response = await request(app.getHttpServer()).get('/health/live').expect(200);
      expect(response.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    });

    it('is not ready while a required broker is not connected (503), naming it', async () => {
      const response = await request(app.getHttpServer()).get('/health/ready').expect(503);

      expect(response.body.details.database.status).toBe('up');
      expect(response.body.error['broker:kis']).toMatchObject({ status: 'down', required: true });
      expect(['CONNECTING', 'DISCONNECTED']).toContain(response.body.error['broker:kis'].connection);
    });

    it('refuses every admin call when ADMIN_API_KEY is not set: no key can be created either', async () => {
      await request(app.getHttpServer()).post('/admin/fail-safe/reset').set('X-API-Key', ADMIN_KEY).send({}).expect(401);
      const failure = await client.resetFailSafe({ brokerId: '', reason: '' }, ADMIN_KEY).catch(grpcFailure);
      expect(failure).toMatchObject({ code: status.UNAUTHENTICATED, details: 'the API key is not valid' });
      await request(app.getHttpServer())
        .post('/admin/api-keys')
        .set('X-API-Key', ADMIN_KEY)
        .send({ name: 'x', scopes: ['admin'] })
        .expect(401);
      const submit = await client.submitIntent(submitRequest('no-key-at-all'), 5_000, ADMIN_KEY).catch(grpcFailure);
      expect(submit).toMatchObject({ code: status.UNAUTHENTICATED });
    });
  });

  describe('with a tripped fail-safe', () => {
    const brokers = new ScriptedBrokerFactory();
    let app: INestApplication;
    let client: ExecutionGrpcClient;

    beforeAll(async () => {
      brokers.tripped = [{ brokerId: 'kis', accountId: '50012345-01' }];
      ({ app, client } = await startTestWorker(testPlatformConfig({ adminApiKey: ADMIN_KEY }), brokers));
    });

    afterAll(async () => {
      client?.close();
      await app?.close();
    });

    it('shows the tripped guard in the metrics and resets it for the admin', async () => {
      const before = await request(app.getHttpServer()).get('/metrics').expect(200);
      // The account by its position in the broker's list: metrics carry no account numbers.
      expect(before.text).toContain('execution_worker_fail_safe_tripped{broker_id="kis",account="1"} 1');
      expect(before.text).not.toContain('50012345-01');

      await expect(client.resetFailSafe({ brokerId: 'kis', reason: 'broker is back' }, ADMIN_KEY)).resolves.toEqual({
        resetBrokerIds: ['kis'],
      });
      expect(brokers.resets).toEqual(['kis']);

      const after = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(after.text).not.toContain('execution_worker_fail_safe_tripped{');
    });

    it('resets every broker over HTTP when no broker id is given', async () => {
      brokers.tripped = [{ brokerId: 'kis', accountId: '50012345-01' }];
      const response = await request(app.getHttpServer())
        .post('/admin/fail-safe/reset')
        .set('X-API-Key', ADMIN_KEY)
        .send({ reason: 'all clear' })
        .expect(200);

      expect(response.body).toEqual({
        resetBrokerIds: ['kis'],
        resetAccounts: [{ brokerId: 'kis', accountId: '50012345-01', wasTripped: true, consecutiveFailures: 3 }],
      });
      expect(brokers.resets.at(-1)).toBeUndefined();
    });

    it("resets one account's guard over HTTP, and refuses an account without its broker", async () => {
      brokers.tripped = [
        { brokerId: 'kis', accountId: '50012345-01' },
        { brokerId: 'kis', accountId: '70000001-01' },
      ];
      const response = await request(app.getHttpServer())
        .post('/admin/fail-safe/reset')
        .set('X-API-Key', ADMIN_KEY)
        .send({ brokerId: 'kis', accountId: '70000001-01' })
        .expect(200);
      expect(response.body.resetAccounts).toEqual([{ brokerId: 'kis', accountId: '70000001-01', wasTripped: true, consecutiveFailures: 3 }]);
      expect(brokers.tripped).toEqual([{ brokerId: 'kis', accountId: '50012345-01' }]);

      const refused = await request(app.getHttpServer())
        .post('/admin/fail-safe/reset')
        .set('X-API-Key', ADMIN_KEY)
        .send({ accountId: '50012345-01' })
        .expect(400);
      expect(refused.body.message).toContain('brokerId');
      expect(brokers.tripped).toHaveLength(1);
    });
  });

  describe('an order only an operator can settle', () => {
    let app: INestApplication;
    let client: ExecutionGrpcClient;
    let store: ExecutionStore;
    const settle = (intentId: string, body: object, key = ADMIN_KEY) =>
      request(app.getHttpServer()).post(`/admin/orders/${encodeURIComponent(intentId)}/settle`).set('X-API-Key', key).send(body);

    beforeAll(async () => {
      ({ app, client } = await startTestWorker(testPlatformConfig({ adminApiKey: ADMIN_KEY })));
      store = app.get(ExecutionStore);
    });

    afterAll(async () => {
      client?.close();
      await app?.close();
    });

    const flaggedOrder = (intentId: string) => storeOperatorFlaggedOrder(store, intentId, new Date());

    it('is settled by an admin as the broker order they found: ACCEPTED under its number, the gauge back to 0', async () => {
      await flaggedOrder('ambiguous-1');
      const before = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(before.text).toMatch(/execution_worker_orders_needing_operator\{flag="AMBIGUOUS_MATCH"\} 1/);

      const response = await settle('ambiguous-1', { resolution: 'AT_BROKER', brokerOrderId: '0002', reason: 'matched by time in HTS' }).expect(200);

      expect(response.body).toEqual({
        intentId: 'ambiguous-1',
        status: 'ACCEPTED',
        brokerOrderId: '0002',
        message: 'settled by an operator: broker order 0002 (matched by time in HTS)',
      });
      const intent = await client.getIntent('ambiguous-1');
      expect(intent).toMatchObject({ accepted: true, orderId: '0002', operatorFlag: '' });
      const after = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(after.text).toMatch(/execution_worker_orders_needing_operator\{flag="AMBIGUOUS_MATCH"\} 0/);
      // Settled once: a second settlement changes nothing.
      const again = await settle('ambiguous-1', { resolution: 'NEVER_REACHED', reason: 'changed my mind' }).expect(409);
      expect(again.body.code).toBe('SETTLEMENT_CONFLICT');
      expect((await client.getIntent('ambiguous-1')).orderId).toBe('0002');
    });

    it('is settled as never reached: REJECTED with FS042', async () => {
      await flaggedOrder('ambiguous-2');
      const response = await settle('ambiguous-2', { resolution: 'NEVER_REACHED', reason: 'neither order is ours' }).expect(200);
      expect(response.body).toMatchObject({ intentId: 'ambiguous-2', status: 'REJECTED', brokerOrderId: null });
      expect(await client.getIntent('ambiguous-2')).toMatchObject({ accepted: false, failSafeCode: 'FS042', operatorFlag: '' });
    });

    it('needs an admin key and a well-formed settlement; an unknown intent is 404; nothing changes on a refusal', async () => {
      await flaggedOrder('ambiguous-3');
      await request(app.getHttpServer()).post('/admin/orders/ambiguous-3/settle').send({ resolution: 'NEVER_REACHED', reason: 'x' }).expect(401);
      const reader = await request(app.getHttpServer()).post('/admin/api-keys').set('X-API-Key', ADMIN_KEY).send({ name: 'reader', scopes: ['read'], strategies: [testIntent().strategyId] }).expect(201);
      expect((await settle('ambiguous-3', { resolution: 'NEVER_REACHED', reason: 'x' }, reader.body.key).expect(403)).body.code).toBe('INSUFFICIENT_SCOPE');
      const missingNumber = await settle('ambiguous-3', { resolution: 'AT_BROKER', reason: 'x' }).expect(400);
      expect(missingNumber.body.message).toContain('brokerOrderId');
      expect((await settle('ambiguous-3', { resolution: 'NEVER_REACHED', brokerOrderId: '1', reason: 'x' }).expect(400)).body.message).toContain('brokerOrderId');
      expect((await settle('ambiguous-3', { resolution: 'MAYBE', reason: 'x' }).expect(400)).body.message).toContain('resolution');
      expect((await settle('ambiguous-3', { resolution: 'NEVER_REACHED' }).expect(400)).body.message).toContain('reason');
      expect((await settle('ambiguous-3', { resolution: 'AT_BROKER', brokerOrderId: '12 34', reason: 'x' }).expect(400)).body.message).toContain('brokerOrderId');
      expect((await settle('x'.repeat(129), { resolution: 'NEVER_REACHED', reason: 'x' }).expect(400)).body.message).toContain('intentId');
      expect((await settle('nobody', { resolution: 'NEVER_REACHED', reason: 'x' }).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      expect(await client.getIntent('ambiguous-3')).toMatchObject({ operatorFlag: 'AMBIGUOUS_MATCH' });
    });
  });

  describe('shutdown', () => {
    it('ends the report streams with OK and stops serving gRPC', async () => {
      const { app, client, address } = await startTestWorker(testPlatformConfig({ worker: { shutdownGraceMs: 1_000 } }));
      const stream = client.streamExecutionReports({ strategyId: '', brokerId: '' });
      const ended = new Promise<string>((resolve) => {
        stream.on('data', (_report: qtsExecutionV1.ExecutionReport) => undefined);
        stream.on('status', (s: { code: number }) => resolve(s.code === status.OK ? 'OK' : String(s.code)));
        stream.on('error', () => undefined);
      });
      await client.submitIntent(submitRequest('before-shutdown'));
      await new Promise((resolve) => setTimeout(resolve, 100));

      await app.close();

      await expect(ended).resolves.toBe('OK');
      await expect(grpcHealthCheck(address, '').catch(grpcFailure)).resolves.toMatchObject({ code: status.UNAVAILABLE });
      client.close();
    });
  });
});
