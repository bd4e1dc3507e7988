import {
  BrokerEngine,
  ExecutionIntent,
  ExecutionResponse,
  FailSafeCode,
  OrderSendOptions,
  OrderStatus,
} from '@qts/broker-domain';
import { classifyBrokerOutcome } from './broker-failure-classification';
import { ConsecutiveFailureGuard } from './consecutive-failure-guard';

/**
 * The live engine: forwards intents to the wrapped engine (OrderAdapterBrokerEngine) behind a
 * consecutive-failure guard. Once tripped it answers broker 'failsafe' / FS046 without calling the
 * adapter, until reset() (an admin call). A thrown error counts as a failure and is re-thrown as it is:
 * only the caller can mark the order UNKNOWN and reconcile it (OrderOutcomeUnknownError above all).
 */
export class LiveBroker implements BrokerEngine {
  readonly name = 'live';
  readonly guard: ConsecutiveFailureGuard;

  /** `guard` lets a dry-run engine share the guard of the live one (BrokerFactory does). */
  constructor(
    private readonly adapter: BrokerEngine,
    maxConsecutiveFailures = 3,
    guard?: ConsecutiveFailureGuard,
  ) {
    this.guard = guard ?? new ConsecutiveFailureGuard(maxConsecutiveFailures);
  }

  async submitIntent(intent: ExecutionIntent, options?: OrderSendOptions): Promise<ExecutionResponse> {
    if (this.guard.tripped) {
      return this.failSafeResponse(intent);
    }
    let response: ExecutionResponse;
    try {
      response = await this.adapter.submitIntent(intent, options);
    } catch (error) {
      this.guard.recordFailure(error instanceof Error ? error.message : String(error));
      throw error;
    }
    const outcome = classifyBrokerOutcome(response);
    if (outcome === 'success') {
      this.guard.recordSuccess();
    } else if (outcome === 'failure') {
      this.guard.recordFailure(`${response.failSafeCode ?? 'no code'}: ${response.message}`);
    }
    return response;
  }

  reset(): void {
    this.guard.reset();
  }

  private failSafeResponse(intent: ExecutionIntent): ExecutionResponse {
    const last = this.guard.lastFailure === undefined ? '' : ` (last: ${this.guard.lastFailure})`;
    return {
      intentId: intent.intentId,
      accepted: false,
      broker: 'failsafe',
      status: OrderStatus.REJECTED,
      failSafeCode: FailSafeCode.FS046,
      message:
        `fail-safe tripped after ${this.guard.consecutiveFailures} consecutive broker failures${last}; ` +
        'orders are refused until an admin reset',
    };
  }
}
