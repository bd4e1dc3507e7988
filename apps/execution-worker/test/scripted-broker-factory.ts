import {
  ExecutionIntent,
  ExecutionResponse,
  OrderAdapter,
  OrderReference,
  OrderResponse,
  OrderSendOptions,
  OrderStatus,
  type BrokerEngine,
} from '@qts/broker-domain';
import type { BrokerFactory } from '../src/app/execution';

/** What the scripted engine does with an intent. */
export type EngineScript = (
  intent: ExecutionIntent,
  options: { dryRun: boolean; send?: OrderSendOptions },
) => Promise<ExecutionResponse>;

/** What the scripted adapter answers to getOrder (reconciliation). */
export type LookupScript = (ref: OrderReference) => Promise<OrderResponse | null>;

/** An accepted answer, as a live broker gives it. */
export function acceptedResponse(intent: ExecutionIntent, overrides: Partial<ExecutionResponse> = {}): ExecutionResponse {
  return {
    intentId: intent.intentId,
    accepted: true,
    broker: intent.brokerId,
    orderId: `ord-${intent.intentId}`,
    status: OrderStatus.ACCEPTED,
    message: 'accepted',
    ...overrides,
  };
}

/** The broker's view of an order, as getOrder answers it. */
export function brokerOrder(clientOrderId: string, status: OrderStatus, overrides: Partial<OrderResponse> = {}): OrderResponse {
  return {
    clientOrderId,
    orderId: `ord-${clientOrderId}`,
    accepted: status !== OrderStatus.REJECTED,
    status,
    filledQuantity: 0,
    message: '',
    ...overrides,
  };
}

/**
 * A BrokerFactory whose engine and order lookup are scripted by the test; it records every intent handed to the
 * engine (what "sent to the broker" means for the worker) and every lookup.
 */
export class ScriptedBrokerFactory implements BrokerFactory {
  readonly sent: ExecutionIntent[] = [];
  /** The send options (send-by time, stage listener) handed to the engine with each intent. */
  readonly sendOptions: (OrderSendOptions | undefined)[] = [];
  readonly lookups: OrderReference[] = [];
  readonly resets: (string | undefined)[] = [];
  engineName = 'live';
  hasAdapter = true;
  tripped: { brokerId: string; accountId: string }[] = [];

  constructor(
    public engine: EngineScript = async (intent) => acceptedResponse(intent),
    public lookup: LookupScript = async () => null,
  ) {}

  engineFor(_brokerId: string, _accountId: string, options: { dryRun?: boolean } = {}): BrokerEngine {
    return {
      name: this.engineName,
      submitIntent: (intent: ExecutionIntent, send?: OrderSendOptions) => {
        this.sent.push(intent);
        this.sendOptions.push(send);
        return this.engine(intent, { dryRun: options.dryRun ?? false, ...(send === undefined ? {} : { send }) });
      },
    };
  }

  adapterFor(brokerId: string): OrderAdapter | undefined {
    if (!this.hasAdapter) return undefined;
    return {
      brokerId,
      placeOrder: async () => {
        throw new Error('the worker never places orders through the reconciliation adapter');
      },
      getOrder: (ref: OrderReference) => {
        this.lookups.push(ref);
        return this.lookup(ref);
      },
      cancelOrder: async () => {
        throw new Error('not used');
      },
    };
  }

  resetFailSafe(brokerId?: string): string[] {
    this.resets.push(brokerId);
    const reset = this.tripped.filter((guard) => brokerId === undefined || guard.brokerId === brokerId);
    this.tripped = this.tripped.filter((guard) => !reset.includes(guard));
    return reset.map((guard) => guard.brokerId);
  }

  failSafeStatus() {
    return this.tripped.map((guard) => ({ ...guard, tripped: true, consecutiveFailures: 3 }));
  }
}
