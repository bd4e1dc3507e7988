import { Injectable } from '@nestjs/common';
import type { Balance, Position } from '@qts/broker-domain';
import { BrokerCallRunner } from '../brokers/broker-call-runner';
import { BrokerDirectory } from '../brokers/broker-directory';

/** Balances and positions of known accounts (configured or added at run time; any other is a 404). */
@Injectable()
export class AccountService {
  constructor(
    private readonly directory: BrokerDirectory,
    private readonly calls: BrokerCallRunner,
  ) {}

  async getBalance(brokerId: string, accountId: string): Promise<Balance> {
    await this.directory.requireAccount(brokerId, accountId);
    return this.calls.run(brokerId, 'getBalance', (gateway) => gateway.getBalance(accountId));
  }

  async getPositions(brokerId: string, accountId: string): Promise<Position[]> {
    await this.directory.requireAccount(brokerId, accountId);
    return this.calls.run(brokerId, 'getPositions', (gateway) => gateway.getPositions(accountId));
  }
}
