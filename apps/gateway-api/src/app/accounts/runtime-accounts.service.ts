import { Injectable, Logger } from '@nestjs/common';
import { AccountDirectory, type AccountAddition, type ListedAccount, type NewAccount } from '@qts/broker-accounts';
import { AccountNotFoundError } from '@qts/broker-domain';
import { WorkerAccountsClient } from './worker-accounts.client';

/**
 * Adds and deactivates accounts for the gateway and the execution worker together. The worker is asked first (it
 * trades the account), then the gateway's own table is written: when the worker cannot confirm, nothing is changed
 * and the caller is told to repeat the request (both sides treat a repeat as the same change), so an account is
 * never silently usable on one side only.
 */
@Injectable()
export class RuntimeAccountsService {
  private readonly logger = new Logger(RuntimeAccountsService.name);

  constructor(
    private readonly accounts: AccountDirectory,
    private readonly worker: WorkerAccountsClient,
  ) {}

  list(brokerId?: string): ListedAccount[] {
    if (brokerId !== undefined) this.accounts.requireBroker(brokerId);
    return this.accounts.list(brokerId);
  }

  async add(input: NewAccount, addedBy: string): Promise<AccountAddition> {
    // Everything the gateway itself would refuse is refused before the worker is asked.
    const account = this.accounts.checkAddition(input);
    const atWorker = await this.worker.add(account);
    try {
      return await this.accounts.add(account, addedBy);
    } catch (error) {
      if (atWorker.created) await this.undoWorkerAddition(account);
      throw error;
    }
  }

  async deactivate(brokerId: string, accountId: string): Promise<ListedAccount> {
    // A configured account or an unknown broker is refused before the worker is asked.
    this.accounts.requireBroker(brokerId);
    const configured = this.accounts.list(brokerId).find((account) => account.id === accountId && account.source === 'config');
    if (configured !== undefined) return this.accounts.deactivate(brokerId, accountId);
    const knownAtWorker = await this.worker.deactivate(brokerId, accountId);
    try {
      return await this.accounts.deactivate(brokerId, accountId);
    } catch (error) {
      if (error instanceof AccountNotFoundError && knownAtWorker) {
        // Added at the worker only (an addition whose gateway half failed): now deactivated there too.
        throw new AccountNotFoundError(
          `account '${accountId}' was not added to broker '${brokerId}' on the gateway; it was deactivated on the execution worker`,
          { details: { brokerId, accountId } },
        );
      }
      throw error;
    }
  }

  private async undoWorkerAddition(account: NewAccount): Promise<void> {
    try {
      await this.worker.deactivate(account.brokerId, account.accountId);
    } catch (error) {
      this.logger.error(
        `account ${account.accountId} of broker ${account.brokerId} was added on the execution worker but not on the gateway, ` +
          `and could not be deactivated there again (${error instanceof Error ? error.message : String(error)}): ` +
          'repeat the addition, or deactivate it on the worker',
      );
    }
  }
}
