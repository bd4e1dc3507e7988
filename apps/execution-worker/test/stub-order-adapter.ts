import { OrderAdapter, OrderReference, OrderRequest, OrderResponse, OrderSendOptions, OrderStatus } from '@qts/broker-domain';

type PlaceAnswer = OrderResponse | Error | ((request: OrderRequest) => OrderResponse);

/**
 * TEST-ONLY OrderAdapter without a payload builder: placeOrder answers from a script (default:
 * accepted), and every call is recorded. For the bridge's error paths that a real gateway cannot
 * produce on demand.
 */
export class StubOrderAdapter implements OrderAdapter {
  readonly placed: OrderRequest[] = [];
  /** The send options of each placeOrder call. */
  readonly sendOptions: (OrderSendOptions | undefined)[] = [];
  private readonly script: PlaceAnswer[] = [];

  constructor(readonly brokerId = 'stub') {}

  answerNext(...answers: PlaceAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  async placeOrder(request: OrderRequest, options?: OrderSendOptions): Promise<OrderResponse> {
    this.placed.push(request);
    this.sendOptions.push(options);
    const next = this.script.shift();
    if (next instanceof Error) {
      throw next;
    }
    if (typeof next === 'function') {
      return next(request);
    }
    return (
      next ?? {
        clientOrderId: request.clientOrderId,
        orderId: `STUB-${this.placed.length}`,
        accepted: true,
        status: OrderStatus.ACCEPTED,
        filledQuantity: 0,
        message: 'accepted',
      }
    );
  }

  async getOrder(_ref: OrderReference): Promise<OrderResponse | null> {
    return null;
  }

  async cancelOrder(orderId: string): Promise<OrderResponse> {
    return {
      clientOrderId: '',
      orderId,
      accepted: true,
      status: OrderStatus.CANCELLED,
      filledQuantity: 0,
      message: 'cancelled',
    };
  }
}
