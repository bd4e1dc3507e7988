import { status } from '@grpc/grpc-js';
import type { INestApplication } from '@nestjs/common';
import { AccountType, BrokerType } from '@qts/broker-domain';
import type { qtsExecutionV1 } from '@qts/grpc-contracts';
import { testPlatformConfig } from '@qts/test-support';
import request from 'supertest';
import { grpcFailure, submitRequest, type ExecutionGrpcClient } from '../../test/execution-grpc-client';
import { ScriptedBrokerFactory } from '../../test/scripted-broker-factory';
import { grpcHealthCheck } from '../../test/standard-grpc-probes';
import { startTestWorker } from '../../test/worker-test-app';

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

      expect(response.body).toEqual({ resetBrokerIds: ['kis'] });
      expect(brokers.resets.at(-1)).toBeUndefined();
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
