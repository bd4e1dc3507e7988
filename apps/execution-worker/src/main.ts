import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { displayHost, exitOnInvalidConfiguration, listenAddress, startServices } from '@qts/service-infra';
import { AppModule } from './app/app.module';

async function bootstrap(): Promise<void> {
  exitOnInvalidConfiguration();
  const app = await NestFactory.create(AppModule.forRoot(), { bufferLogs: true, abortOnError: false });
  const grpc = await startServices(app);
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  await app.listen(config.worker.httpPort, config.bindHost);

  const host = displayHost(config.bindHost);
  Logger.log(`gRPC  qts.execution.v1.ExecutionService  ${listenAddress(host, grpc.port)}`, 'Bootstrap');
  Logger.log(`HTTP  http://${listenAddress(host, config.worker.httpPort)}  (/health/live, /health/ready, /metrics)`, 'Bootstrap');
  // One machine-readable line for scripts and integration tests that start the worker as a child process.
  process.stdout.write(`EXECUTION_WORKER_READY ${JSON.stringify({ grpc: grpc.port, http: config.worker.httpPort })}\n`);
}

bootstrap().catch((error: unknown) => {
  console.error(`execution-worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
