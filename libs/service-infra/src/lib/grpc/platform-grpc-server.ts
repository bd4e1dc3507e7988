import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { Logger } from '@nestjs/common';
import { ServerGrpc } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { loadPackageDefinition } from '@qts/grpc-contracts';
import { grpcPackageDefinition } from './grpc-package-definition';
import { GrpcHealthService } from './grpc-health.service';
import { GrpcServerStreams } from './grpc-server-streams';
import { listenAddress } from './listen-address';
import type { ShutdownParticipant } from '../shutdown/service-shutdown';

/** What a service serves over gRPC, and where. */
export interface GrpcServingOptions {
  host: string;
  /** 0 picks a free port (tests); `port` tells which. */
  port: number;
  /** The generated service definitions, by full service name ('qts.gateway.v1.BrokerGatewayService'). */
  services: Readonly<Record<string, ServiceDefinition>>;
  /** The .proto files of those services (paths under proto/), for server reflection. */
  protoFiles: readonly string[];
  /** Health service names set SERVING once the server listens (the service manages any others itself). */
  servingHealthNames?: readonly string[];
  /** How long shutdown lets calls in flight finish before they are cut. */
  shutdownGraceMs: number;
}

/**
 * The gRPC transport of a service: @nestjs/microservices' ServerGrpc (controllers with @GrpcMethod, the global
 * guard, pipes and exception filter), with grpc.health.v1.Health and server reflection on the same port, the
 * generated serializers, the port it actually bound, and a bounded drain on shutdown as a participant of the
 * service's ServiceShutdown: NOT_SERVING, server streams ended with OK, no new calls, calls in flight given
 * `shutdownGraceMs`, then the rest cut.
 */
export class PlatformGrpcServer extends ServerGrpc implements ShutdownParticipant {
  readonly name = 'gRPC server';
  private readonly log = new Logger(PlatformGrpcServer.name);
  private boundPort: number | undefined;
  private drained: Promise<void> | undefined;
  private drainedInTime: Promise<void> | undefined;

  constructor(
    private readonly serving: GrpcServingOptions,
    private readonly health: GrpcHealthService,
    private readonly streams: GrpcServerStreams,
  ) {
    const packages = [...new Set(Object.keys(serving.services).map((name) => name.slice(0, name.lastIndexOf('.'))))];
    super({
      url: listenAddress(serving.host, serving.port),
      package: packages,
      packageDefinition: grpcPackageDefinition(serving.services),
      onLoadPackageDefinition: (_definition: unknown, server: Server) => {
        health.addToServer(server);
        new ReflectionService(loadPackageDefinition([...serving.protoFiles], { includeHealth: true })).addToServer(server);
      },
    });
  }

  /** The port the server listens on. */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('the gRPC server is not listening');
    return this.boundPort;
  }

  override async createClient(): Promise<Server> {
    const server = new Server();
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.url, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(new Error(`gRPC server cannot listen on ${this.url}: ${error.message}`)) : resolve(port),
      ),
    );
    return server;
  }

  /**
   * Unary calls: the controller's handler (guard, pipes, exception filter included) answers the callback directly.
   * Nest's own version wraps every call in an Observable and copies the call object for its processing hooks; on
   * the gateway's hot path that is measurable work for nothing this service uses (see docs/benchmarks.md).
   */
  override createUnaryServiceMethod(methodHandler: (...args: unknown[]) => unknown): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]): Promise<void> => {
      const call = args[0] as ServerUnaryCall<unknown, unknown>;
      const callback = args[1] as sendUnaryData<unknown>;
      try {
        const result: unknown = await methodHandler(call.request, call.metadata, call);
        // The exception filter answers with an Observable that errors with the gRPC status.
        callback(null, isObservable(result) ? await lastValueFrom(result) : result);
      } catch (error) {
        callback(error as Parameters<sendUnaryData<unknown>>[0]);
      }
    };
  }

  override async listen(callback: (error?: unknown, ...info: unknown[]) => void): Promise<void> {
    await super.listen((error?: unknown, ...info: unknown[]) => {
      if (error === undefined || error === null) {
        this.health.setStatus('', 'SERVING');
        for (const name of this.serving.servingHealthNames ?? []) this.health.setStatus(name, 'SERVING');
        this.log.log(`gRPC listening on ${listenAddress(this.serving.host, this.port)}`);
      }
      callback(error, ...info);
    });
  }

  /**
   * Starts the drain (idempotent): NOT_SERVING, open server streams ended with OK, no new calls accepted.
   * Resolves when every call in flight has finished.
   */
  beginShutdown(): Promise<void> {
    if (this.drained === undefined) {
      const server = this.grpcClient as Server | null;
      this.health.stopServing();
      this.streams.endAll();
      this.drained = server === null ? Promise.resolve() : new Promise((resolve) => server.tryShutdown(() => resolve()));
    }
    return this.drained;
  }

  /** ShutdownParticipant: NOT_SERVING and no new calls, as soon as the service begins its shutdown. */
  stopAccepting(): void {
    void this.beginShutdown();
  }

  /** ShutdownParticipant: calls in flight get `shutdownGraceMs` to finish, then the rest are cut (once). */
  drain(): Promise<void> {
    this.drainedInTime ??= this.drainWithinGrace();
    return this.drainedInTime;
  }

  override async close(): Promise<void> {
    const server = this.grpcClient as Server | null;
    if (server === null || server === undefined) return;
    await this.drain();
    this.grpcClient = null as unknown as Server;
  }

  private async drainWithinGrace(): Promise<void> {
    const server = this.grpcClient as Server | null;
    if (server === null || server === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.serving.shutdownGraceMs);
    });
    const drained = await Promise.race([this.beginShutdown().then(() => true), graceOver]);
    clearTimeout(timer);
    if (!drained) {
      this.log.warn(`gRPC calls still in flight after ${this.serving.shutdownGraceMs} ms: cut`);
      server.forceShutdown();
    }
  }
}
