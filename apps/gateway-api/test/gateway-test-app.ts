import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  AccountType,
  BrokerRegistry,
  BrokerType,
  ConnectionStatus,
  MockBrokerGateway,
  type BrokerConfig,
} from '@qts/broker-domain';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { SlidingWindowLimiter } from '@qts/rate-limit';
import { LOG_DESTINATION } from '@qts/service-infra';
import { TEST_ACCOUNTS, testBrokerConfig, testPlatformConfig, type TestPlatformConfigOverrides } from '@qts/test-support';
import { AppModule } from '../src/app/app.module';
import { startGateway } from '../src/app/gateway-app';
import { ScriptedBrokerGateway } from './scripted-broker-gateway';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
export const PAPER_ACCOUNT = TEST_ACCOUNTS.paper;
export const REAL_ACCOUNT = TEST_ACCOUNTS.real;

/** kis: a scripted (mock-backed) broker registered like a gRPC one (status and limiter); sim: a plain mock. */
export function testBrokers(): BrokerConfig[] {
  return [
    testBrokerConfig({ rateLimit: { rules: [{ id: 'requests', limit: 100, windowMs: 1_000 }] } }),
    testBrokerConfig({
      id: 'sim',
      type: BrokerType.CREON,
      rateLimit: { preset: 'creon' },
      accounts: [{ id: '12345678', name: 'creon paper', type: AccountType.PAPER, isDefault: true }],
      required: false,
    }),
  ];
}

export function testConfig(overrides: TestPlatformConfigOverrides = {}): PlatformConfig {
  return testPlatformConfig({ brokers: testBrokers(), adminApiKey: ADMIN_KEY, ...overrides });
}

/** Collects log lines in memory. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    callback();
  }

  get text(): string {
    return this.lines.join('');
  }
}

export interface TestGateway {
  app: NestExpressApplication;
  config: PlatformConfig;
  /** The 'kis' broker: scripted failures, counters, a settable connection status and a real limiter. */
  kis: ScriptedBrokerGateway;
  kisStatus: { current: ConnectionStatus };
  kisLimiter: SlidingWindowLimiter;
  logs: LogCapture;
  grpcPort: number;
  close(): Promise<void>;
}

/**
 * The real AppModule (same global pipeline as production) with the configuration replaced: an in-memory
 * SQLite database, ephemeral ports and a registry whose 'kis' broker is scriptable.
 */
export async function createTestGateway(overrides: TestPlatformConfigOverrides = {}): Promise<TestGateway> {
  const config = testConfig(overrides);
  const logs = new LogCapture();
  const kisConfig = config.brokers.find((broker) => broker.id === 'kis');
  const kis = new ScriptedBrokerGateway(
    new MockBrokerGateway({
      brokerId: 'kis',
      brokerType: BrokerType.KIS,
      accounts: (kisConfig?.accounts ?? []).map(({ id, type }) => ({ id, type })),
    }),
  );
  const kisStatus = { current: ConnectionStatus.CONNECTED };
  const kisLimiter = new SlidingWindowLimiter({ name: 'kis', rules: [{ id: 'requests', limit: 100, windowMs: 1_000 }] });
  const registry = new BrokerRegistry();
  registry.register(kis, { status: () => kisStatus.current, rateLimitUsage: () => kisLimiter.usage(), mock: false });
  for (const broker of config.brokers.filter((candidate) => candidate.id !== 'kis')) {
    registry.register(
      new MockBrokerGateway({
        brokerId: broker.id,
        brokerType: broker.type,
        accounts: broker.accounts.map(({ id, type }) => ({ id, type })),
      }),
      { mock: true },
    );
  }

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(PLATFORM_CONFIG)
    .useValue(config)
    .overrideProvider(LOG_DESTINATION)
    .useValue(logs)
    .overrideProvider(BrokerRegistry)
    .useValue(registry)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  const grpc = await startGateway(app);
  return {
    app,
    config,
    kis,
    kisStatus,
    kisLimiter,
    logs,
    grpcPort: grpc.port,
    close: async () => {
      kisLimiter.close();
      await app.close();
    },
  };
}
