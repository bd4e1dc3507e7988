import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import type { BrokerView } from '../brokers/broker-view';
import { MarketDataService } from '../market-data/market-data.service';
import { ApiErrorResponses } from '@qts/service-infra';
import { BROKER_CALL_ERRORS } from './broker-call-errors';
import { RequireScope } from '@qts/service-infra';
import { API_KEY_SECURITY_SCHEME, API_PREFIX } from './api-prefix';
import { BrokerListDoc, BrokerViewDoc } from './dto/broker.views';
import { SymbolListDoc } from './dto/market-data.views';
import { BrokerParams } from './dto/route-params';

@ApiTags('brokers')
@ApiSecurity(API_KEY_SECURITY_SCHEME)
@RequireScope('read')
@Controller(`${API_PREFIX}/brokers`)
export class BrokersController {
  constructor(
    private readonly catalog: BrokerCatalogService,
    private readonly marketData: MarketDataService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every configured broker: type, connection status, accounts, rate-limit usage' })
  @ApiResponse({ status: 200, type: BrokerListDoc })
  @ApiErrorResponses(401, 403)
  list(): { brokers: BrokerView[] } {
    return { brokers: this.catalog.list() };
  }

  @Get(':brokerId')
  @ApiOperation({ summary: 'One broker: type, connection status, accounts, rate-limit usage per rule, offline, mock' })
  @ApiResponse({ status: 200, type: BrokerViewDoc })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Param() params: BrokerParams): BrokerView {
    return this.catalog.get(params.brokerId);
  }

  @Get(':brokerId/symbols')
  @ApiOperation({ summary: 'Symbols the broker can trade' })
  @ApiResponse({ status: 200, type: SymbolListDoc })
  @ApiErrorResponses(...BROKER_CALL_ERRORS)
  async symbols(@Param() params: BrokerParams): Promise<SymbolListDoc> {
    const symbols = await this.marketData.getSymbols(params.brokerId);
    return { brokerId: params.brokerId, symbols: symbols.map((symbol) => symbol.toJSON()) };
  }
}
