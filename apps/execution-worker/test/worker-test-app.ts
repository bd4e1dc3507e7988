import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { PlatformConfig } from '@qts/platform-config';
import { startServices } from '@qts/service-infra';
import { AppModule } from '../src/app/app.module';
import { BROKER_FACTORY, type BrokerFactory } from '../src/app/execution';
import { ExecutionGrpcClient } from './execution-grpc-client';

/** The bootstrap admin key of test workers whose configuration names none. */
export const TEST_WORKER_ADMIN_KEY = 'test-worker-admin-key-0123456789';

export interface TestWorker {
  app: INestApplication;
  /** A client with the configuration's admin key (every strategy). */
  client: ExecutionGrpcClient;
  /** 127.0.0.1:<port> of the gRPC server. */
  address: string;
}

/**
 * The real AppModule (the production pipeline) with a given configuration, started as main.ts starts it: the gRPC
 * server listening on a free port; the HTTP side is reached through supertest. Optionally a scripted broker factory.
 * Without an admin key in the configuration, TEST_WORKER_ADMIN_KEY is the bootstrap key (unless `withoutAdminKey`).
 */
export async function startTestWorker(
  given: PlatformConfig,
  brokers?: BrokerFactory,
  options: { withoutAdminKey?: boolean } = {},
): Promise<TestWorker> {
  const config = options.withoutAdminKey ? given : { ...given, adminApiKey: given.adminApiKey ?? TEST_WORKER_ADMIN_KEY };
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot({ config })] });
  if (brokers !== undefined) builder = builder.overrideProvider(BROKER_FACTORY).useValue(brokers);
  const app = (await builder.compile()).createNestApplication({ logger: false });
  const grpc = await startServices(app);
  const address = `127.0.0.1:${grpc.port}`;
  return { app, client: new ExecutionGrpcClient(address, config.adminApiKey), address };
}
