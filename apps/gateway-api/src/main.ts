import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigValidationError, loadPlatformConfig, PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { AppModule } from './app/app.module';
import { resolveDatabaseTarget, describeDatabaseTarget } from './app/database/database-target';
import { configureGatewayApp } from './app/gateway-app';
import { GatewayGrpcServer, formatAddress } from './app/grpc/gateway-grpc-server';

async function bootstrap(): Promise<void> {
  // Validate first, so a bad configuration stops start-up with its message alone, no stack trace.
  try {
    loadPlatformConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, abortOnError: false });
  configureGatewayApp(app);
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  await app.listen(config.gateway.httpPort, config.bindHost);

  const host = config.bindHost === '0.0.0.0' || config.bindHost === '::' ? '127.0.0.1' : config.bindHost;
  const http = `http://${formatAddress(host, config.gateway.httpPort)}`;
  const grpcPort = app.get(GatewayGrpcServer).port;
  process.stdout.write(
    `${[
      'gateway-api ready',
      `  REST       ${http}/api/v1`,
      `  OpenAPI    ${http}/docs  (${http}/docs-json)`,
      `  Dashboard  ${http}/dashboard`,
      `  Health     ${http}/health/ready   Metrics ${http}/metrics`,
      `  gRPC       ${formatAddress(host, grpcPort)}  (qts.gateway.v1.BrokerGatewayService, health, reflection)`,
      `  Database   ${describeDatabaseTarget(resolveDatabaseTarget(config.databaseUrl))}`,
      `  Live trading ${config.liveTradingEnabled ? 'ENABLED' : 'disabled'}`,
    ].join('\n')}\n`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(`gateway-api failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
