import { Body, Controller, Delete, Get, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { AccountDirectory, AddBrokerAccountBody, BrokerAccountParams, type ListedAccount } from '@qts/broker-accounts';
import { AccountType } from '@qts/broker-domain';
import { CurrentPrincipal, RequireScope, type ApiPrincipal } from '@qts/service-infra';
import type { ServerResponse } from 'node:http';

/**
 * The worker's accounts added at run time: what the gateway calls when an operator adds or deactivates an account
 * (GATEWAY_WORKER_URL), and what an operator may call directly. Every replica of the worker's database uses an
 * addition at its next lookup of the account, a deactivation within ACCOUNTS_REFRESH_MS.
 */
@Controller('admin/accounts')
export class WorkerAccountsController {
  constructor(private readonly accounts: AccountDirectory) {}

  @Get()
  @RequireScope('read')
  list(): { accounts: ListedAccount[] } {
    return { accounts: this.accounts.list() };
  }

  /** 201 with `created: true` when added (or re-activated), 200 with `created: false` when it was already active. */
  @Post()
  @RequireScope('admin')
  async add(
    @Body() body: AddBrokerAccountBody,
    @CurrentPrincipal() principal: ApiPrincipal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ListedAccount & { created: boolean }> {
    const { account, created } = await this.accounts.add(
      { brokerId: body.brokerId, accountId: body.accountId, name: body.name, type: AccountType[body.type] },
      principal.name,
    );
    response.statusCode = created ? HttpStatus.CREATED : HttpStatus.OK;
    return { ...account, created };
  }

  @Delete(':brokerId/:accountId')
  @RequireScope('admin')
  deactivate(@Param() params: BrokerAccountParams): Promise<ListedAccount> {
    return this.accounts.deactivate(params.brokerId, params.accountId);
  }
}
