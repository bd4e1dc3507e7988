import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BrokerRegistry, type PaperAccountOptions } from '@qts/broker-domain';
import { AccountDirectory } from './account-directory';

interface OpensAccounts {
  openAccount(options: PaperAccountOptions): boolean;
}

function opensAccounts(gateway: unknown): gateway is OpensAccounts {
  return typeof (gateway as Partial<OpensAccounts> | undefined)?.openAccount === 'function';
}

/**
 * Opens every account of a `mock: true` broker at its in-process mock, including those added at run time: a real
 * broker already has every account its customer opened, the mock has only those it was created with.
 */
export function openAccountsOnMockBrokers(directory: AccountDirectory, registry: BrokerRegistry): void {
  for (const broker of directory.brokers()) {
    if (!broker.mock) continue;
    const gateway = registry.get(broker.id);
    if (!opensAccounts(gateway)) continue;
    for (const account of broker.accounts) gateway.openAccount({ id: account.id, type: account.type });
  }
}

/** Keeps the mock brokers' accounts in step with the directory (provide it where BrokerRegistry is). */
@Injectable()
export class MockBrokerAccountsSync implements OnModuleInit, OnApplicationShutdown {
  private stop: (() => void) | undefined;

  constructor(
    private readonly directory: AccountDirectory,
    private readonly registry: BrokerRegistry,
  ) {}

  onModuleInit(): void {
    openAccountsOnMockBrokers(this.directory, this.registry);
    this.stop = this.directory.onChange(() => openAccountsOnMockBrokers(this.directory, this.registry));
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
