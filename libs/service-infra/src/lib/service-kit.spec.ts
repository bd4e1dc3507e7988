import { Writable } from 'node:stream';
import type { Server } from 'node:http';
import { Client, credentials, loadPackageDefinition, Metadata, status, type ServerWritableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Body, Controller, Get, Global, Injectable, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { PinoLogger } from 'nestjs-pino';
import { BrokerRegistry, ConnectionStatus, MockBrokerGateway, OrderNotFoundError, RateLimitExceededError } from '@qts/broker-domain';
import { EXECUTION_PROTO_FILES, qtsExecutionV1 } from '@qts/grpc-contracts';
import { PlatformConfigModule } from '@qts/platform-config';
import { testBrokerConfig, testPlatformConfig } from '@qts/test-support';
import { IsInt, Min } from 'class-validator';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { Counter, Registry } from 'prom-client';
import type { Observable } from 'rxjs';
import request from 'supertest';
import { ApiKeyAuthModule } from './api-keys/api-key-auth.module';
import { presentedApiKey, type ApiKeyVerifier } from './api-keys/api-key-verifier';
import type { ApiPrincipal } from './api-keys/api-principal';
import { BootstrapAdminKey } from './api-keys/bootstrap-admin-key';
import { CurrentPrincipal, PublicRoute, RequireScope } from './api-keys/route-access.decorators';
import { ErrorResponseFilter } from './errors/error-response.filter';
import { ApiKeyInvalidError } from './errors/platform-errors';
import { GrpcServerStreams } from './grpc/grpc-server-streams';
import { GrpcServingModule } from './grpc/grpc-serving.module';
import { PlatformGrpcServer } from './grpc/platform-grpc-server';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LOG_DESTINATION, LoggingModule } from './logging/logging.module';
import { METRICS_REGISTRY } from './metrics/metrics-registry.token';
import { MetricsModule } from './metrics/metrics.module';
import { startServices } from './startup/start-services';
import { BrokerParams } from './validation/broker-params';
import { createRequestValidationPipe } from './validation/request-validation-pipe';

const ADMIN_KEY = 'kit-admin-key-0123456789abcdef';
const READER_KEY = 'qts_reader-key';
const SERVICE_NAME = 'qts.execution.v1.ExecutionService';
const CONSOLE_ORIGIN = 'https://console.example.com';
const identity = (bytes: Buffer): Buffer => bytes;

/** A key store beside the bootstrap key: one read-only key. */
@Injectable()
class TestKeyStore implements ApiKeyVerifier {
  constructor(private readonly admin: BootstrapAdminKey) {}

  async authenticate(presented: unknown): Promise<ApiPrincipal> {
    const key = presentedApiKey(presented);
    const admin = this.admin.match(key);
    if (admin !== undefined) return admin;
    if (key === READER_KEY) return { keyId: 'reader', name: 'reader', scopes: new Set(['read']), strategies: new Set() };
    throw new ApiKeyInvalidError();
  }
}

class QuantityBody {
  @IsInt()
  @Min(1)
  quantity!: number;
}

@Controller('things')
class ThingsController {
  @Get(':brokerId')
  @RequireScope('read')
  get(@Param() params: BrokerParams, @CurrentPrincipal() caller: ApiPrincipal): { brokerId: string; caller: string } {
    return { brokerId: params.brokerId, caller: caller.name };
  }

  @Post()
  @RequireScope('trade')
  create(@Body() body: QuantityBody): { quantity: number } {
    return { quantity: body.quantity };
  }

  @Get('busy/now')
  @PublicRoute()
  busy(): never {
    throw new RateLimitExceededError('over the limit', { retryAfterMs: 1_500 });
  }
}

/** ExecutionService as a test double: unary errors by intent id, a stream of numbered reports. */
@Controller()
class ReportsGrpcController {
  constructor(private readonly streams: GrpcServerStreams) {}

  @GrpcMethod('ExecutionService', 'GetIntent')
  @RequireScope('read')
  async getIntent(
    @Payload() request: qtsExecutionV1.GetIntentRequest,
    @CurrentPrincipal() caller: ApiPrincipal,
  ): Promise<qtsExecutionV1.GetIntentResponse> {
    if (request.intentId === 'missing') throw new OrderNotFoundError(`intent_id '${request.intentId}' is not known`);
    if (request.intentId === 'busy') throw new RateLimitExceededError('over the limit', { retryAfterMs: 1_500 });
    if (request.intentId === 'boom') throw new Error('SQLITE_CORRUPT at /var/lib/secret');
    return qtsExecutionV1.GetIntentResponse.fromPartial({ intentId: request.intentId, strategyId: caller.name });
  }

