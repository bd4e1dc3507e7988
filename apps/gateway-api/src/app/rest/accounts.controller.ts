import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { BalanceJson } from '@qts/broker-domain';
import { AccountService } from '../accounts/account.service';
import { ApiErrorResponses } from '@qts/service-infra';
import { BROKER_CALL_ERRORS } from './broker-call-errors';
import { RequireScope } from '@qts/service-infra';
import { API_KEY_SECURITY_SCHEME, API_PREFIX } from './api-prefix';
import { BalanceDoc, PositionListDoc } from './dto/account.views';
import { AccountParams } from './dto/route-params';

@ApiTags('accounts')
@ApiSecurity(API_KEY_SECURITY_SCHEME)
@RequireScope('read')
@Controller(`${API_PREFIX}/brokers`)
export class AccountsController {
  constructor(private readonly accounts: AccountService) {}

  @Get(':brokerId/accounts/:accountId/balance')
  @ApiOperation({ summary: 'Cash and equity of a configured account' })
  @ApiResponse({ status: 200, type: BalanceDoc })
  @ApiErrorResponses(...BROKER_CALL_ERRORS)
  async balance(@Param() params: AccountParams): Promise<BalanceJson> {
    return (await this.accounts.getBalance(params.brokerId, params.accountId)).toJSON();
  }

  @Get(':brokerId/accounts/:accountId/positions')
  @ApiOperation({ summary: 'Holdings of a configured account' })
  @ApiResponse({ status: 200, type: PositionListDoc })
  @ApiErrorResponses(...BROKER_CALL_ERRORS)
  async positions(@Param() params: AccountParams): Promise<PositionListDoc> {
    const positions = await this.accounts.getPositions(params.brokerId, params.accountId);
    return { accountId: params.accountId, positions: positions.map((position) => position.toJSON()) };
  }
}
