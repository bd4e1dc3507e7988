import { dirname, join } from 'node:path';
import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

interface HealthClient {
  check(request: { service: string }, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  close(): void;
}

interface ReflectionCall {
  on(event: 'data', listener: (response: { listServicesResponse?: { service: { name: string }[] } }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(request: { listServices: string }): void;
  end(): void;
}

interface ReflectionClient {
  serverReflectionInfo(): ReflectionCall;
  close(): void;
}

/** grpc.health.v1.Health/Check as Kubernetes gRPC probes call it. */
export function grpcHealthCheck(address: string, service: string): Promise<string> {
  const proto = loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { enums: String });
  const Health = (loadPackageDefinition(proto) as unknown as { grpc: { health: { v1: { Health: new (a: string, c: unknown) => HealthClient } } } })
    .grpc.health.v1.Health;
  const client = new Health(address, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.check({ service }, (error, response) => {
      client.close();
      return error ? reject(error) : resolve(response.status);
    }),
  );
}

/** The service names a reflection client (grpcurl, Postman) sees. */
export function listServicesByReflection(address: string): Promise<string[]> {
  const protoFile = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto', 'grpc', 'reflection', 'v1', 'reflection.proto');
  const proto = loadSync(protoFile, { keepCase: false });
  const Reflection = (
    loadPackageDefinition(proto) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: new (a: string, c: unknown) => ReflectionClient } } };
    }
  ).grpc.reflection.v1.ServerReflection;
  const client = new Reflection(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = client.serverReflectionInfo();
    call.on('data', (response) => {
      call.end();
      client.close();
      resolve((response.listServicesResponse?.service ?? []).map((service) => service.name).sort());
    });
    call.on('error', (error) => {
      client.close();
      reject(error);
    });
    call.write({ listServices: '' });
  });
}
