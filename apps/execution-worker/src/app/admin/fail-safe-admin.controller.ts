import { Body, Controller, Headers, HttpCode, Inject, Logger, Post, UnauthorizedException } from '@nestjs/common';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import { AdminApiKey } from '../grpc/admin-api-key';
import { FailSafeResetDto } from './fail-safe-reset.dto';

/** HTTP twin of ExecutionService.ResetFailSafe, for operators without a gRPC client. */
@Controller('admin/fail-safe')
export class FailSafeAdminController {
  private readonly logger = new Logger(FailSafeAdminController.name);

  constructor(
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    private readonly adminKey: AdminApiKey,
  ) {}

  /** Resets tripped consecutive-failure guards. 401 without a valid X-API-Key (or without ADMIN_API_KEY). */
  @Post('reset')
  @HttpCode(200)
  reset(@Headers('x-api-key') apiKey: string | undefined, @Body() body: FailSafeResetDto): { resetBrokerIds: string[] } {
    const verdict = this.adminKey.verify(apiKey);
    if (verdict !== 'granted') {
      throw new UnauthorizedException(
        verdict === 'disabled' ? 'admin calls are disabled (no ADMIN_API_KEY)' : 'a valid X-API-Key is required',
      );
    }
    const resetBrokerIds = this.brokers.resetFailSafe(body.brokerId);
    this.logger.warn(
      `Fail-safe reset over HTTP for ${body.brokerId ?? 'every broker'} (${body.reason || 'no reason given'}): ` +
        `${resetBrokerIds.join(', ') || 'nothing was tripped'}`,
    );
    return { resetBrokerIds };
  }
}
