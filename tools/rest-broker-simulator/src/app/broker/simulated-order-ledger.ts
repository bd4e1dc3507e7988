import {
  Decimal,
  MockBrokerGateway,
  Order,
  OrderSide,
  OrderStatus,
  OrderType,
  PlaceOrderCommand,
} from '@qts/broker-domain';

/** An order or a cancel as the broker's order inquiry lists it. */
export interface LedgerEntry {
  orderNo: string;
  kind: 'order' | 'cancel';
  accountId: string;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  /** Ordered quantity; for a cancel, the quantity it cancelled. */
  quantity: number;
  price?: Decimal;
  orderedAt: Date;
  /** The mock's order behind an original order. */
  mockId?: string;
  /** The order a cancel row refers to. */
  originalOrderNo?: string;
}

/** A ledger row with the current state of its order (fills, cancellation). */
export interface LedgerRow {
  entry: LedgerEntry;
  status: OrderStatus;
  filled: number;
  cancelled: number;
  remaining: number;
  avgFillPrice?: Decimal;
}

export interface LedgerQuery {
  accountId: string;
  /** KST dates YYYYMMDD, inclusive. */
  fromDate: string;
  toDate: string;
  symbol?: string;
  side?: OrderSide;
}

const KST_MS = 9 * 3_600_000;

/** The KST date (YYYYMMDD) of an instant. */
export function kstDateOf(instant: Date): string {
  return new Date(instant.getTime() + KST_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** HHMMSS (KST) of an instant. */
export function kstTimeOf(instant: Date): string {
  return new Date(instant.getTime() + KST_MS).toISOString().slice(11, 19).replace(/:/g, '');
}

/**
 * The broker-side numbering of the mock's orders. KIS and Kiwoom number orders themselves and take no client
 * order id, so this ledger is what a client reconciles against: original orders and the rows of their cancels,
 * with the broker's order time.
 */
export class SimulatedOrderLedger {
  private readonly entries: LedgerEntry[] = [];
  private readonly byOrderNo = new Map<string, LedgerEntry>();
  private sequence = 0;

  constructor(
    private readonly mock: MockBrokerGateway,
    private readonly digits: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get ordersPlaced(): number {
    return this.entries.filter((entry) => entry.kind === 'order').length;
  }

  /** Places through the mock (refusals throw its domain errors) and numbers the order. */
  async place(command: PlaceOrderCommand): Promise<LedgerEntry> {
    const order = await this.mock.placeOrder(command);
    const entry: LedgerEntry = {
      orderNo: this.nextNumber(),
      kind: 'order',
      accountId: command.accountId,
      symbol: command.symbol,
      side: command.side,
      orderType: command.orderType,
      quantity: command.quantity,
      ...(command.price === undefined ? {} : { price: command.price }),
      orderedAt: this.clock(),
      mockId: order.id,
    };
    this.add(entry);
    return entry;
  }

  /** Cancels what remains of an order (the mock refuses a final one) and records the cancel row. */
  async cancel(orderNo: string): Promise<{ cancel: LedgerEntry; original: LedgerEntry } | undefined> {
    const original = this.find(orderNo);
    if (original === undefined || original.kind !== 'order' || original.mockId === undefined) {
      return undefined;
    }
    const before = await this.mock.getOrderStatus(original.mockId);
    const cancelled = await this.mock.cancelOrder(original.mockId);
    const cancel: LedgerEntry = {
      orderNo: this.nextNumber(),
      kind: 'cancel',
      accountId: original.accountId,
      symbol: original.symbol,
      side: original.side,
      orderType: original.orderType,
      quantity: cancelled.quantity - before.filledQuantity,
      orderedAt: this.clock(),
      originalOrderNo: original.orderNo,
    };
    this.add(cancel);
    return { cancel, original };
  }

  find(orderNo: string): LedgerEntry | undefined {
    return this.byOrderNo.get(normalize(orderNo));
  }

  /** Rows of an account between two KST dates, in numbering order, with their current state. */
  async rows(query: LedgerQuery): Promise<LedgerRow[]> {
    const rows: LedgerRow[] = [];
    for (const entry of this.entries) {
      const date = kstDateOf(entry.orderedAt);
      if (
        entry.accountId !== query.accountId ||
        date < query.fromDate ||
        date > query.toDate ||
        (query.symbol !== undefined && query.symbol !== '' && entry.symbol !== query.symbol) ||
        (query.side !== undefined && entry.side !== query.side)
      ) {
        continue;
      }
      rows.push(await this.rowOf(entry));
    }
    return rows;
  }

  async rowOf(entry: LedgerEntry): Promise<LedgerRow> {
    if (entry.kind === 'cancel' || entry.mockId === undefined) {
      return { entry, status: OrderStatus.CANCELLED, filled: 0, cancelled: entry.quantity, remaining: 0 };
    }
    const order: Order = await this.mock.getOrderStatus(entry.mockId);
    const cancelled = order.status === OrderStatus.CANCELLED ? order.quantity - order.filledQuantity : 0;
    return {
      entry,
      status: order.status,
      filled: order.filledQuantity,
      cancelled,
      remaining: order.isActive ? order.quantity - order.filledQuantity : 0,
      ...(order.avgFillPrice === undefined ? {} : { avgFillPrice: order.avgFillPrice }),
    };
  }

  list(): LedgerEntry[] {
    return [...this.entries];
  }

  private add(entry: LedgerEntry): void {
    this.entries.push(entry);
    this.byOrderNo.set(normalize(entry.orderNo), entry);
  }

  private nextNumber(): string {
    this.sequence += 1;
    return String(this.sequence).padStart(this.digits, '0');
  }
}

function normalize(orderNo: string): string {
  return orderNo.trim().replace(/^0+(?=\d)/, '');
}
