import { ConfigurableModuleBuilder, Module, type DynamicModule } from '@nestjs/common';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { GrpcHealthService } from './grpc-health.service';
import { GrpcServerStreams } from './grpc-server-streams';
import { PlatformGrpcServer, type GrpcServingOptions } from './platform-grpc-server';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<GrpcServingOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** DI token of the GrpcServingOptions. */
export const GRPC_SERVING_OPTIONS = MODULE_OPTIONS_TOKEN;

/**
 * The service's gRPC server as a provider (PlatformGrpcServer: the strategy `startServices` connects as a Nest
 * microservice), its health statuses and its open server streams. Global, so that controllers and shutdown hooks
 * anywhere in the service can reach them.
 */
@Module({
  providers: [
    GrpcHealthService,
    GrpcServerStreams,
    {
      provide: PlatformGrpcServer,
      inject: [MODULE_OPTIONS_TOKEN, GrpcHealthService, GrpcServerStreams],
      useFactory: (options: GrpcServingOptions, health: GrpcHealthService, streams: GrpcServerStreams) =>
        new PlatformGrpcServer(options, health, streams),
    },
  ],
  exports: [GrpcHealthService, GrpcServerStreams, PlatformGrpcServer],
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
