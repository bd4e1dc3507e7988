import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { setupOpenApi } from './openapi/openapi-document';

/**
 * What the application needs beyond its modules, shared by main.ts and the tests so both run the same
 * pipeline: the pino logger for Nest's own logs, shutdown hooks (SIGTERM closes servers, the gRPC server
 * and the database) and the OpenAPI routes.
 */
export function configureGatewayApp(app: NestExpressApplication): void {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  setupOpenApi(app);
}
