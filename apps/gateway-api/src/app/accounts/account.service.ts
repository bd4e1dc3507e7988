import { Injectable } from '@nestjs/common';
import type { Balance, Position } from '@qts/broker-domain';
import { BrokerCallRunner } from '../brokers/broker-call-runner';
import { BrokerDirectory } from '../brokers/broker-directory';

/** Balances and positions of configured accounts (an account the configuration does not list is a 404). */
@Injectable()
export class AccountService {
  constructor(
    private readonly directory: BrokerDirectory,
    private readonly calls: BrokerCallRunner,
  ) {}

  getBalance(brokerId: string, accountId: string): Promise<Balance> {
    this.directory.requireAccount(brokerId, accountId);
    return this.calls.run(brokerId, 'getBalance', (gateway) => gateway.getBalance(accountId));
  }

  getPositions(brokerId: string, accountId: string): Promise<Position[]> {
    this.directory.requireAccount(brokerId, accountId);
    return this.calls.run(brokerId, 'getPositions', (gateway) => gateway.getPositions(accountId));
  }
}
