import { ConfigurableModuleBuilder, Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { GrpcHealthService } from './grpc-health.service';
import { GrpcServerStreams } from './grpc-server-streams';
import { PlatformGrpcServer, type GrpcServingOptions } from './platform-grpc-server';
import { ServiceShutdown } from '../shutdown/service-shutdown';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<GrpcServingOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** DI token of the GrpcServingOptions. */
export const GRPC_SERVING_OPTIONS = MODULE_OPTIONS_TOKEN;

/**
 * The service's gRPC server as a provider (PlatformGrpcServer: the strategy `startServices` connects as a Nest
 * microservice), its health statuses, its open server streams, and the service's ServiceShutdown (the gRPC server
 * is its first participant). Global, so that controllers and shutdown participants anywhere in the service can
 * reach them.
 */
@Module({
  providers: [
    GrpcHealthService,
    GrpcServerStreams,
    {
      // The service's drain budget is its gRPC grace: HTTP requests in flight get as long.
      provide: ServiceShutdown,
      inject: [MODULE_OPTIONS_TOKEN, HttpAdapterHost],
      useFactory: (options: GrpcServingOptions, adapterHost: HttpAdapterHost) =>
        new ServiceShutdown({ drainMs: options.shutdownGraceMs }, adapterHost),
    },
    {
      provide: PlatformGrpcServer,
      inject: [MODULE_OPTIONS_TOKEN, GrpcHealthService, GrpcServerStreams, ServiceShutdown],
      useFactory: (options: GrpcServingOptions, health: GrpcHealthService, streams: GrpcServerStreams, shutdown: ServiceShutdown) => {
        const server = new PlatformGrpcServer(options, health, streams);
        shutdown.register(server);
        return server;
      },
    },
  ],
  exports: [GrpcHealthService, GrpcServerStreams, PlatformGrpcServer, ServiceShutdown],
})
export class GrpcServingModule extends ConfigurableModuleClass {
  /**
   * The service's gRPC server on BIND_HOST and the port its part of the platform configuration names, with TLS or
   * mutual TLS when GRPC_TLS_* are set.
   */
  static forService(service: ServiceGrpcApi): DynamicModule {
    return GrpcServingModule.forRootAsync({
      inject: [PLATFORM_CONFIG],
      useFactory: (config: PlatformConfig): GrpcServingOptions => ({
        host: config.bindHost,
        port: service.port(config),
        services: service.services,
        protoFiles: service.protoFiles,
        servingHealthNames: service.servingHealthNames ?? [],
        shutdownGraceMs: service.shutdownGraceMs(config),
        ...(config.security?.grpcTls === undefined ? {} : { tls: config.security.grpcTls }),
      }),
    });
  }
}

/** What a service serves over gRPC, with its port and drain time read from the platform configuration. */
export interface ServiceGrpcApi {
  services: Readonly<Record<string, ServiceDefinition>>;
  protoFiles: readonly string[];
  servingHealthNames?: readonly string[];
  port(config: PlatformConfig): number;
  shutdownGraceMs(config: PlatformConfig): number;
}