  @GrpcMethod('ExecutionService', 'SubmitIntent')
  @RequireScope('read')
  async submitIntent(request: qtsExecutionV1.SubmitIntentRequest): Promise<qtsExecutionV1.SubmitIntentResponse> {
    return qtsExecutionV1.SubmitIntentResponse.fromPartial({ intentId: request.intentId, message: `quantity ${request.quantity}` });
  }

  @GrpcMethod('ExecutionService', 'ResetFailSafe')
  @RequireScope('admin')
  async resetFailSafe(): Promise<qtsExecutionV1.ResetFailSafeResponse> {
    return { resetBrokerIds: [] };
  }

  /** strategy_id 'endless': reports until the call ends; otherwise 3 reports. */
  @GrpcMethod('ExecutionService', 'StreamExecutionReports')
  @PublicRoute()
  streamExecutionReports(
    request: qtsExecutionV1.StreamExecutionReportsRequest,
    _metadata: Metadata,
    call: ServerWritableStream<qtsExecutionV1.StreamExecutionReportsRequest, qtsExecutionV1.ExecutionReport>,
  ): Observable<never> {
    return this.streams.stream(call, async ({ write, signal }) => {
      for (let sequence = 1; request.strategyId === 'endless' ? !signal.aborted : sequence <= 3; sequence += 1) {
        await write({ ...qtsExecutionV1.ExecutionReport.fromPartial({ intentId: `i-${sequence}` }), sequence });
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  }
}

class LogCapture extends Writable {
  text = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

const registry = new BrokerRegistry();
const kisStatus = { current: ConnectionStatus.CONNECTED };
registry.register(new MockBrokerGateway({ brokerId: 'kis' }), { status: () => kisStatus.current });

@Global()
@Module({ providers: [{ provide: BrokerRegistry, useValue: registry }], exports: [BrokerRegistry] })
class RegistryModule {}

@Module({
  imports: [
    PlatformConfigModule.forRoot({
      config: testPlatformConfig({
        adminApiKey: ADMIN_KEY,
        logLevel: 'info',
        brokers: [testBrokerConfig(), testBrokerConfig({ id: 'sim', required: false })],
        security: { corsAllowedOrigins: [CONSOLE_ORIGIN] },
      }),
    }),
    LoggingModule,
    DatabaseModule.forRoot({ defaultSqliteFile: 'unused.sqlite', entities: [], migrations: [] }),
    MetricsModule.forRoot({ defaultMetricsPrefix: 'kit_' }),
    ApiKeyAuthModule.forRoot({ verifier: TestKeyStore }),
    RegistryModule,
    HealthModule.forRoot(),
    GrpcServingModule.forService({
      services: { [SERVICE_NAME]: qtsExecutionV1.ExecutionServiceService },
      protoFiles: EXECUTION_PROTO_FILES,
      servingHealthNames: [SERVICE_NAME],
      port: (config) => config.worker.grpcPort,
      shutdownGraceMs: () => 2_000,
    }),
  ],
  controllers: [ThingsController, ReportsGrpcController],
  providers: [
    { provide: APP_PIPE, useFactory: createRequestValidationPipe },
    { provide: APP_FILTER, useClass: ErrorResponseFilter },
  ],
})
class KitTestModule {}

interface HealthClient {
  check(request: { service: string }, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  watch(request: { service: string }): NodeJS.EventEmitter & { cancel(): void };
  close(): void;
}

function healthClient(address: string): HealthClient {
  const definition = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, creds: unknown) => HealthClient } } };
  };
  return new definition.grpc.health.v1.Health(address, credentials.createInsecure());
}

function healthCheck(address: string, service: string): Promise<string> {
  const client = healthClient(address);
  return new Promise((resolve, reject) =>
    client.check({ service }, (error, response) => {
      client.close();
      return error ? reject(error) : resolve(response.status);
    }),
  );
}

function withKey(key?: string): Metadata {
  const metadata = new Metadata();
  if (key !== undefined) metadata.set('x-api-key', key);
  return metadata;
}

