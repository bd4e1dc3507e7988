import {
  AccountType,
  BrokerType,
  Decimal,
  OrderSide,
  OrderType,
  type AccountConfig,
  type ExecutionIntent,
  type JtsBrokerConfig,
} from '@qts/broker-domain';
import type { PlatformConfig, WorkerSettings } from '@qts/platform-config';

/** The accounts of the test brokers: a PAPER one (the default) and a REAL one. */
export const TEST_ACCOUNTS = Object.freeze({ paper: '50012345-01', real: '70000001-01' });

/** The default account of the domain's MockBrokerGateway (and a REAL one beside it), for brokers it serves. */
export const MOCK_GATEWAY_ACCOUNTS = Object.freeze({ paper: 'MOCK-001', real: 'REAL-001' });

/** Intent fields that address the in-process MockBrokerGateway configured as broker 'mock'. */
export const ON_MOCK_BROKER = Object.freeze({ brokerId: 'mock', accountId: MOCK_GATEWAY_ACCOUNTS.paper, strategyId: 'strategy-a' });

/** A PAPER account (the default) and a REAL one, as a broker entry of the brokers YAML lists them. */
export function testAccounts(ids: { paper: string; real: string } = TEST_ACCOUNTS): AccountConfig[] {
  return [
    { id: ids.paper, name: 'paper', type: AccountType.PAPER, isDefault: true },
    { id: ids.real, name: 'real', type: AccountType.REAL, isDefault: false },
  ];
}

/** A configured broker: 'kis', KIS, served in-process by the mock (`mock: true`), required, with testAccounts(). */
export function testBrokerConfig(overrides: Partial<JtsBrokerConfig> = {}): JtsBrokerConfig {
  return {
    id: 'kis',
    type: BrokerType.KIS,
    grpc: { host: '127.0.0.1', port: 50061 },
    rateLimit: { preset: 'kis-paper' },
    accounts: testAccounts(),
    required: true,
    mock: true,
    ...overrides,
  };
}

/** A broker served by the domain's MockBrokerGateway (its default PAPER account, and a REAL one), not required. */
export function mockBrokerConfig(id = 'mock', overrides: Partial<JtsBrokerConfig> = {}): JtsBrokerConfig {
  return testBrokerConfig({ id, rateLimit: {}, accounts: testAccounts(MOCK_GATEWAY_ACCOUNTS), required: false, ...overrides });
}

/**
 * The worker settings of tests: the production defaults (docs/execution-worker.md) on free ports. Written out
 * rather than imported so that test-support does not depend on the configuration library at run time (its
 * dependencies' tests use test-support).
 */
export const TEST_WORKER_SETTINGS: Readonly<WorkerSettings> = Object.freeze({
  httpPort: 0,
  grpcPort: 0,
  maxConcurrency: 16,
  reconcileGraceMs: 30_000,
  reconcileInitialDelayMs: 250,
  reconcileMaxDelayMs: 5_000,
  reconcileMaxBlockingMs: 60_000,
  reconcileSweepMs: 30_000,
  shutdownGraceMs: 10_000,
  leaseTtlMs: 10_000,
  openOrderPollMs: 2_000,
  openOrderPollBatch: 20,
  intentMaxDelayMarketMs: 5_000,
  intentMaxDelayLimitMs: 60_000,
  submitAnswerMarginMs: 250,
});

export type TestPlatformConfigOverrides = Partial<Omit<PlatformConfig, 'worker'>> & { worker?: Partial<WorkerSettings> };

/**
 * A validated platform configuration as the loader would build it, for tests: one testBrokerConfig(), free
 * ports (0), an in-memory SQLite database, silent logs, live trading off. `worker` overrides merge into the
 * worker's defaults.
 */
export function testPlatformConfig(overrides: TestPlatformConfigOverrides = {}): PlatformConfig {
  const { worker, ...rest } = overrides;
  return {
    brokersConfigPath: 'config/brokers.yaml',
    brokers: [testBrokerConfig()],
    bindHost: '127.0.0.1',
    gateway: { httpPort: 0, grpcPort: 0 },
    databaseUrl: 'sqlite::memory:',
    liveTradingEnabled: false,
    logLevel: 'silent',
    brokerHealthIntervalMs: 30_000,
    brokerDeadlineMs: 5_000,
    ...rest,
    worker: { ...TEST_WORKER_SETTINGS, ...worker },
  };
}

/** A LIMIT buy of 10 Samsung Electronics (005930) at 70,100 KRW on the test PAPER account of 'kis'. */
export function testIntent(overrides: Partial<ExecutionIntent> = {}): ExecutionIntent {
  return {
    intentId: 'intent-1',
    strategyId: 'momentum-kr',
    brokerId: 'kis',
    accountId: TEST_ACCOUNTS.paper,
    symbol: '005930',
    side: OrderSide.BUY,
    quantity: 10,
    orderType: OrderType.LIMIT,
    limitPrice: new Decimal('70100'),
    ...overrides,
  };
}
