import { AccountType } from '../enums/account-type';
import { BrokerType } from '../enums/broker-type';
import { AccountConfig, BrokerConfig, defaultAccount } from './broker-config';

describe('defaultAccount', () => {
  const paper: AccountConfig = {
    id: '50012345-01',
    name: '모의투자',
    type: AccountType.PAPER,
    isDefault: false,
  };
  const real: AccountConfig = { id: '60012345-01', name: '실전', type: AccountType.REAL, isDefault: true };
  const config = (accounts: AccountConfig[]): BrokerConfig => ({
    id: 'kis',
    type: BrokerType.KIS,
    grpc: { host: '127.0.0.1', port: 50061 },
    rateLimit: { preset: 'kis-paper' },
    accounts,
    required: true,
    mock: false,
  });

  it('picks the account flagged as default', () => {
    expect(defaultAccount(config([paper, real]))).toBe(real);
  });

  it('falls back to the first account, and to undefined without accounts', () => {
    expect(defaultAccount(config([paper]))).toBe(paper);
    expect(defaultAccount(config([]))).toBeUndefined();
  });
});
