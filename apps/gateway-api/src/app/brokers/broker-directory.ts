import { Inject, Injectable } from '@nestjs/common';
import {
  AccountNotFoundError,
  BrokerNotFoundError,
  type AccountConfig,
  type BrokerConfig,
} from '@qts/broker-domain';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';

/** What the configuration says about brokers and their accounts: the source of 404s for unknown ids. */
@Injectable()
export class BrokerDirectory {
  private readonly brokers: ReadonlyMap<string, BrokerConfig>;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.brokers = new Map(config.brokers.map((broker) => [broker.id, broker]));
  }

  list(): BrokerConfig[] {
    return [...this.brokers.values()];
  }

  find(brokerId: string): BrokerConfig | undefined {
    return this.brokers.get(brokerId);
  }

  requireBroker(brokerId: string): BrokerConfig {
    const broker = this.brokers.get(brokerId);
    if (broker === undefined) {
      throw new BrokerNotFoundError(`broker '${brokerId}' is not configured`, { details: { brokerId } });
    }
    return broker;
  }

  /** The account of a broker as configured; an account the configuration does not list is a 404. */
  requireAccount(brokerId: string, accountId: string): AccountConfig {
    const account = this.requireBroker(brokerId).accounts.find((candidate) => candidate.id === accountId);
    if (account === undefined) {
      throw new AccountNotFoundError(`account '${accountId}' is not configured for broker '${brokerId}'`, {
        details: { brokerId, accountId },
      });
    }
    return account;
  }
}
