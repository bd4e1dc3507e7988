import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { PlatformConfig } from '@qts/platform-config';
import { startServices } from '@qts/service-infra';
import { AppModule } from '../src/app/app.module';
import { BROKER_FACTORY, type BrokerFactory } from '../src/app/execution';
import { ExecutionGrpcClient } from './execution-grpc-client';

export interface TestWorker {
  app: INestApplication;
  client: ExecutionGrpcClient;
  /** 127.0.0.1:<port> of the gRPC server. */
  address: string;
}

/**
 * The real AppModule (the production pipeline) with a given configuration, started as main.ts starts it: the gRPC
 * server listening on a free port; the HTTP side is reached through supertest. Optionally a scripted broker factory.
 */
export async function startTestWorker(config: PlatformConfig, brokers?: BrokerFactory): Promise<TestWorker> {
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot({ config })] });
  if (brokers !== undefined) builder = builder.overrideProvider(BROKER_FACTORY).useValue(brokers);
  const app = (await builder.compile()).createNestApplication({ logger: false });
  const grpc = await startServices(app);
  const address = `127.0.0.1:${grpc.port}`;
  return { app, client: new ExecutionGrpcClient(address), address };
}
