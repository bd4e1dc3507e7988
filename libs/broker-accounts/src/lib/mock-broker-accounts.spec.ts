import { AccountNotFoundError, AccountType, BrokerRegistry, BrokerType, MockBrokerGateway, type BrokerConfig } from '@qts/broker-domain';
import { AccountDirectory } from './account-directory';
import { MockBrokerAccountsSync } from './mock-broker-accounts';
import type { RuntimeAccountRecord } from './runtime-account.entity';
import type { RuntimeAccountStore } from './runtime-account-store';

describe('MockBrokerAccountsSync', () => {
  it('opens accounts added at run time at the in-process mock broker, and never touches real ones', async () => {
    const brokers = [
      { id: 'paper', type: BrokerType.KIWOOM, mock: true, accounts: [{ id: '1111', name: 'a', type: AccountType.PAPER, isDefault: true }] },
      { id: 'kis', type: BrokerType.KIS, mock: false, accounts: [] },
    ] as unknown as BrokerConfig[];
    const rows: RuntimeAccountRecord[] = [];
    const directory = new AccountDirectory(brokers, { listAll: async () => rows } as unknown as RuntimeAccountStore, { refreshMs: 60_000 });
    const mock = new MockBrokerGateway({ brokerId: 'paper', brokerType: BrokerType.KIWOOM, accounts: [{ id: '1111' }] });
    const real = new MockBrokerGateway({ brokerId: 'kis', brokerType: BrokerType.KIS, accounts: [{ id: '9' }] });
    const openOnReal = jest.spyOn(real, 'openAccount');
    const registry = new BrokerRegistry();
    registry.register(mock, { mock: true });
    registry.register(real);
    const sync = new MockBrokerAccountsSync(directory, registry);
    sync.onModuleInit();
    await expect(mock.getBalance('2222')).rejects.toThrow(AccountNotFoundError);

    const now = new Date();
    for (const [brokerId, accountId] of [['paper', '2222'], ['kis', '3333']]) {
      rows.push({ id: rows.length + 1, brokerId, accountId, name: 'n', type: 'PAPER', active: true, addedBy: null, createdAt: now, updatedAt: now, deactivatedAt: null });
    }
    await directory.reload();

    expect((await mock.getBalance('2222')).cashBalance.toFixed()).toBe('100000000');
    expect(openOnReal).not.toHaveBeenCalled();
    sync.onApplicationShutdown();
  });
});
