import type { AddressInfo } from 'node:net';
import { credentials, loadPackageDefinition, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Body, Controller, Get, Global, Injectable, Module, Post, type INestApplication, type Type } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { BrokerRegistry } from '@qts/broker-domain';
import { EXECUTION_PROTO_FILES, qtsExecutionV1 } from '@qts/grpc-contracts';
import { PlatformConfigModule } from '@qts/platform-config';
import { testPlatformConfig } from '@qts/test-support';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { ApiKeyAuthModule } from '../api-keys/api-key-auth.module';
import { presentedApiKey, type ApiKeyVerifier } from '../api-keys/api-key-verifier';
import type { ApiPrincipal } from '../api-keys/api-principal';
import { PublicRoute, RequireScope } from '../api-keys/route-access.decorators';
import { DatabaseModule } from '../database/database.module';
import { ApiKeyInvalidError } from '../errors/platform-errors';
import { GrpcServingModule } from '../grpc/grpc-serving.module';
import { HealthModule } from '../health/health.module';
import { LoggingModule } from '../logging/logging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { startServices } from '../startup/start-services';
import { ServiceShutdown, type ShutdownParticipant } from './service-shutdown';

const SERVICE_NAME = 'qts.execution.v1.ExecutionService';

/** A door that requests wait behind until the test opens it; counts who came in. */
class Gate {
  entered = 0;
  private open!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  private readonly waiters: (() => void)[] = [];

  async pass(): Promise<void> {
    this.entered += 1;
    this.waiters.splice(0).forEach((wake) => wake());
    await this.opened;
  }

  release(): void {
    this.open();
  }

