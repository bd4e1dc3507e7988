import { Injectable } from '@nestjs/common';
import { AccountDirectory } from '@qts/broker-accounts';
import type { AccountConfig, BrokerConfig } from '@qts/broker-domain';

/**
 * What the gateway knows about brokers and their accounts: the configured brokers with their configured accounts
 * and the accounts added at run time (AccountDirectory): the source of 404s for unknown ids.
 */
@Injectable()
export class BrokerDirectory {
  constructor(private readonly accounts: AccountDirectory) {}

  list(): BrokerConfig[] {
    return this.accounts.brokers();
  }

  find(brokerId: string): BrokerConfig | undefined {
    return this.accounts.broker(brokerId);
  }

  /** BrokerNotFoundError for an unknown id. */
  requireBroker(brokerId: string): BrokerConfig {
    return this.accounts.requireBroker(brokerId);
  }

  /**
   * An active account of the broker (configured, or added at run time on any replica); 404 for one it does not
   * have or that was deactivated.
   */
  requireAccount(brokerId: string, accountId: string): Promise<AccountConfig> {
    return this.accounts.requireAccount(brokerId, accountId);
  }
}
