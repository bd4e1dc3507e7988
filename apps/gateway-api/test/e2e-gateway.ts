import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { loadPlatformConfig, PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import type { BrokersYamlEntry } from '@qts/test-support';
import { stringify } from 'yaml';
import { AppModule } from '../src/app/app.module';
import { startGateway } from '../src/app/gateway-app';

export const E2E_ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';

/** One entry of the gateway's brokers.yaml (the shape of config/brokers.yaml). */
export interface GatewayBrokerEntry {
  id: string;
  type: 'KIS' | 'CREON' | 'KIWOOM';
  grpc: { host: string; port: number };
  rateLimit: { preset?: string; rules?: Array<{ id: string; limit: number; windowMs: number }> };
  required?: boolean;
  mock?: boolean;
  deadlineMs?: number;
  accounts: Array<{ id: string; name?: string; type: 'REAL' | 'PAPER'; default?: boolean }>;
}

export interface E2eGateway {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> of the listening HTTP server. */
  baseUrl: string;
  grpcPort: number;
  folder: string;
  close(): Promise<void>;
}

/**
 * The gateway exactly as main.ts builds it: the real AppModule configured from environment variables (a
 * temporary brokers.yaml, a temporary SQLite file), the same app configuration, HTTP and gRPC on ports the OS
 * picks on 127.0.0.1. The environment is restored once the module is built.
 */
export async function startE2eGateway(
  brokers: ReadonlyArray<GatewayBrokerEntry | BrokersYamlEntry>,
  env: Record<string, string> = {},
): Promise<E2eGateway> {
  const folder = mkdtempSync(path.join(tmpdir(), 'gateway-e2e-'));
  const brokersFile = path.join(folder, 'brokers.yaml');
  writeFileSync(brokersFile, stringify({ brokers }), 'utf8');
  const variables: Record<string, string> = {
    BROKERS_CONFIG: brokersFile,
    DATABASE_URL: `sqlite:${path.join(folder, 'gateway.sqlite')}`,
    GATEWAY_HTTP_PORT: '3000',
    BIND_HOST: '127.0.0.1',
    ADMIN_API_KEY: E2E_ADMIN_KEY,
    LOG_LEVEL: 'silent',
    LIVE_TRADING_ENABLED: 'false',
    BROKER_HEALTH_INTERVAL_MS: '500',
    BROKER_DEADLINE_MS: '1500',
    ...env,
  };
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  let app: NestExpressApplication;
  let grpcPort: number;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      // gRPC on port 0, read back from the server: a port picked ahead could be taken before the server binds it,
      // and the environment accepts only 1-65535.
      .overrideProvider(PLATFORM_CONFIG)
      .useFactory({ factory: (): PlatformConfig => withGrpcPortZero(loadPlatformConfig()) })
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
    grpcPort = (await startGateway(app)).port;
    await app.listen(0, '127.0.0.1');
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    grpcPort,
    folder,
    close: async () => {
      await app.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

function withGrpcPortZero(config: PlatformConfig): PlatformConfig {
  return { ...config, gateway: { ...config.gateway, grpcPort: 0 } };
}
