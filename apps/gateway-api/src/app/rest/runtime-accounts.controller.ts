import { Body, Controller, Delete, Get, HttpStatus, Param, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AddAccountBody, AccountListView, ListedAccountView, type ListedAccount } from '@qts/broker-accounts';
import { AccountType } from '@qts/broker-domain';
import { ApiErrorResponses, CurrentPrincipal, RequireScope, type ApiPrincipal } from '@qts/service-infra';
import { RuntimeAccountsService } from '../accounts/runtime-accounts.service';
import { API_KEY_SECURITY_SCHEME, API_PREFIX } from './api-prefix';
import { AccountParams, BrokerParams } from './dto/route-params';

@ApiTags('accounts')
@ApiSecurity(API_KEY_SECURITY_SCHEME)
@Controller(API_PREFIX)
export class RuntimeAccountsController {
  constructor(private readonly accounts: RuntimeAccountsService) {}

  @Get('accounts')
  @RequireScope('read')
  @ApiOperation({
    summary: 'Every account of every broker: those of the brokers YAML (source config) and those added at run time (source runtime, deactivated ones included)',
  })
  @ApiResponse({ status: 200, type: AccountListView })
  @ApiErrorResponses(401, 403)
  list(): { accounts: ListedAccount[] } {
    return { accounts: this.accounts.list() };
  }

  @Get('brokers/:brokerId/accounts')
  @RequireScope('read')
  @ApiOperation({ summary: "One broker's accounts, configured and added at run time" })
  @ApiResponse({ status: 200, type: AccountListView })
  @ApiErrorResponses(400, 401, 403, 404)
  listOfBroker(@Param() params: BrokerParams): { accounts: ListedAccount[] } {
    return { accounts: this.accounts.list(params.brokerId) };
  }

  @Post('brokers/:brokerId/accounts')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Adds an account to a broker, for the gateway and the execution worker, usable at once without a restart',
    description:
      'The execution worker is told first (GATEWAY_WORKER_URL); when it cannot confirm, nothing is changed (503 WORKER_UNAVAILABLE) ' +
      'and the same request may simply be repeated. A repeat of an active account with the same name and type answers 200 with it. ' +
      'A REAL account may be added, but orders on it are refused (LIVE_TRADING_DISABLED) unless LIVE_TRADING_ENABLED=true. ' +
      'Brokers reached over their REST API trade the one account of their app key and take no other.',
  })
  @ApiResponse({ status: 201, type: ListedAccountView, description: 'Added (or re-activated)' })
  @ApiResponse({ status: 200, type: ListedAccountView, description: 'Already active with this name and type' })
  @ApiErrorResponses(400, 401, 403, 404, 409, 503)
  async add(
    @Param() params: BrokerParams,
    @Body() body: AddAccountBody,
    @CurrentPrincipal() principal: ApiPrincipal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ListedAccount> {
    const { account, created } = await this.accounts.add(
      { brokerId: params.brokerId, accountId: body.accountId, name: body.name, type: AccountType[body.type] },
      principal.name,
    );
    response.statusCode = created ? HttpStatus.CREATED : HttpStatus.OK;
    return account;
  }

  @Delete('brokers/:brokerId/accounts/:accountId')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Deactivates an account added at run time, on the execution worker first and then here: no new orders, orders in flight are still followed',
  })
  @ApiResponse({ status: 200, type: ListedAccountView })
  @ApiErrorResponses(400, 401, 403, 404, 409, 503)
  deactivate(@Param() params: AccountParams): Promise<ListedAccount> {
    return this.accounts.deactivate(params.brokerId, params.accountId);
  }
}
