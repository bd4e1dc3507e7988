import { AccountType, BrokerType, type JtsBrokerConfig } from '@qts/broker-domain';

/** A gRPC broker configuration pointing at 127.0.0.1:port. */
export function brokerConfig(id: string, port: number, overrides: Partial<JtsBrokerConfig> = {}): JtsBrokerConfig {
  return {
    id,
    type: BrokerType.KIS,
    grpc: { host: '127.0.0.1', port },
    rateLimit: { preset: 'kis-real' },
    accounts: [{ id: '50012345-01', name: '모의투자', type: AccountType.PAPER, isDefault: true }],
    required: true,
    mock: false,
    ...overrides,
  };
}
