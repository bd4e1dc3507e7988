import { OrderSide, OrderType } from '@qts/broker-domain';

/** What a REST adapter remembers about an order it sent, keyed by clientOrderId. */
export type PlacedOrderState = 'sending' | 'accepted' | 'rejected' | 'unknown';

export interface PlacedOrderRecord {
  clientOrderId: string;
  state: PlacedOrderState;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  quantity: number;
  /** KST date (YYYYMMDD) the order was sent on, for the broker's per-day inquiries. */
  orderDate: string;
  /** The broker's order number, once accepted. */
  orderId?: string;
  /** Broker-specific routing data needed later (KIS KRX_FWDG_ORD_ORGNO). */
  branchNo?: string;
  message?: string;
}

const DEFAULT_CAPACITY = 100_000;

/**
 * Per-process memory of the orders a REST adapter placed. KIS and Kiwoom REST have no client order id,
 * so this is what lets the adapter (1) refuse to send the same clientOrderId twice and (2) find the
 * broker order number of a clientOrderId later. It does not survive a restart: an order whose outcome
 * was unknown at a crash cannot be matched automatically (see the adapters' getOrder).
 */
export class PlacedOrderBook {
  private readonly byClientOrderId = new Map<string, PlacedOrderRecord>();
  private readonly clientOrderIdByOrderId = new Map<string, string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(clientOrderId: string): PlacedOrderRecord | undefined {
    return this.byClientOrderId.get(clientOrderId);
  }

  findByOrderId(orderId: string): PlacedOrderRecord | undefined {
    const clientOrderId = this.clientOrderIdByOrderId.get(orderId);
    return clientOrderId === undefined ? undefined : this.byClientOrderId.get(clientOrderId);
  }

  begin(record: Omit<PlacedOrderRecord, 'state'>): void {
    this.evictIfFull();
    this.byClientOrderId.set(record.clientOrderId, { ...record, state: 'sending' });
  }

  accept(clientOrderId: string, orderId: string, branchNo?: string, message?: string): void {
    this.update(clientOrderId, { state: 'accepted', orderId, branchNo, message });
    this.clientOrderIdByOrderId.set(orderId, clientOrderId);
  }

  reject(clientOrderId: string, message: string): void {
    this.update(clientOrderId, { state: 'rejected', message });
  }

  markUnknown(clientOrderId: string, message: string): void {
    this.update(clientOrderId, { state: 'unknown', message });
  }

  /** For a request that certainly never reached the broker: it may be sent again. */
  forget(clientOrderId: string): void {
    this.byClientOrderId.delete(clientOrderId);
  }

  private update(clientOrderId: string, patch: Partial<PlacedOrderRecord>): void {
    const record = this.byClientOrderId.get(clientOrderId);
    if (record !== undefined) {
      this.byClientOrderId.set(clientOrderId, { ...record, ...patch });
    }
  }

  private evictIfFull(): void {
    while (this.byClientOrderId.size >= this.capacity) {
      const oldest = this.byClientOrderId.keys().next().value as string;
      const record = this.byClientOrderId.get(oldest);
      if (record?.orderId !== undefined) {
        this.clientOrderIdByOrderId.delete(record.orderId);
      }
      this.byClientOrderId.delete(oldest);
    }
  }
}
