import type { NestExpressApplication } from '@nestjs/platform-express';
import { startServices, type PlatformGrpcServer } from '@qts/service-infra';
import { setupOpenApi } from './openapi/openapi-document';

/**
 * Starts the gateway as main.ts and the tests both do: the OpenAPI routes, then the service start-up of the kit
 * (logger, shutdown hooks, gRPC server through @nestjs/microservices). The HTTP port is the caller's.
 */
export async function startGateway(app: NestExpressApplication): Promise<PlatformGrpcServer> {
  app.disable('x-powered-by');
  setupOpenApi(app);
  return startServices(app);
}