  /** Resolves once `count` requests are waiting at the door. */
  async reached(count: number): Promise<void> {
    while (this.entered < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/** Fresh for each test: the slow routes wait behind them. */
const gates = { http: new Gate(), grpc: new Gate() };
let fastCalls = 0;
let orderCalls = 0;

const TRADER_KEY = 'drain-trader-key-0123456789';
/** Keys looked up so far: a stopping service looks up none. */
let keyLookups = 0;

/** The service's key store: one trading key, every lookup counted. */
@Injectable()
class CountingKeyStore implements ApiKeyVerifier {
  async authenticate(presented: unknown): Promise<ApiPrincipal> {
    keyLookups += 1;
    if (presentedApiKey(presented) !== TRADER_KEY) throw new ApiKeyInvalidError();
    return { keyId: 'trader', name: 'trader', scopes: new Set(['trade']), strategies: new Set() };
  }
}

@Controller('work')
class WorkController {
  @Get('slow')
  @PublicRoute()
  async slow(): Promise<{ done: boolean }> {
    await gates.http.pass();
    return { done: true };
  }

  @Get('fast')
  @PublicRoute()
  fast(): { done: boolean } {
    fastCalls += 1;
    return { done: true };
  }

  @Post('orders')
  @RequireScope('trade')
  order(@Body() body: { quantity: number }): { quantity: number } {
    orderCalls += 1;
    return { quantity: body.quantity };
  }
}

@Controller()
class WorkGrpcController {
  @GrpcMethod('ExecutionService', 'GetIntent')
  @PublicRoute()
  async getIntent(@Payload() request: qtsExecutionV1.GetIntentRequest): Promise<qtsExecutionV1.GetIntentResponse> {
    await gates.grpc.pass();
    return qtsExecutionV1.GetIntentResponse.fromPartial({ intentId: request.intentId });
  }
}

@Global()
@Module({ providers: [{ provide: BrokerRegistry, useValue: new BrokerRegistry() }], exports: [BrokerRegistry] })
class RegistryModule {}

function serviceModule(shutdownGraceMs: number): Type {
  @Module({
    imports: [
      PlatformConfigModule.forRoot({ config: testPlatformConfig({ brokers: [] }) }),
      LoggingModule,
      DatabaseModule.forRoot({ defaultSqliteFile: 'unused.sqlite', entities: [], migrations: [] }),
      RegistryModule,
      ApiKeyAuthModule.forRoot({ verifier: CountingKeyStore }),
      MetricsModule.forRoot({ defaultMetricsPrefix: 'drain_test_' }),
      HealthModule.forRoot(),
      GrpcServingModule.forService({
        services: { [SERVICE_NAME]: qtsExecutionV1.ExecutionServiceService },
        protoFiles: EXECUTION_PROTO_FILES,
        servingHealthNames: [SERVICE_NAME],
        port: (config) => config.worker.grpcPort,
        shutdownGraceMs: () => shutdownGraceMs,
      }),
    ],
    controllers: [WorkController, WorkGrpcController],
  })
  class ServiceModule {}
  return ServiceModule;
}

interface RunningService {
  app: INestApplication;
  http: string;
  grpcAddress: string;
}

async function startService(shutdownGraceMs: number): Promise<RunningService> {
  const moduleRef = await Test.createTestingModule({ imports: [serviceModule(shutdownGraceMs)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const grpc = await startServices(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, http: `http://127.0.0.1:${port}`, grpcAddress: `127.0.0.1:${grpc.port}` };
}

interface HealthClient {
  check(
    request: { service: string },
    options: { deadline: number },
    callback: (error: ServiceError | null, response: { status: string }) => void,
  ): void;
  close(): void;
}

function grpcHealth(address: string, service: string): Promise<string> {
  const definition = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, creds: unknown) => HealthClient } } };
  };
  const client = new definition.grpc.health.v1.Health(address, credentials.createInsecure());
  return new Promise((resolve) =>
    client.check({ service }, { deadline: Date.now() + 2_000 }, (error, response) => {
      client.close();
      resolve(error ? `error ${status[error.code]}` : response.status);
    }),
  );
}

describe('ServiceShutdown: a service stops being ready first, then drains HTTP and gRPC, answering every call', () => {
  beforeEach(() => {
    gates.http = new Gate();
    gates.grpc = new Gate();
    fastCalls = 0;
    orderCalls = 0;
    keyLookups = 0;
  });

  it('answers 503 on readiness and new requests at once, keeps health and metrics up, and answers the calls in flight', async () => {
    const service = await startService(10_000);
    const client = new qtsExecutionV1.ExecutionServiceClient(service.grpcAddress, credentials.createInsecure());
    try {
      expect((await fetch(`${service.http}/health/ready`)).status).toBe(200);
      expect(await grpcHealth(service.grpcAddress, SERVICE_NAME)).toBe('SERVING');
      // Served while running: the key looked up once, the body read.
      const placed = await fetch(`${service.http}/work/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': TRADER_KEY },
        body: JSON.stringify({ quantity: 1 }),
      });
      expect({ status: placed.status, body: await placed.json() }).toEqual({ status: 201, body: { quantity: 1 } });
      expect({ keyLookups, orderCalls }).toEqual({ keyLookups: 1, orderCalls: 1 });
      const slowHttp = fetch(`${service.http}/work/slow`).then(async (response) => ({ status: response.status, body: await response.json() }));
      const slowGrpc = new Promise<{ intentId?: string; error?: number }>((resolve) =>
        client.getIntent({ intentId: 'in-flight' }, (error, response) => resolve(error ? { error: error.code } : { intentId: response.intentId })),
      );
      await gates.http.reached(1);
      await gates.grpc.reached(1);

      const shutdown = service.app.get(ServiceShutdown);
      const closing = service.app.close();
      // Nest's first hook, a few turns of the event loop after close() (SIGTERM) began.
      while (!shutdown.isStopping) await new Promise((resolve) => setImmediate(resolve));
      expect(shutdown.signal.aborted).toBe(true);

      const ready = await fetch(`${service.http}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('connection')).toBe('close');
      expect(((await ready.json()) as { error: Record<string, unknown> }).error['shutdown']).toEqual({
        status: 'down',
        message: 'the service is shutting down',
      });
      expect((await fetch(`${service.http}/health/live`)).status).toBe(200);
      expect((await fetch(`${service.http}/metrics`)).status).toBe(200);
      const refused = await fetch(`${service.http}/work/fast`);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({
        statusCode: 503,
        code: 'SERVICE_STOPPING',
        message: 'the service is shutting down; the request was not processed, retry on another instance',
      });
      expect(fastCalls).toBe(0);
      // An order with its key and body: refused like any request, before its key is looked up or its body read,
      // with the headers of every answer.
      const order = await fetch(`${service.http}/work/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': TRADER_KEY },
        body: JSON.stringify({ quantity: 1 }),
      });
      expect(order.status).toBe(503);
      expect(((await order.json()) as { code: string }).code).toBe('SERVICE_STOPPING');
      expect(order.headers.get('x-content-type-options')).toBe('nosniff');
      expect({ keyLookups, orderCalls }).toEqual({ keyLookups: 1, orderCalls: 1 });
      // NOT_SERVING, or no longer taking connections at all: either way a probe fails.
      expect(['NOT_SERVING', 'error UNAVAILABLE']).toContain(await grpcHealth(service.grpcAddress, SERVICE_NAME));

      gates.http.release();
      gates.grpc.release();
      expect(await slowHttp).toEqual({ status: 200, body: { done: true } });
      expect(await slowGrpc).toEqual({ intentId: 'in-flight' });
      await closing;
      await expect(fetch(`${service.http}/health/live`)).rejects.toThrow();
    } finally {
      client.close();
    }
  });

  it('tells open grpc.health.v1 Watch calls NOT_SERVING, then ends them with OK, so that they never hold the drain', async () => {
    const service = await startService(10_000);
    const definition = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: {
        health: {
          v1: {
            Health: new (address: string, creds: unknown) => {
              watch(request: { service: string }): NodeJS.EventEmitter;
              close(): void;
            };
          };
        };
      };
    };
    const client = new definition.grpc.health.v1.Health(service.grpcAddress, credentials.createInsecure());
    const watch = client.watch({ service: SERVICE_NAME });
    const statuses: string[] = [];
    watch.on('data', (answer: { status: string }) => statuses.push(answer.status));
    const ended = new Promise<string>((resolve) => {
      watch.on('status', (result: { code: number }) => resolve(status[result.code]));
      watch.on('error', () => undefined);
    });
    while (!statuses.includes('SERVING')) await new Promise((resolve) => setTimeout(resolve, 10));

    await service.app.close();

    expect(await ended).toBe('OK');
    expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
    client.close();
  });

  it('cuts what is still running once the drain budget is spent, so that shutdown always ends', async () => {
    const service = await startService(200);
    const stuck = new Gate();
    let participantDrained = false;
    service.app.get(ServiceShutdown).register({
      name: 'stuck work',
      drain: async () => {
        // Bounded by itself, as every participant is.
        await Promise.race([stuck.pass(), new Promise((resolve) => setTimeout(resolve, 200))]);
        participantDrained = true;
      },
    });
    const never = fetch(`${service.http}/work/slow`).then(
      (response) => `answered ${response.status}`,
      () => 'cut',
    );
    await gates.http.reached(1);
    await service.app.close();
    expect(participantDrained).toBe(true);
    expect(await never).toBe('cut');
  });
});

describe('ServiceShutdown without servers', () => {
  it('stops every participant in order, drains them together, once, and survives a participant that fails', async () => {
    const shutdown = new ServiceShutdown({ drainMs: 1_000 });
    const events: string[] = [];
    const participant = (name: string, fail = false): ShutdownParticipant => ({
      name,
      stopAccepting: () => {
        events.push(`stop ${name}`);
        if (fail) throw new Error(`${name} broke`);
      },
      drain: async () => {
        events.push(`drain ${name} begins`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`drain ${name} ends`);
        if (fail) throw new Error(`${name} broke again`);
      },
    });
    shutdown.register(participant('grpc'));
    shutdown.register(participant('worker', true));
    shutdown.register({ name: 'nothing to do' });

    await Promise.all([shutdown.beforeApplicationShutdown(), shutdown.shutdown()]);
    await shutdown.shutdown();
    expect(events).toEqual([
      'stop grpc',
      'stop worker',
      'drain grpc begins',
      'drain worker begins',
      'drain grpc ends',
      'drain worker ends',
    ]);
  });
});
