import { Body, Controller, HttpCode, Inject, Logger, Optional, Post } from '@nestjs/common';
import { InvalidArgumentError } from '@qts/broker-domain';
import { RequireScope } from '@qts/service-infra';
import { ExecutionConsoleStreams } from '../console/execution-console-streams';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import { FailSafeResetDto } from './fail-safe-reset.dto';

/** HTTP twin of ExecutionService.ResetFailSafe, for operators without a gRPC client (and the execution console). */
@Controller('admin/fail-safe')
@RequireScope('admin')
export class FailSafeAdminController {
  private readonly logger = new Logger(FailSafeAdminController.name);

  constructor(
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    @Optional() private readonly consoles?: ExecutionConsoleStreams,
  ) {}

  /**
   * Resets consecutive-failure guards of this worker process: all, one broker's, or one account's. Answers the brokers
   * whose guard was tripped and every guard that was tripped or counting failures. 401 without a valid X-API-Key.
   */
  @Post('reset')
  @HttpCode(200)
  reset(@Body() body: FailSafeResetDto): {
    resetBrokerIds: string[];
    resetAccounts: Array<{ brokerId: string; accountId: string; wasTripped: boolean; consecutiveFailures: number }>;
  } {
    if (body.accountId !== undefined && body.brokerId === undefined) {
      // An account number alone could name accounts of several brokers.
      throw new InvalidArgumentError('accountId needs the brokerId of its broker', { field: 'brokerId' });
    }
    const guards = this.brokers.resetGuards({
      ...(body.brokerId === undefined ? {} : { brokerId: body.brokerId }),
      ...(body.accountId === undefined ? {} : { accountId: body.accountId }),
    });
    const resetBrokerIds = [...new Set(guards.filter((guard) => guard.tripped).map((guard) => guard.brokerId))];
    const target = body.brokerId === undefined ? 'every broker' : body.accountId === undefined ? body.brokerId : `${body.brokerId}, account ${maskedAccount(body.accountId)}`;
    this.logger.warn(
      `Fail-safe reset over HTTP for ${target} (${body.reason || 'no reason given'}): ${resetBrokerIds.join(', ') || 'nothing was tripped'}`,
    );
    this.consoles?.trigger();
    return {
      resetBrokerIds,
      resetAccounts: guards.map((guard) => ({
        brokerId: guard.brokerId,
        accountId: guard.accountId,
        wasTripped: guard.tripped,
        consecutiveFailures: guard.consecutiveFailures,
      })),
    };
  }
}

/** Logs name an account by its last digits only. */
function maskedAccount(accountId: string): string {
  return `…${accountId.slice(-4)}`;
}
