import 'reflect-metadata';
import { Logger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { AppModule } from './app/app.module';
import { WorkerGrpcServer } from './app/grpc/worker-grpc-server';

/** LOG_LEVEL (pino-style names, brief section 7) -> the Nest logger levels shown. */
const NEST_LOG_LEVELS: Record<string, NestLogLevel[] | false> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  silent: false,
};

async function bootstrap(): Promise<void> {
  const logger = NEST_LOG_LEVELS[process.env['LOG_LEVEL']?.trim() ?? 'info'] ?? NEST_LOG_LEVELS['info'];
  const app = await NestFactory.create(AppModule.forRoot(), { logger, abortOnError: false });
  app.enableShutdownHooks();
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  await app.listen(config.worker.httpPort, config.bindHost);

  const host = config.bindHost === '0.0.0.0' || config.bindHost === '::' ? '127.0.0.1' : config.bindHost;
  const grpcPort = app.get(WorkerGrpcServer).port;
  Logger.log(`gRPC  qts.execution.v1.ExecutionService  ${host}:${grpcPort}`, 'Bootstrap');
  Logger.log(`HTTP  http://${host}:${config.worker.httpPort}  (/health/live, /health/ready, /metrics)`, 'Bootstrap');
  // One machine-readable line for scripts and integration tests that start the worker as a child process.
  process.stdout.write(`EXECUTION_WORKER_READY ${JSON.stringify({ grpc: grpcPort, http: config.worker.httpPort })}\n`);
}

bootstrap().catch((error: unknown) => {
  Logger.error(error instanceof Error ? error.message : String(error), undefined, 'Bootstrap');
  process.exit(1);
});