describe('a service built from the kit', () => {
  let app: INestApplication;
  let grpc: PlatformGrpcServer;
  let client: qtsExecutionV1.ExecutionServiceClient;
  let logs: LogCapture;
  const http = () => request(app.getHttpServer());
  const getIntent = (intentId: string, key?: string) =>
    new Promise<{ response?: qtsExecutionV1.GetIntentResponse; error?: ServiceError }>((resolve) =>
      client.getIntent({ intentId }, withKey(key), (error, response) => resolve(error ? { error } : { response })),
    );

  beforeAll(async () => {
    logs = new LogCapture();
    const moduleRef = await Test.createTestingModule({ imports: [KitTestModule] })
      .overrideProvider(LOG_DESTINATION)
      .useValue(logs)
      .compile();
    app = moduleRef.createNestApplication();
    grpc = await startServices(app);
    client = new qtsExecutionV1.ExecutionServiceClient(`127.0.0.1:${grpc.port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    if (grpc !== undefined) await app.close();
  });

  describe('over HTTP', () => {
    it('needs an API key with the route scope: 401 without one, 403 without the scope, the caller otherwise', async () => {
      const missing = await http().get('/things/kis').expect(401);
      expect(missing.body).toEqual({ statusCode: 401, code: 'API_KEY_REQUIRED', message: expect.any(String) });
      const wrong = await http().get('/things/kis').set('X-API-Key', 'qts_nope').expect(401);
      expect(wrong.body.code).toBe('API_KEY_INVALID');
      expect(JSON.stringify(wrong.body)).not.toContain('qts_nope');
      const denied = await http().post('/things').set('X-API-Key', READER_KEY).send({ quantity: 1 }).expect(403);
      expect(denied.body.code).toBe('INSUFFICIENT_SCOPE');
      expect((await http().get('/things/kis').set('X-API-Key', READER_KEY).expect(200)).body).toEqual({ brokerId: 'kis', caller: 'reader' });
      expect((await http().get('/things/kis').set('X-API-Key', ADMIN_KEY).expect(200)).body.caller).toBe('ADMIN_API_KEY');
    });

    it('refuses bad input with 400 INVALID_ARGUMENT naming the field, never echoing the value', async () => {
      const badParam = await http().get('/things/NOT_A_BROKER').set('X-API-Key', READER_KEY).expect(400);
      expect(badParam.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('brokerId') });
      const badBody = await http().post('/things').set('X-API-Key', ADMIN_KEY).send({ quantity: '10', extra: 'secret-value' }).expect(400);
      expect(badBody.body.message).toContain('quantity');
      expect(badBody.body.message).toContain('extra is not an accepted field');
      expect(badBody.body.message).not.toContain('secret-value');
    });

    it('answers a rate limit with 429, the stable code and Retry-After in whole seconds', async () => {
      const busy = await http().get('/things/busy/now').expect(429);
      expect(busy.headers['retry-after']).toBe('2');
      expect(busy.body).toEqual({ statusCode: 429, code: 'RATE_LIMITED', message: 'over the limit' });
    });

    it('serves liveness, readiness (database and required brokers only) and per-broker health', async () => {
      await http().get('/health/live').expect(200);
      const ready = await http().get('/health/ready').expect(200);
      expect(Object.keys(ready.body.details).sort()).toEqual(['broker:kis', 'database']);
      kisStatus.current = ConnectionStatus.DISCONNECTED;
      const down = await http().get('/health/ready').expect(503);
      expect(down.body.error['broker:kis']).toMatchObject({ status: 'down', connection: 'DISCONNECTED', required: true });
      kisStatus.current = ConnectionStatus.DEGRADED;
      await http().get('/health/ready').expect(200);
      kisStatus.current = ConnectionStatus.CONNECTED;
      expect((await http().get('/health/brokers/kis').expect(200)).body.details['broker:kis']).toMatchObject({ type: 'KIS', mock: false });
      // Configured but not registered in this process: down, not unknown.
      await http().get('/health/brokers/sim').expect(503);
      expect((await http().get('/health/brokers/nope').expect(404)).body.code).toBe('BROKER_NOT_FOUND');
    });

    it('exposes its registry at /metrics without a key, process metrics with the prefix', async () => {
      new Counter({ name: 'kit_test_total', help: 'a metric of the service', registers: [app.get<Registry>(METRICS_REGISTRY)] }).inc(3);
      const metrics = await http().get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.text).toContain('kit_test_total 3');
      expect(metrics.text).toContain('kit_process_cpu_user_seconds_total');
    });

    it('keeps idle keep-alive connections open longer than the load balancers in front (75 s), headers timeout above it', () => {
      const server = app.getHttpServer() as Server;
      expect(server.keepAliveTimeout).toBe(75_000);
      expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    });

    it('sends no ETag: answers are live data', async () => {
      const answer = await http().get('/things/kis').set('X-API-Key', READER_KEY).expect(200);
      expect(answer.headers['etag']).toBeUndefined();
    });

    it('sends the security headers on every answer, no X-Powered-By, and no-store', async () => {
      for (const answer of [await http().get('/things/kis').set('X-API-Key', READER_KEY), await http().get('/nowhere'), await http().get('/health/live')]) {
        expect(answer.headers['x-powered-by']).toBeUndefined();
        expect(answer.headers).toMatchObject({
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'no-referrer',
          'cross-origin-resource-policy': 'same-origin',
        });
        // Terminus writes its own, stricter, caching header on health answers.
        expect(answer.headers['cache-control']).toContain('no-store');
      }
    });

    it('answers CORS preflights: the allowance for a listed origin, none for another; never routed', async () => {
      const allowed = await http()
        .options('/things')
        .set('Origin', CONSOLE_ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'x-api-key, content-type')
        .expect(204);
      expect(allowed.headers).toMatchObject({
        'access-control-allow-origin': CONSOLE_ORIGIN,
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'X-API-Key, Content-Type, Idempotency-Key',
        vary: 'Origin',
      });
      const other = await http().options('/things').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST').expect(204);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(other.headers['access-control-allow-methods']).toBeUndefined();
      const simple = await http().get('/things/kis').set('Origin', CONSOLE_ORIGIN).set('X-API-Key', READER_KEY).expect(200);
      expect(simple.headers['access-control-allow-origin']).toBe(CONSOLE_ORIGIN);
      expect(simple.headers['access-control-expose-headers']).toContain('Retry-After');
      const foreign = await http().get('/things/kis').set('Origin', 'https://evil.example').set('X-API-Key', READER_KEY).expect(200);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      // Without Origin an OPTIONS request is routed like any other.
      await http().options('/things').expect(404);
    });

    it('authenticates before it reads a body: an anonymous body is never parsed nor validated', async () => {
      const deep = '{"quantity":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}';
      for (const [key, code] of [[undefined, 'API_KEY_REQUIRED'], ['qts_wrong', 'API_KEY_INVALID']] as const) {
        let call = http().post('/things').set('Content-Type', 'application/json');
        if (key !== undefined) call = call.set('X-API-Key', key);
        const refused = await call.send(deep).expect(401);
        expect(refused.body).toEqual({ statusCode: 401, code, message: expect.any(String) });
        expect(refused.headers['connection']).toBe('close');
      }
      // Malformed JSON is not even looked at without a key.
      expect((await http().post('/things').set('Content-Type', 'application/json').send('{"quantity":').expect(401)).body.code).toBe('API_KEY_REQUIRED');
    });

    it('refuses deep nesting and prototype keys of an authenticated body with 400, never 500', async () => {
      const deep = await http()
        .post('/things')
        .set('X-API-Key', ADMIN_KEY)
        .set('Content-Type', 'application/json')
        .send('{"quantity":' + '['.repeat(1_500) + ']'.repeat(1_500) + '}')
        .expect(400);
      expect(deep.body).toEqual({ statusCode: 400, code: 'INVALID_ARGUMENT', message: 'body is nested deeper than 32 levels' });
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const polluted = await http()
          .post('/things')
          .set('X-API-Key', ADMIN_KEY)
          .set('Content-Type', 'application/json')
          .send(`{"quantity":1,"${key}":{"admin":true}}`)
          .expect(400);
        expect(polluted.body.message).toBe(`body must not contain the key '${key}'`);
      }
      const malformed = await http().post('/things').set('X-API-Key', ADMIN_KEY).set('Content-Type', 'application/json').send('{"quantity":').expect(400);
      expect(malformed.body.code).toBe('MALFORMED_REQUEST');
      // Only JSON is read: any other body is refused, never taken for an empty one.
      for (const type of ['form', 'text', 'application/xml']) {
        const other = await http().post('/things').set('X-API-Key', ADMIN_KEY).type(type).send('quantity=1').expect(415);
        expect(other.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      }
      await http().post('/things').set('X-API-Key', ADMIN_KEY).type('application/problem+json').send('{"quantity":2}').expect(201);
    });

    it('never logs a key sent in the query string', async () => {
      await http().get(`/things/kis?api_key=${READER_KEY}&other=${encodeURIComponent(ADMIN_KEY)}`).set('X-API-Key', READER_KEY).expect(200);
      expect(logs.text).toContain('"url":"/things/kis?api_key=[REDACTED]&other=[REDACTED]"');
      expect(logs.text).not.toContain(READER_KEY);
      expect(logs.text).not.toContain(ADMIN_KEY);
    });

    it('logs requests as JSON (method, URL, status, caller address), never their credential headers', async () => {
      await http().get('/things/kis').set('X-API-Key', READER_KEY).set('Authorization', 'Bearer kit-bearer-secret').expect(200);
      const line = logs.text.split('\n').find((text) => text.includes('"url":"/things/kis"') && text.includes('"statusCode":200'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({ req: { method: 'GET', url: '/things/kis', remoteAddress: expect.any(String) }, res: { statusCode: 200 } });
      expect(logs.text).not.toContain('kit-bearer-secret');
      expect(logs.text.toLowerCase()).not.toContain('x-api-key');
      expect(logs.text).not.toContain(READER_KEY);
      expect(logs.text).not.toContain(ADMIN_KEY);
    });
  });

  describe('the application log', () => {
    it('redacts secret-named fields of what the application logs, at any depth, keeping the rest', async () => {
      const logger = await app.resolve(PinoLogger);
      logger.info({ broker: { id: 'kis', credentials: { appkey: 'kit-app-key-value', appsecret: 'kit-app-secret-value' } }, token: 'kit-token-value' }, 'token issued');
      const line = logs.text.split('\n').find((text) => text.includes('"msg":"token issued"'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({
        broker: { id: 'kis', credentials: { appkey: '[REDACTED]', appsecret: '[REDACTED]' } },
        token: '[REDACTED]',
      });
      expect(logs.text).not.toMatch(/kit-(app-key|app-secret|token)-value/);
    });
  });

  describe('over gRPC (@nestjs/microservices)', () => {
    it('needs an API key in x-api-key metadata: UNAUTHENTICATED or PERMISSION_DENIED with the stable code', async () => {
      const missing = await getIntent('i-1');
      expect(missing.error?.code).toBe(status.UNAUTHENTICATED);
      expect(missing.error?.metadata.get('qts-error-code')).toEqual(['API_KEY_REQUIRED']);
      const invalid = await getIntent('i-1', 'qts_nope');
      expect(invalid.error?.metadata.get('qts-error-code')).toEqual(['API_KEY_INVALID']);
      const denied = await new Promise<ServiceError | null>((resolve) =>
        client.resetFailSafe({ brokerId: '', reason: '' }, withKey(READER_KEY), (error) => resolve(error)),
      );
      expect(denied?.code).toBe(status.PERMISSION_DENIED);
      expect((await getIntent('i-1', READER_KEY)).response).toMatchObject({ intentId: 'i-1', strategyId: 'reader' });
    });

    it('maps failures through the one table: NOT_FOUND, RESOURCE_EXHAUSTED with retry-after-ms, INTERNAL without internals', async () => {
      const missing = await getIntent('missing', READER_KEY);
      expect(missing.error).toMatchObject({ code: status.NOT_FOUND, details: "intent_id 'missing' is not known" });
      expect(missing.error?.metadata.get('qts-error-code')).toEqual(['ORDER_NOT_FOUND']);
      const busy = await getIntent('busy', READER_KEY);
      expect(busy.error?.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(busy.error?.metadata.get('retry-after-ms')).toEqual(['1500']);
      const boom = await getIntent('boom', READER_KEY);
      expect(boom.error).toMatchObject({ code: status.INTERNAL, details: 'internal error' });
    });

    it('answers requests that are not valid protobuf with INVALID_ARGUMENT, naming an int64 field out of range', async () => {
      const raw = new Client(`127.0.0.1:${grpc.port}`, credentials.createInsecure());
      const unary = (method: string, bytes: Buffer) =>
        new Promise<ServiceError | null>((resolve) =>
          raw.makeUnaryRequest(`/${SERVICE_NAME}/${method}`, identity, identity, bytes, withKey(READER_KEY), (error) => resolve(error)),
        );
      const garbage = await unary('GetIntent', Buffer.from([0x0a, 0xff, 0xff, 0x03]));
      expect(garbage).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'the request is not a valid GetIntentRequest message' });
      expect(garbage?.metadata.get('qts-error-code')).toEqual(['INVALID_ARGUMENT']);
      const valid = Buffer.from(qtsExecutionV1.SubmitIntentRequest.encode(qtsExecutionV1.SubmitIntentRequest.fromPartial({ intentId: 'i' })).finish());
      const huge = await unary('SubmitIntent', Buffer.concat([valid, Buffer.from([0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])]));
      expect(huge).toMatchObject({ code: status.INVALID_ARGUMENT, details: `quantity is beyond the safe integer range (±${Number.MAX_SAFE_INTEGER})` });
      const streamStatus = await new Promise<number>((resolve) => {
        const call = raw.makeServerStreamRequest(`/${SERVICE_NAME}/StreamExecutionReports`, identity, identity, Buffer.from([0xff]), withKey(READER_KEY));
        call.on('error', (error: ServiceError) => resolve(error.code));
        call.on('data', () => undefined);
      });
      expect(streamStatus).toBe(status.INVALID_ARGUMENT);
      expect(await unary('SubmitIntent', valid)).toBeNull();
      raw.close();
    });

    it('refuses messages over 64 KiB without disturbing other calls on the connection', async () => {
      const big = getIntent('x'.repeat(100 * 1024), READER_KEY);
      const bystanders = Array.from({ length: 5 }, (_, index) => getIntent(`by-${index}`, READER_KEY));
      expect((await big).error?.code).toBe(status.RESOURCE_EXHAUSTED);
      for (const bystander of await Promise.all(bystanders)) expect(bystander.response?.intentId).toMatch(/^by-/);
    });

    it('streams server messages to the end, with OK', async () => {
      const stream = client.streamExecutionReports({ strategyId: '', brokerId: '' });
      const sequences: number[] = [];
      const end = new Promise<number>((resolve) => {
        stream.on('data', (report: qtsExecutionV1.ExecutionReport) => sequences.push(report.sequence));
        stream.on('status', (result: { code: number }) => resolve(result.code));
        stream.on('error', () => undefined);
      });
      expect(await end).toBe(status.OK);
      expect(sequences).toEqual([1, 2, 3]);
    });

    it('serves grpc.health.v1 for the server and its services, and reflection lists them', async () => {
      const address = `127.0.0.1:${grpc.port}`;
      await expect(healthCheck(address, '')).resolves.toBe('SERVING');
      await expect(healthCheck(address, SERVICE_NAME)).resolves.toBe('SERVING');
      const reflectionProto = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1alpha/reflection.proto');
      const Reflection = (
        loadPackageDefinition(loadSync(reflectionProto)) as unknown as {
          grpc: { reflection: { v1alpha: { ServerReflection: new (a: string, c: unknown) => { serverReflectionInfo(): NodeJS.ReadWriteStream; close(): void } } } };
        }
      ).grpc.reflection.v1alpha.ServerReflection;
      const reflection = new Reflection(address, credentials.createInsecure());
      const names = await new Promise<string[]>((resolve, reject) => {
        const call = reflection.serverReflectionInfo();
        call.on('data', (answer: { listServicesResponse?: { service: { name: string }[] } }) => {
          resolve((answer.listServicesResponse?.service ?? []).map((service) => service.name));
          call.end();
        });
        call.on('error', reject);
        call.write({ listServices: '' } as never);
      });
      reflection.close();
      expect(names).toEqual(expect.arrayContaining([SERVICE_NAME, 'grpc.health.v1.Health']));
    });

    it('drains on shutdown: NOT_SERVING, open streams ended with OK, then the port closed', async () => {
      const address = `127.0.0.1:${grpc.port}`;
      const stream = client.streamExecutionReports({ strategyId: 'endless', brokerId: '' });
      const received = new Promise<void>((resolve) => stream.once('data', () => resolve()));
      const end = new Promise<number>((resolve) => {
        stream.on('status', (result: { code: number }) => resolve(result.code));
        stream.on('error', () => undefined);
      });
      await received;

      const health = healthClient(address);
      const watch = health.watch({ service: '' });
      const statuses: string[] = [];
      const seen = (wanted: string) =>
        new Promise<void>((resolve) => {
          const look = () => statuses.includes(wanted) && resolve();
          watch.on('data', (answer: { status: string }) => {
            statuses.push(answer.status);
            look();
          });
          look();
        });
      watch.on('error', () => undefined);
      await seen('SERVING');

      const drained = grpc.beginShutdown();
      await seen('NOT_SERVING');
      expect(await end).toBe(status.OK);
      watch.cancel();
      health.close();
      await drained;
      await app.close();
      await expect(healthCheck(address, '')).rejects.toMatchObject({ code: status.UNAVAILABLE });
      grpc = undefined as unknown as PlatformGrpcServer;
    });
  });
});

