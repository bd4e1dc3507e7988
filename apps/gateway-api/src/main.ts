import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import {
  describeDatabaseTarget,
  displayHost,
  exitOnInvalidConfiguration,
  listenAddress,
  resolveDatabaseTarget,
} from '@qts/service-infra';
import { AppModule } from './app/app.module';
import { GATEWAY_DATABASE } from './app/database/data-source';
import { startGateway } from './app/gateway-app';

async function bootstrap(): Promise<void> {
  exitOnInvalidConfiguration();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, abortOnError: false });
  const grpc = await startGateway(app);
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  await app.listen(config.gateway.httpPort, config.bindHost);

  const host = displayHost(config.bindHost);
  const http = `http://${listenAddress(host, config.gateway.httpPort)}`;
  process.stdout.write(
    `${[
      'gateway-api ready',
      `  REST       ${http}/api/v1`,
      `  OpenAPI    ${http}/docs  (${http}/docs-json)`,
      `  Dashboard  ${http}/dashboard`,
      `  Health     ${http}/health/ready   Metrics ${http}/metrics`,
      `  gRPC       ${listenAddress(host, grpc.port)}  (qts.gateway.v1.BrokerGatewayService, health, reflection)`,
      `  Database   ${describeDatabaseTarget(resolveDatabaseTarget(config.databaseUrl, GATEWAY_DATABASE.defaultSqliteFile))}`,
      `  Live trading ${config.liveTradingEnabled ? 'ENABLED' : 'disabled'}`,
    ].join('\n')}\n`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(`gateway-api failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
