import { Decimal, OrderSide, OrderType } from '@qts/broker-domain';
import { sameOrderNo } from '../http/json-fields';

/** What a REST adapter remembers about an order it sent, keyed by clientOrderId. */
export type PlacedOrderState = 'sending' | 'accepted' | 'rejected' | 'unknown';

export interface PlacedOrderRecord {
  clientOrderId: string;
  state: PlacedOrderState;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  quantity: number;
  /** Limit price; absent for a market order. */
  price?: Decimal;
  /** When the request was sent; reconciliation looks for the broker's order around this time. */
  sentAt?: Date;
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
 * so this is what lets the adapter (1) refuse to send the same clientOrderId twice, (2) find the broker
 * order number of a clientOrderId later and (3) know which broker orders already belong to a clientOrderId
 * when it matches an unknown outcome (see order-match.ts). It does not survive a restart: the caller then
 * describes the order it sent (OrderReference.placed).
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

  /** The clientOrderId a broker order number was matched or accepted for, if any. */
  ownerOf(orderId: string): string | undefined {
    for (const [known, clientOrderId] of this.clientOrderIdByOrderId) {
      if (sameOrderNo(known, orderId)) {
        return clientOrderId;
      }
    }
    return undefined;
  }

  /**
   * Records that the broker order `orderId` is the one `clientOrderId` placed (found by reconciliation):
   * later lookups go straight to it, and no other clientOrderId can be matched to it.
   */
  adopt(record: Omit<PlacedOrderRecord, 'state'>, orderId: string, message: string): void {
    if (this.byClientOrderId.get(record.clientOrderId) === undefined) {
      this.evictIfFull();
      this.byClientOrderId.set(record.clientOrderId, { ...record, state: 'unknown' });
    }
    this.accept(record.clientOrderId, orderId, record.branchNo, message);
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
