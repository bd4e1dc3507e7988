import { Body, Controller, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { RequireScope } from '@qts/service-infra';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import { FailSafeResetDto } from './fail-safe-reset.dto';

/** HTTP twin of ExecutionService.ResetFailSafe, for operators without a gRPC client. */
@Controller('admin/fail-safe')
@RequireScope('admin')
export class FailSafeAdminController {
  private readonly logger = new Logger(FailSafeAdminController.name);

  constructor(@Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory) {}

  /** Resets tripped consecutive-failure guards. 401 without a valid X-API-Key (or without ADMIN_API_KEY). */
  @Post('reset')
  @HttpCode(200)
  reset(@Body() body: FailSafeResetDto): { resetBrokerIds: string[] } {
    const resetBrokerIds = this.brokers.resetFailSafe(body.brokerId);
    this.logger.warn(
      `Fail-safe reset over HTTP for ${body.brokerId ?? 'every broker'} (${body.reason || 'no reason given'}): ` +
        `${resetBrokerIds.join(', ') || 'nothing was tripped'}`,
    );
    return { resetBrokerIds };
  }
}
