import { AccountType, BrokerConfig, BrokerType } from '@qts/broker-domain';
import { PlatformConfig } from '@qts/platform-config';

/** TEST-ONLY: a configured broker served by the in-process mock, with a PAPER and a REAL account. */
export function aBrokerConfig(id = 'mock', overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  return {
    id,
    type: BrokerType.KIS,
    grpc: { host: '127.0.0.1', port: 50061 },
    rateLimit: {},
    accounts: [
      { id: 'MOCK-001', name: 'paper', type: AccountType.PAPER, isDefault: true },
      { id: 'REAL-001', name: 'real', type: AccountType.REAL, isDefault: false },
    ],
    required: false,
    mock: true,
    ...overrides,
  };
}

/** TEST-ONLY: a validated platform configuration around the given brokers. */
export function aPlatformConfig(brokers: BrokerConfig[], liveTradingEnabled = false): PlatformConfig {
  return {
    brokersConfigPath: 'config/brokers.yaml',
    brokers,
    bindHost: '127.0.0.1',
    gateway: { httpPort: 3000, grpcPort: 50051 },
    worker: { httpPort: 3001, grpcPort: 50052 },
    liveTradingEnabled,
    logLevel: 'silent',
    brokerHealthIntervalMs: 30_000,
    brokerDeadlineMs: 5_000,
  };
}
