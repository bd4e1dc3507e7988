import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import type { BrokerView } from '../brokers/broker-view';
import { BrokerViewDoc } from '../rest/dto/broker.views';
import { PublicRoute } from '@qts/service-infra';
import { renderDashboardPage } from './dashboard-page';

export class DashboardDataDoc {
  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiProperty({ type: [BrokerViewDoc] })
  brokers!: BrokerViewDoc[];
}

/** Live broker status page. No API key: it shows no secrets (no keys, no balances, no orders). */
@ApiTags('observability')
@PublicRoute()
@Controller('dashboard')
export class DashboardController {
  private readonly page = renderDashboardPage('/dashboard/data');

  constructor(private readonly catalog: BrokerCatalogService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
  @ApiOperation({ summary: 'Dashboard: every broker status, offline/mock flags and rate-limit usage, refreshed every second' })
  @ApiResponse({
    status: 200,
    description: 'Self-contained HTML page',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  show(): string {
    return this.page;
  }

  @Get('data')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The data the dashboard polls' })
  @ApiResponse({ status: 200, type: DashboardDataDoc })
  data(): { generatedAt: string; brokers: BrokerView[] } {
    return { generatedAt: new Date().toISOString(), brokers: this.catalog.list() };
  }
}
