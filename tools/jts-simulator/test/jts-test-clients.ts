import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { jtsV1, loadPackageDefinition, PROTO_LOADER_OPTIONS } from '@qts/grpc-contracts';
import { SimulatorAdminClient } from '@qts/test-support';
import type { JtsSimulator } from '../src/app/jts-simulator';
import type { LogLevel, SimulatorLogger } from '../src/app/logging/simulator-logger';
import { LineLogger } from '../src/app/logging/simulator-logger';

// Plain grpc-js clients of an in-process simulator, as any JTS client would talk to it.

export const CALL_TIMEOUT_MS = 5_000;

export function callOptions(deadlineMs = CALL_TIMEOUT_MS): Partial<grpc.CallOptions> {
  return { deadline: Date.now() + deadlineMs };
}

/** Turns a grpc-js callback call into a promise: `unary<QuoteData>((cb) => client.getQuote(req, meta, opts, cb))`. */
export function unary<Res>(
  invoke: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((error, response) => (error === null ? resolve(response) : reject(error)));
  });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('expected the call to fail, it succeeded');
}

export function trailer(error: grpc.ServiceError, key: string): string | undefined {
  const [value] = error.metadata?.get(key) ?? [];
  return value === undefined ? undefined : String(value);
}

export function collect<T>(stream: grpc.ClientReadableStream<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    stream.on('data', (item: T) => items.push(item));
    stream.on('error', reject);
    stream.on('end', () => resolve(items));
  });
}

type HealthResponse = { status: string };
interface HealthClient extends grpc.Client {
  check(
    request: { service: string },
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: HealthResponse) => void,
  ): void;
}

type ReflectionResponse = { listServicesResponse?: { service: { name: string }[] } };
interface ReflectionClient extends grpc.Client {
  serverReflectionInfo(): grpc.ClientDuplexStream<object, ReflectionResponse>;
}

type GrpcPackage = Record<string, Record<string, Record<string, Record<string, grpc.ServiceClientConstructor>>>>;

export function healthClient(address: string): HealthClient {
  const definition = grpc.loadPackageDefinition(loadPackageDefinition([], { includeHealth: true })) as unknown as GrpcPackage;
  const Health = definition['grpc']['health']['v1']['Health'];
  return new Health(address, grpc.credentials.createInsecure()) as unknown as HealthClient;
}

export async function healthStatus(address: string, service: string): Promise<string> {
  const client = healthClient(address);
  try {
    const response = await unary<HealthResponse>((cb) => client.check({ service }, new grpc.Metadata(), callOptions(), cb));
    return response.status;
  } finally {
    client.close();
  }
}

/** The service names a server lists through grpc.reflection.v1 (what grpcurl list shows). */
export async function reflectedServices(address: string): Promise<string[]> {
  const reflectionProto = path.join(path.dirname(require.resolve('@grpc/reflection')), '..', 'proto');
  const definition = grpc.loadPackageDefinition(
    loadSync('grpc/reflection/v1/reflection.proto', { ...PROTO_LOADER_OPTIONS, includeDirs: [reflectionProto] }),
  ) as unknown as GrpcPackage;
  const Reflection = definition['grpc']['reflection']['v1']['ServerReflection'];
  const client = new Reflection(address, grpc.credentials.createInsecure()) as unknown as ReflectionClient;
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const call = client.serverReflectionInfo();
      call.on('data', (response: ReflectionResponse) => {
        resolve((response.listServicesResponse?.service ?? []).map((service) => service.name).sort());
        call.end();
      });
      call.on('error', reject);
      call.write({ listServices: '' });
    });
  } finally {
    client.close();
  }
}

export interface JtsTestClients {
  address: string;
  marketData: jtsV1.MarketDataServiceClient;
  trading: jtsV1.TradingServiceClient;
  close(): void;
}

export function jtsClients(address: string): JtsTestClients {
  const marketData = new jtsV1.MarketDataServiceClient(address, grpc.credentials.createInsecure());
  const trading = new jtsV1.TradingServiceClient(address, grpc.credentials.createInsecure());
  return {
    address,
    marketData,
    trading,
    close: () => {
      marketData.close();
      trading.close();
    },
  };
}

export function adminClient(simulator: JtsSimulator): SimulatorAdminClient {
  return new SimulatorAdminClient(`127.0.0.1:${simulator.adminPort}`, { deadlineMs: CALL_TIMEOUT_MS });
}

/** A logger that keeps its lines, for asserting what the simulator reported. */
export function capturingLogger(level: LogLevel = 'debug'): SimulatorLogger & { lines: string[] } {
  const lines: string[] = [];
  const logger = new LineLogger(level, (line) => lines.push(line));
  return Object.assign(logger, { lines });
}
