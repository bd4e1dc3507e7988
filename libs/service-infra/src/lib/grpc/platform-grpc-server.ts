import { readFileSync } from 'node:fs';
import {
  Server,
  ServerCredentials,
  type MethodDefinition,
  type sendUnaryData,
  type ServerErrorResponse,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { Logger } from '@nestjs/common';
import { ServerGrpc } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { loadPackageDefinition } from '@qts/grpc-contracts';
import type { GrpcTlsSettings } from '@qts/platform-config';
import { classifyError } from '../errors/classify-error';
import { toGrpcErrorStatus } from '../errors/grpc-error-status';
import { RequestValidationError } from '../errors/platform-errors';
import { grpcPackageDefinition } from './grpc-package-definition';
import { GrpcHealthService } from './grpc-health.service';
import { requestMessageShapes, UndecodableGrpcRequest, withSafeRequestDecoding } from './grpc-request-decoding';
import { GrpcServerStreams } from './grpc-server-streams';
import { listenAddress } from './listen-address';
import type { ShutdownParticipant } from '../shutdown/service-shutdown';

/**
 * Largest request message the servers take: every request of the platform's APIs is well under 1 KiB (ids, a symbol,
 * a price), so 64 KiB leaves room for growth while a caller cannot make the server buffer megabytes per call. Larger
 * messages are answered RESOURCE_EXHAUSTED by the transport.
 */
export const GRPC_MAX_RECEIVE_MESSAGE_BYTES = 64 * 1024;

/** Largest answer message: a GetCandles chunk of 500 bars or every listed symbol is a few hundred KiB at most. */
export const GRPC_MAX_SEND_MESSAGE_BYTES = 16 * 1024 * 1024;

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
  /** Default GRPC_MAX_RECEIVE_MESSAGE_BYTES. */
  maxReceiveMessageBytes?: number;
  /** Default GRPC_MAX_SEND_MESSAGE_BYTES. */
  maxSendMessageBytes?: number;
  /** TLS, or mutual TLS with a client CA; absent: plaintext. */
  tls?: GrpcTlsSettings;
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
    const described = loadPackageDefinition([...serving.protoFiles], { includeHealth: true });
    super({
      url: listenAddress(serving.host, serving.port),
      package: packages,
      packageDefinition: withSafeDecoding(grpcPackageDefinition(serving.services), described),
      onLoadPackageDefinition: (_definition: unknown, server: Server) => {
        health.addToServer(server);
        new ReflectionService(described).addToServer(server);
      },
    });
  }

  /** The port the server listens on. */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('the gRPC server is not listening');
    return this.boundPort;
  }

  override async createClient(): Promise<Server> {
    const credentials = serverCredentials(this.serving.tls);
    const server = new Server({
      'grpc.max_receive_message_length': this.serving.maxReceiveMessageBytes ?? GRPC_MAX_RECEIVE_MESSAGE_BYTES,
      'grpc.max_send_message_length': this.serving.maxSendMessageBytes ?? GRPC_MAX_SEND_MESSAGE_BYTES,
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.url, credentials, (error, port) =>
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
      if (call.request instanceof UndecodableGrpcRequest) {
        callback(undecodableStatus(call.request));
        return;
      }
      try {
        const result: unknown = await methodHandler(call.request, call.metadata, call);
        // The exception filter answers with an Observable that errors with the gRPC status.
        callback(null, isObservable(result) ? await lastValueFrom(result) : result);
      } catch (error) {
        callback(error as Parameters<sendUnaryData<unknown>>[0]);
      }
    };
  }

  /** Server streams: a request that could not be decoded ends the call with INVALID_ARGUMENT before the handler. */
  override createStreamServiceMethod(methodHandler: (...args: unknown[]) => unknown): (...args: unknown[]) => Promise<void> {
    const serve = super.createStreamServiceMethod(methodHandler) as (...args: unknown[]) => Promise<void>;
    return async (...args: unknown[]): Promise<void> => {
      const call = args[0] as ServerWritableStream<unknown, unknown>;
      if (call.request instanceof UndecodableGrpcRequest) {
        call.emit('error', undecodableStatus(call.request));
        return;
      }
      await serve(...args);
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

/** Every method of `definition` with a deserializer that turns undecodable requests into UndecodableGrpcRequest. */
function withSafeDecoding(definition: PackageDefinition, described: PackageDefinition): PackageDefinition {
  const shapes = requestMessageShapes(described);
  const safe: Record<string, Record<string, MethodDefinition<unknown, unknown>>> = {};
  for (const [serviceName, service] of Object.entries(definition as unknown as Record<string, Record<string, MethodDefinition<unknown, unknown>>>)) {
    safe[serviceName] = Object.fromEntries(
      Object.entries(service).map(([name, method]) => [name, withSafeRequestDecoding(method, shapes.get(method.path))]),
    );
  }
  return safe as unknown as PackageDefinition;
}

function undecodableStatus(request: UndecodableGrpcRequest): ServerErrorResponse {
  return toGrpcErrorStatus(classifyError(new RequestValidationError([request.problem], request.field === undefined ? [] : [request.field])));
}

/** Plaintext, TLS, or mutual TLS (a client CA: every client must present a certificate it signed). */
function serverCredentials(tls: GrpcTlsSettings | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const read = (variable: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const keyPair = { cert_chain: read('GRPC_TLS_CERT_FILE', tls.certFile), private_key: read('GRPC_TLS_KEY_FILE', tls.keyFile) };
  const clientCa = tls.clientCaFile === undefined ? null : read('GRPC_TLS_CLIENT_CA_FILE', tls.clientCaFile);
  return ServerCredentials.createSsl(clientCa, [keyPair], clientCa !== null);
}
