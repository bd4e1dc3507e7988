import path from 'node:path';
import {
  credentials,
  loadPackageDefinition as toGrpcObject,
  makeGenericClientConstructor,
  Metadata,
  type Client,
  type ClientReadableStream,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GATEWAY_PROTO_FILES, PROTO_LOADER_OPTIONS, PROTO_ROOT } from '@qts/grpc-contracts';
import { service as healthService } from 'grpc-health-check';

type UnaryMethod = (request: object, metadata: Metadata, callback: (error: ServiceError | null, response: unknown) => void) => void;
type StreamMethod = (request: object, metadata: Metadata) => ClientReadableStream<unknown>;

/**
 * Plain @grpc/grpc-js clients built from the .proto files with @grpc/proto-loader (not the generated
 * client): BrokerGatewayService, grpc.health.v1.Health and server reflection.
 */
export class GatewayGrpcClients {
  readonly gateway: Client;
  readonly health: Client;
  readonly reflection: Client;

  constructor(port: number) {
    const address = `127.0.0.1:${port}`;
    const definition = loadSync([...GATEWAY_PROTO_FILES], { ...PROTO_LOADER_OPTIONS, includeDirs: [PROTO_ROOT] });
    const grpcObject = toGrpcObject(definition);
    const Gateway = lookup(grpcObject, 'qts.gateway.v1.BrokerGatewayService');
    this.gateway = new Gateway(address, credentials.createInsecure());
    const Health = makeGenericClientConstructor(healthService as unknown as ServiceDefinition, 'Health');
    this.health = new Health(address, credentials.createInsecure());
    const reflectionProto = path.join(
      path.dirname(require.resolve('@grpc/reflection/package.json')),
      'build/proto/grpc/reflection/v1alpha/reflection.proto',
    );
    const reflectionObject = toGrpcObject(loadSync(reflectionProto, PROTO_LOADER_OPTIONS));
    const Reflection = lookup(reflectionObject, 'grpc.reflection.v1alpha.ServerReflection');
    this.reflection = new Reflection(address, credentials.createInsecure());
  }

  /** Resolves with the response, or with the ServiceError (never rejects): tests assert on both. */
  unary<T = Record<string, unknown>>(
    method: string,
    request: object,
    apiKey?: string,
  ): Promise<{ response?: T; error?: ServiceError }> {
    const call = (this.gateway as unknown as Record<string, UnaryMethod>)[method].bind(this.gateway);
    return new Promise((resolve) =>
      call(request, withKey(apiKey), (error, response) =>
        resolve(error ? { error } : { response: response as T }),
      ),
    );
  }

  stream(method: string, request: object, apiKey?: string): ClientReadableStream<unknown> {
    const call = (this.gateway as unknown as Record<string, StreamMethod>)[method].bind(this.gateway);
    return call(request, withKey(apiKey));
  }

  /** Every message of a server stream, its initial metadata and its final error, if any. */
  collect(method: string, request: object, apiKey?: string): Promise<{ messages: unknown[]; metadata?: Metadata; error?: ServiceError }> {
    return new Promise((resolve) => {
      const messages: unknown[] = [];
      let metadata: Metadata | undefined;
      const call = this.stream(method, request, apiKey);
      call.on('metadata', (received: Metadata) => (metadata = received));
      call.on('data', (message: unknown) => messages.push(message));
      call.on('error', (error: ServiceError) => resolve({ messages, metadata, error }));
      call.on('end', () => resolve({ messages, metadata }));
    });
  }

  healthStatus(service: string): Promise<string> {
    const check = (this.health as unknown as Record<string, UnaryMethod>)['check'].bind(this.health);
    return new Promise((resolve, reject) =>
      check({ service }, new Metadata(), (error, response) =>
        error ? reject(error) : resolve((response as { status: string }).status),
      ),
    );
  }

  /** Service names the reflection service lists. */
  listServices(): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const call = (this.reflection as unknown as Record<string, () => NodeJS.ReadWriteStream>)['serverReflectionInfo'].call(
        this.reflection,
      );
      call.on('data', (response: { listServicesResponse?: { service: Array<{ name: string }> } }) => {
        resolve((response.listServicesResponse?.service ?? []).map((entry) => entry.name));
        call.end();
      });
      call.on('error', reject);
      call.write({ listServices: '' } as never);
    });
  }

  close(): void {
    for (const client of [this.gateway, this.health, this.reflection]) client.close();
  }
}

/** The stable code the gateway puts in the `qts-error-code` trailer. */
export function errorCodeOf(error: ServiceError | undefined): string | undefined {
  const value = error?.metadata?.get('qts-error-code')[0];
  return value === undefined ? undefined : String(value);
}

function withKey(apiKey: string | undefined): Metadata {
  const metadata = new Metadata();
  if (apiKey !== undefined) metadata.set('x-api-key', apiKey);
  return metadata;
}

function lookup(grpcObject: GrpcObject, name: string): ServiceClientConstructor {
  let current: unknown = grpcObject;
  for (const part of name.split('.')) current = (current as Record<string, unknown>)[part];
  return current as ServiceClientConstructor;
}
