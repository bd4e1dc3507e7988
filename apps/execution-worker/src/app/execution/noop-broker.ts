import {
  BrokerEngine,
  ExecutionIntent,
  ExecutionResponse,
  FailSafeCode,
  OrderStatus,
} from '@qts/broker-domain';

/** The engine when live trading is not allowed (or not possible): refuses every intent and says why. */
export class NoopBroker implements BrokerEngine {
  readonly name = 'noop';

  constructor(readonly reason: string) {}

  async submitIntent(intent: ExecutionIntent): Promise<ExecutionResponse> {
    return {
      intentId: intent.intentId,
      accepted: false,
      broker: 'noop',
      status: OrderStatus.REJECTED,
      failSafeCode: FailSafeCode.FS047,
      message: this.reason,
    };
  }
}
