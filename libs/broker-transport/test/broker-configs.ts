import { AccountType, BrokerType, type JtsBrokerConfig, type RestBrokerConfig } from '@qts/broker-domain';

/** A JTS broker pointing at 127.0.0.1:port. */
export function jtsBroker(id: string, port: number, overrides: Partial<JtsBrokerConfig> = {}): JtsBrokerConfig {
  return {
    id,
    type: BrokerType.KIS,
    transport: 'jts',
    grpc: { host: '127.0.0.1', port },
    rateLimit: { preset: 'kis-real' },
    accounts: [{ id: '50012345-01', name: '모의투자', type: AccountType.PAPER, isDefault: true }],
    required: true,
    mock: false,
    ...overrides,
  };
}

/** A KIS paper broker over REST at baseUrl, its credentials in the variables KIS_KEY and KIS_SECRET. */
export function restBroker(id: string, baseUrl: string, overrides: Partial<RestBrokerConfig> = {}): RestBrokerConfig {
  return {
    id,
    type: BrokerType.KIS,
    transport: 'rest',
    rest: {
      environment: 'paper',
      baseUrl,
      credentials: { appKey: { env: 'KIS_KEY' }, appSecret: { env: 'KIS_SECRET' } },
      symbols: ['005930', '000660'],
    },
    rateLimit: { preset: 'kis-paper' },
    accounts: [{ id: '50012345-01', name: '모의투자', type: AccountType.PAPER, isDefault: true }],
    required: true,
    mock: false,
    ...overrides,
  };
}

export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
