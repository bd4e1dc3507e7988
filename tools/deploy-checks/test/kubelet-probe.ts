import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { connect } from 'node:net';
import type { ProbeTarget } from '../src/lib/probe-targets';

/** What one probe saw: passed as the kubelet counts it, and what it got. */
export interface ProbeOutcome {
  passed: boolean;
  detail: string;
}

interface HealthClient {
  check(
    request: { service: string },
    options: { deadline: Date },
    callback: (error: ServiceError | null, response?: { status: string }) => void,
  ): void;
  close(): void;
}
type HealthClientConstructor = new (
  address: string,
  channelCredentials: ReturnType<typeof credentials.createInsecure>,
) => HealthClient;

let healthClient: HealthClientConstructor | undefined;

function healthClientClass(): HealthClientConstructor {
  healthClient ??= (
    loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: HealthClientConstructor } } };
    }
  ).grpc.health.v1.Health;
  return healthClient;
}

/**
 * Runs a probe as the kubelet does, against 127.0.0.1:`port` (where the test put the container port): an HTTP GET
 * passes with a status from 200 to 399; a gRPC probe calls grpc.health.v1.Health/Check with the probe's service
 * name and passes on SERVING; a TCP probe passes when a connection opens. Each within the probe's timeoutSeconds.
 */
export function runProbe(target: ProbeTarget, port: number): Promise<ProbeOutcome> {
  const timeoutMs = (target.probe.timeoutSeconds ?? 1) * 1_000;
  switch (target.type) {
    case 'http':
      return httpProbe(`${target.scheme.toLowerCase()}://127.0.0.1:${port}${target.path}`, timeoutMs);
    case 'grpc':
      return grpcProbe(`127.0.0.1:${port}`, target.service, timeoutMs);
    case 'tcp':
      return tcpProbe(port, timeoutMs);
    case 'exec':
      return Promise.resolve({
        passed: false,
        detail: 'exec probes run inside the container; not reproducible here',
      });
  }
}

async function httpProbe(url: string, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return {
      passed: response.status >= 200 && response.status < 400,
      detail: `HTTP ${response.status} ${body.slice(0, 300)}`,
    };
  } catch (error) {
    return { passed: false, detail: `GET ${url}: ${(error as Error).message}` };
  }
}

function grpcProbe(address: string, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const Health = healthClientClass();
  const client = new Health(address, credentials.createInsecure());
  return new Promise((resolve) =>
    client.check({ service }, { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => {
      client.close();
      if (error) resolve({ passed: false, detail: `Check('${service}') on ${address}: ${error.message}` });
      else
        resolve({
          passed: response?.status === 'SERVING',
          detail: `Check('${service}') on ${address}: ${response?.status}`,
        });
    }),
  );
}

function tcpProbe(port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const done = (outcome: ProbeOutcome): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.once('connect', () => done({ passed: true, detail: `connected to ${port}` }));
    socket.once('timeout', () => done({ passed: false, detail: `connect to ${port} timed out` }));
    socket.once('error', (error) => done({ passed: false, detail: `connect to ${port}: ${error.message}` }));
  });
}
