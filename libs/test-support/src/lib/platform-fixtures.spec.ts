import { AccountType, BrokerType, OrderType } from '@qts/broker-domain';
import {
  MOCK_GATEWAY_ACCOUNTS,
  mockBrokerConfig,
  ON_MOCK_BROKER,
  TEST_ACCOUNTS,
  TEST_WORKER_SETTINGS,
  testBrokerConfig,
  testIntent,
  testPlatformConfig,
} from './platform-fixtures';

describe('configuration and intent builders', () => {
  it('build a platform configuration with one mock KIS broker, free ports, memory SQLite and silent logs', () => {
    const config = testPlatformConfig();
    expect(config).toMatchObject({
      bindHost: '127.0.0.1',
      gateway: { httpPort: 0, grpcPort: 0 },
      databaseUrl: 'sqlite::memory:',
      liveTradingEnabled: false,
      logLevel: 'silent',
    });
    expect(config.brokers).toEqual([testBrokerConfig()]);
    expect(config.brokers[0]).toMatchObject({ id: 'kis', type: BrokerType.KIS, required: true, mock: true });
    expect(config.brokers[0]?.accounts.map((account) => [account.id, account.type, account.isDefault])).toEqual([
      [TEST_ACCOUNTS.paper, AccountType.PAPER, true],
      [TEST_ACCOUNTS.real, AccountType.REAL, false],
    ]);
    expect(config.worker).toEqual(TEST_WORKER_SETTINGS);
    expect(config.worker).toMatchObject({ httpPort: 0, grpcPort: 0 });
  });

  it('merge worker overrides into the worker defaults and replace everything else', () => {
    const config = testPlatformConfig({ worker: { shutdownGraceMs: 1_000 }, adminApiKey: 'k'.repeat(16), brokers: [] });
    expect(config.worker).toEqual({ ...TEST_WORKER_SETTINGS, shutdownGraceMs: 1_000 });
    expect(config.adminApiKey).toBe('k'.repeat(16));
    expect(config.brokers).toEqual([]);
  });

  it("build a broker of the domain's mock gateway, not required, with its accounts", () => {
    const broker = mockBrokerConfig('creon', { type: BrokerType.CREON });
    expect(broker).toMatchObject({ id: 'creon', type: BrokerType.CREON, required: false, mock: true, rateLimit: {} });
    expect(broker.accounts.map((account) => account.id)).toEqual([MOCK_GATEWAY_ACCOUNTS.paper, MOCK_GATEWAY_ACCOUNTS.real]);
    expect(mockBrokerConfig().id).toBe('mock');
  });

  it('build a LIMIT buy intent on the test PAPER account, with overrides', () => {
    const intent = testIntent();
    expect(intent).toMatchObject({ intentId: 'intent-1', brokerId: 'kis', accountId: TEST_ACCOUNTS.paper, symbol: '005930', quantity: 10, orderType: OrderType.LIMIT });
    expect(intent.limitPrice?.toFixed()).toBe('70100');
    expect(testIntent({ ...ON_MOCK_BROKER, intentId: 'x' })).toMatchObject({ intentId: 'x', brokerId: 'mock', accountId: MOCK_GATEWAY_ACCOUNTS.paper });
  });
});
