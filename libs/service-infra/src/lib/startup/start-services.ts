import type { INestApplication } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { PlatformGrpcServer } from '../grpc/platform-grpc-server';

/**
 * Starts a service the same way in main.ts and in tests: pino for Nest's own logs, shutdown hooks (SIGTERM drains
 * and closes the servers, then the database), the gRPC server connected as a hybrid-application microservice, the
 * application initialised (lifecycle hooks: recovery, status publishers ...), and only then the gRPC port bound.
 * The HTTP server is left to the caller (`app.listen`, or supertest on `app.getHttpServer()`).
 */
export async function startServices(app: INestApplication): Promise<PlatformGrpcServer> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const grpc = app.get(PlatformGrpcServer);
  app.connectMicroservice<MicroserviceOptions>({ strategy: grpc }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  return grpc;
}
