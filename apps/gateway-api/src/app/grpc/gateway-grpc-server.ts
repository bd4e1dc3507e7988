import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { GATEWAY_PROTO_FILES, loadPackageDefinition, qtsGatewayV1 } from '@qts/grpc-contracts';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { BrokerGatewayGrpcService } from './broker-gateway-grpc.service';
import { GrpcHealthPublisher } from './grpc-health-publisher';

/** How long shutdown lets calls in flight finish before cutting them. */
export const GRPC_SHUTDOWN_GRACE_MS = 3_000;

/**
 * The gRPC server of the gateway: BrokerGatewayService, grpc.health.v1.Health and server reflection on
 * BIND_HOST:GATEWAY_GRPC_PORT. A plain @grpc/grpc-js server (not a Nest microservice) so that the health and
 * reflection services share its port, handlers use the generated service definition and control their
 * trailers and streams directly. It starts with the application and stops with it.
 */
@Injectable()
export class GatewayGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayGrpcServer.name);
  private server: Server | undefined;
  private boundPort: number | undefined;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly service: BrokerGatewayGrpcService,
    private readonly healthPublisher: GrpcHealthPublisher,
  ) {}

  /** The port the server listens on (useful when the configuration asked for port 0). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('the gRPC server is not started');
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = new Server();
    server.addService(qtsGatewayV1.BrokerGatewayServiceService, this.service.implementation());
    this.healthPublisher.health.addToServer(server);
    const definition = loadPackageDefinition([...GATEWAY_PROTO_FILES], { includeHealth: true });
    new ReflectionService(definition).addToServer(server);
    const address = formatAddress(this.config.bindHost, this.config.gateway.grpcPort);
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(new Error(`gRPC server cannot listen on ${address}: ${error.message}`)) : resolve(port),
      ),
    );
    this.server = server;
    this.logger.log(`gRPC listening on ${formatAddress(this.config.bindHost, this.boundPort)}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, GRPC_SHUTDOWN_GRACE_MS);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** host:port, with IPv6 hosts in brackets. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
