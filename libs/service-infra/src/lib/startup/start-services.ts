import type { INestApplication } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { PlatformGrpcServer } from '../grpc/platform-grpc-server';
import { ServiceShutdown } from '../shutdown/service-shutdown';

/**
 * Starts a service the same way in main.ts and in tests: pino for Nest's own logs, shutdown hooks (SIGTERM runs the
 * ServiceShutdown: readiness down, the servers and the service's work drained, then the database closed), the gRPC server connected as a hybrid-application microservice, the
 * application initialised (lifecycle hooks: recovery, status publishers ...), and only then the gRPC port bound.
 * The HTTP server is left to the caller (`app.listen`, or supertest on `app.getHttpServer()`).
 */
export async function startServices(app: INestApplication): Promise<PlatformGrpcServer> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Before every route: while the service drains, only health and metrics are served (ServiceShutdown).
  app.use(app.get(ServiceShutdown).httpGate());
  const grpc = app.get(PlatformGrpcServer);
  app.connectMicroservice<MicroserviceOptions>({ strategy: grpc }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  return grpc;
}
