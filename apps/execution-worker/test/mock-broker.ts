import { BrokerEngine, ExecutionIntent, ExecutionResponse, OrderStatus } from '@qts/broker-domain';

/**
 * TEST-ONLY engine: accepts every intent (or answers what a test scripts) and records what it got.
 * Only spec files import it; BrokerFactory and createBrokerForExecution never return it (a spec checks
 * both the instances and the imports).
 */
export class MockBroker implements BrokerEngine {
  readonly name = 'mock';
  readonly received: ExecutionIntent[] = [];
  private readonly scripted: Array<ExecutionResponse | Error> = [];

  /** Queues the next answers (an Error is thrown); once used up the broker accepts again. */
  answerNext(...answers: Array<ExecutionResponse | Error>): this {
    this.scripted.push(...answers);
    return this;
  }

  async submitIntent(intent: ExecutionIntent): Promise<ExecutionResponse> {
    this.received.push(intent);
    const next = this.scripted.shift();
    if (next instanceof Error) {
      throw next;
    }
    if (next !== undefined) {
      return { ...next, intentId: intent.intentId };
    }
    return {
      intentId: intent.intentId,
      accepted: true,
      broker: 'mock',
      orderId: `MOCK-${this.received.length}`,
      status: OrderStatus.ACCEPTED,
      message: 'accepted by MockBroker',
    };
  }
}
