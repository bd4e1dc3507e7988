import type { NestExpressApplication } from '@nestjs/platform-express';
import { startServices, type PlatformGrpcServer } from '@qts/service-infra';
import { DOCS_PATH, setupOpenApi } from './openapi/openapi-document';

/**
 * Starts the gateway as main.ts and the tests both do: the service start-up of the kit (logger, the HTTP front with
 * the OpenAPI routes behind it, shutdown hooks, gRPC server through @nestjs/microservices). The HTTP port is the
 * caller's.
 */
export async function startGateway(app: NestExpressApplication): Promise<PlatformGrpcServer> {
  // The OpenAPI UI loads its own scripts and styles; every other answer gets the API's strict policy.
  return startServices(app, { pagePaths: [`/${DOCS_PATH}`], mountRoutes: () => setupOpenApi(app) });
}
