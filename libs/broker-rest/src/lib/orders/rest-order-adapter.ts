import {
  AccountNotFoundError,
  InvalidArgumentError,
  InvalidOrderError,
  isFinalOrderStatus,
  NotSupportedError,
  OrderAdapter,
  OrderNotFoundError,
  OrderPayload,
  OrderPayloadBuilder,
  OrderReference,
  OrderRequest,
  OrderResponse,
  OrderSendOptions,
  OrderSide,
  OrderStatus,
  PlacedOrderDescription,
  requireOrderForBroker,
} from '@qts/broker-domain';
import { sameOrderNo } from '../http/json-fields';
import { kstDate, kstDateDaysBefore } from '../http/kst-date';
import type { RestBrokerClient, RestCall, RestOperation } from '../http/rest-call';
import type { RestResponse } from '../http/rest-response';
import type { BrokerOrderRow } from './broker-order-row';
import { DEFAULT_RECONCILIATION_WINDOW, matchPlacedOrder, ReconciliationWindow } from './order-match';
import { PlacedOrderBook, PlacedOrderRecord } from './placed-order-book';
import { submitRestCancel } from './rest-cancel-submission';
import { RestOrderAnswer, submitRestOrder } from './rest-order-submission';

/** The payload of an order and the request that carries it. */
export interface RestOrderPayload extends OrderPayload {
  call: RestCall;
}

/** The broker orders of an account between two KST dates, optionally narrowed. */
export interface OrderListQuery {
  /** YYYYMMDD (KST), inclusive. */
  fromDate: string;
  toDate: string;
  symbol?: string;
  side?: OrderSide;
  /** The order number sought, where the broker can narrow to it. */
  orderNo?: string;
}

/** An unknown outcome that matched several broker orders: never re-sent, settled by an operator. */
export interface AmbiguousOrderMatch {
  brokerId: string;
  clientOrderId: string;
  candidateOrderIds: string[];
  detectedAt: Date;
}

/** Where the order of a clientOrderId stands at the broker. */
export type ClientOrderResolution<TRow extends BrokerOrderRow> =
  | { kind: 'found'; row: TRow }
  /** Accepted (the broker gave an order number) but not yet in its order inquiry. */
  | { kind: 'not-yet-visible'; record: PlacedOrderRecord }
  /** The broker has no such order (refused, or no order matches what was sent). */
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidates: TRow[] };

/** The brokerCode of an OrderResponse whose order matched several broker orders. */
export const AMBIGUOUS_MATCH_CODE = 'AMBIGUOUS_MATCH';

export interface RestOrderAdapterOptions {
  brokerId: string;
  /** The account this adapter trades. Requests for another account are refused. */
  accountId: string;
  clock?: () => Date;
  /** How many days back a lookup by order number searches. Default 7. */
  lookbackDays?: number;
  reconciliationWindow?: ReconciliationWindow;
  /** Told about every ambiguous reconciliation, e.g. to raise an alert. */
  onAmbiguousMatch?: (match: AmbiguousOrderMatch) => void;
}

const DEFAULT_LOOKBACK_DAYS = 7;

/**
 * Orders straight to a broker REST API that has no client order id (KIS, Kiwoom): what both share.
 *
 * - A clientOrderId is never sent twice (PlacedOrderBook); a timeout or an unreadable answer is an unknown
 *   outcome (OrderOutcomeUnknownError), reconciled, never re-sent (submitRestOrder).
 * - getOrder({ clientOrderId }) answers from the order number the broker gave; for an unknown outcome, or an
 *   order sent before a restart (described by ref.placed), it matches the broker's daily order list by
 *   account, symbol, side, quantity, price and time window (matchPlacedOrder). Several matches are
 *   ambiguous: the answer is UNKNOWN with brokerCode AMBIGUOUS_MATCH, the match is listed by
 *   ambiguousMatches() and reported to onAmbiguousMatch, and the order is never re-sent.
 * - cancelOrder looks the order up first: a final order is refused (InvalidOrderError) without sending.
 *
 * The broker-specific adapters supply the payloads, the answer parsers and the order inquiry.
 */
export abstract class RestOrderAdapter<TRow extends BrokerOrderRow> implements OrderAdapter, OrderPayloadBuilder {
  readonly brokerId: string;
  readonly accountId: string;
  protected readonly book = new PlacedOrderBook();
  protected readonly clock: () => Date;
  private readonly lookbackDays: number;
  private readonly window: ReconciliationWindow;
  private readonly onAmbiguousMatch?: (match: AmbiguousOrderMatch) => void;
  private readonly ambiguous = new Map<string, AmbiguousOrderMatch>();

  protected constructor(
    protected readonly client: RestBrokerClient,
    /** 'KIS' or 'Kiwoom', for messages. */
    protected readonly brokerName: string,
    options: RestOrderAdapterOptions,
  ) {
    if (typeof options.accountId !== 'string' || options.accountId.trim() === '') {
      throw new InvalidArgumentError('accountId must name the account this adapter trades', { field: 'accountId' });
    }
    this.brokerId = options.brokerId;
    this.accountId = options.accountId;
    this.clock = options.clock ?? (() => new Date());
    this.lookbackDays = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
    this.window = options.reconciliationWindow ?? DEFAULT_RECONCILIATION_WINDOW;
    this.onAmbiguousMatch = options.onAmbiguousMatch;
  }

  /** The order request (path, id, body) of an order, validated; sends nothing. */
  abstract buildPayload(request: OrderRequest): RestOrderPayload;

  /** Reads an order or cancel answer. */
  protected abstract interpretOrderAnswer(response: RestResponse, clientOrderId?: string): RestOrderAnswer;

  /** Every order row of the query, all pages read; `operation` is what the requests count as. */
  protected abstract listOrders(query: OrderListQuery, operation: RestOperation): Promise<TRow[]>;

  /** The request cancelling everything that remains of `row`. */
  protected abstract cancelCall(row: TRow, known: PlacedOrderRecord | undefined): RestCall;

  /** Whether `accountId` names this adapter's account (brokers write account numbers in several ways). */
  isOwnAccount(accountId: string): boolean {
    const digits = (value: string) => value.replace(/[^0-9A-Za-z]/g, '');
    return accountId === this.accountId || (digits(accountId) !== '' && digits(accountId) === digits(this.accountId));
  }

  /** The clientOrderId this process placed (or matched) broker order `orderNo` for. */
  ownerOf(orderNo: string): string | undefined {
    return this.book.ownerOf(orderNo);
  }

  /** Unknown outcomes that matched several broker orders and wait for an operator. */
  ambiguousMatches(): AmbiguousOrderMatch[] {
    return [...this.ambiguous.values()].map((match) => ({ ...match, candidateOrderIds: [...match.candidateOrderIds] }));
  }

  /** `options.sendBy`: the request never leaves after it (OrderExpiredError, nothing sent). */
  async placeOrder(request: OrderRequest, options: OrderSendOptions = {}): Promise<OrderResponse> {
    const payload = this.buildPayload(request);
    const call: RestCall = {
      ...payload.call,
      ...(options.sendBy === undefined ? {} : { sendBy: options.sendBy }),
      ...(options.onStage === undefined ? {} : { onStage: options.onStage }),
    };
    return submitRestOrder({
      brokerId: this.brokerId,
      book: this.book,
      request,
      sentAt: this.clock(),
      send: () => this.client.send(call),
      interpret: (response) => this.interpretOrderAnswer(response, request.clientOrderId),
    });
  }

  async getOrder(ref: OrderReference): Promise<OrderResponse | null> {
    if (ref.orderId !== undefined && ref.orderId !== '') {
      const known = this.book.findByOrderId(ref.orderId);
      const row = await this.findOrderRow(ref.orderId);
      const clientOrderId = ref.clientOrderId ?? known?.clientOrderId ?? '';
      if (row === null) {
        return known?.state === 'accepted' ? this.notYetVisible(known, clientOrderId) : null;
      }
      return this.toResponse(row, clientOrderId);
    }
    if (ref.clientOrderId === undefined || ref.clientOrderId === '') {
      throw new InvalidArgumentError('getOrder needs an orderId or a clientOrderId', { field: 'orderId' });
    }
    const resolution = await this.resolveClientOrderId(ref.clientOrderId, ref.placed);
    switch (resolution.kind) {
      case 'found':
        return this.toResponse(resolution.row, ref.clientOrderId);
      case 'not-yet-visible':
        return this.notYetVisible(resolution.record, ref.clientOrderId);
      case 'none':
        return null;
      case 'ambiguous':
        return this.ambiguousResponse(ref.clientOrderId, resolution.candidates);
    }
  }

  /**
   * Where the order of `clientOrderId` stands at the broker. `placed` describes the order when this process
   * did not see it answered (it was sent before a restart); without it such an order cannot be matched and
   * NotSupportedError says so rather than claiming it does not exist.
   */
  async resolveClientOrderId(
    clientOrderId: string,
    placed?: PlacedOrderDescription,
  ): Promise<ClientOrderResolution<TRow>> {
    const record = this.book.get(clientOrderId);
    if (record?.state === 'rejected') {
      return { kind: 'none' };
    }
    if (record?.state === 'accepted' && record.orderId !== undefined) {
      const row = await this.findOrderRow(record.orderId, record);
      return row === null ? { kind: 'not-yet-visible', record } : { kind: 'found', row };
    }
    const description = placed ?? describeRecord(record, this.accountId);
    if (description === undefined) {
      throw new NotSupportedError(
        `${this.brokerId}: ${this.brokerName} REST has no client order id and clientOrderId '${clientOrderId}' was not ` +
          'placed by this process; describe the order that was sent (OrderReference.placed) to reconcile it',
        { details: { brokerId: this.brokerId, clientOrderId } },
      );
    }
    return this.reconcile(clientOrderId, description, record);
  }

  /** The row of order `orderId`, searched from the order's day (when known) or the lookback, to today. */
  async findOrderRow(orderId: string, known?: { orderDate?: string; symbol?: string }): Promise<TRow | null> {
    const now = this.clock();
    const rows = await this.listOrders(
      {
        fromDate: known?.orderDate ?? kstDateDaysBefore(now, this.lookbackDays),
        toDate: kstDate(now),
        ...(known?.symbol === undefined ? {} : { symbol: known.symbol }),
        orderNo: orderId,
      },
      'getOrderStatus',
    );
    return rows.find((row) => sameOrderNo(row.orderNo, orderId) && row.originalOrderNo === undefined) ?? null;
  }

  async cancelOrder(orderId: string): Promise<OrderResponse> {
    if (typeof orderId !== 'string' || !/^\d+$/.test(orderId.trim())) {
      throw new InvalidOrderError(`orderId must be a ${this.brokerName} order number`, { field: 'orderId' });
    }
    const known = this.book.findByOrderId(orderId);
    const row = await this.findOrderRow(orderId, known);
    if (row === null) {
      throw new OrderNotFoundError(`${this.brokerId}: no ${this.brokerName} order ${orderId}`, {
        details: { brokerId: this.brokerId, orderId },
      });
    }
    if (isFinalOrderStatus(row.status)) {
      throw new InvalidOrderError(`${this.brokerId}: order ${orderId} is ${row.status} and cannot be cancelled`, {
        field: 'orderId',
        details: { brokerId: this.brokerId, orderId, status: row.status },
      });
    }
    const call = this.cancelCall(row, known);
    const cancel = await submitRestCancel(
      this.brokerId,
      orderId,
      () => this.client.send(call),
      (response) => this.interpretOrderAnswer(response),
    );
    const clientOrderId = known?.clientOrderId ?? '';
    const message = `cancel accepted by ${this.brokerName} as order ${cancel.cancelOrderId}: ${cancel.message}`;
    try {
      const after = await this.findOrderRow(orderId, known ?? {
        symbol: row.symbol,
        ...(row.orderedAt === undefined ? {} : { orderDate: kstDate(row.orderedAt) }),
      });
      if (after !== null) {
        return { ...this.toResponse(after, clientOrderId), message };
      }
    } catch {
      // The cancel went through; only the follow-up read failed. The caller re-reads the status later.
    }
    return { clientOrderId, orderId, accepted: true, status: OrderStatus.UNKNOWN, filledQuantity: 0, message };
  }

  /** An order row as an OrderResponse for `clientOrderId`. */
  toResponse(row: TRow, clientOrderId: string): OrderResponse {
    return {
      clientOrderId,
      orderId: row.orderNo,
      accepted: row.status !== OrderStatus.REJECTED,
      status: row.status,
      filledQuantity: row.filledQuantity,
      ...(row.avgFillPrice === undefined ? {} : { avgFillPrice: row.avgFillPrice }),
      message: `${this.brokerName} order ${row.orderNo} is ${row.stateLabel}`,
    };
  }

  /** Refuses an order for another broker or another account before anything is built. */
  protected requireOwnOrder(request: OrderRequest): void {
    requireOrderForBroker(request, this.brokerId);
    if (typeof request.accountId !== 'string' || !this.isOwnAccount(request.accountId)) {
      throw new AccountNotFoundError(
        `${this.brokerId}: account '${String(request.accountId)}' is not the account of this connection`,
        { details: { brokerId: this.brokerId } },
      );
    }
  }

  private async reconcile(
    clientOrderId: string,
    placed: PlacedOrderDescription,
    record: PlacedOrderRecord | undefined,
  ): Promise<ClientOrderResolution<TRow>> {
    const from = new Date(placed.sentAt.getTime() - this.window.beforeMs);
    const to = new Date(placed.sentAt.getTime() + this.window.afterMs);
    const rows = await this.listOrders(
      { fromDate: kstDate(from), toDate: kstDate(to), symbol: placed.symbol, side: placed.side },
      'getOrderStatus',
    );
    const match = matchPlacedOrder(
      placed,
      rows,
      (orderNo) => {
        const owner = this.book.ownerOf(orderNo);
        return owner !== undefined && owner !== clientOrderId;
      },
      this.window,
    );
    if (match.kind === 'matched') {
      this.ambiguous.delete(clientOrderId);
      this.book.adopt(
        {
          clientOrderId,
          symbol: placed.symbol,
          side: placed.side,
          orderType: placed.orderType,
          quantity: placed.quantity,
          ...(placed.price === undefined ? {} : { price: placed.price }),
          sentAt: placed.sentAt,
          orderDate: record?.orderDate ?? kstDate(placed.sentAt),
        },
        match.row.orderNo,
        `matched by reconciliation to ${this.brokerName} order ${match.row.orderNo}`,
      );
      return { kind: 'found', row: match.row };
    }
    if (match.kind === 'ambiguous') {
      const alert: AmbiguousOrderMatch = {
        brokerId: this.brokerId,
        clientOrderId,
        candidateOrderIds: match.candidates.map((row) => row.orderNo),
        detectedAt: this.clock(),
      };
      this.ambiguous.set(clientOrderId, alert);
      this.onAmbiguousMatch?.(alert);
      return { kind: 'ambiguous', candidates: match.candidates };
    }
    return { kind: 'none' };
  }

  private ambiguousResponse(clientOrderId: string, candidates: TRow[]): OrderResponse {
    const numbers = candidates.map((row) => row.orderNo).join(', ');
    return {
      clientOrderId,
      accepted: true,
      status: OrderStatus.UNKNOWN,
      filledQuantity: 0,
      brokerCode: AMBIGUOUS_MATCH_CODE,
      message:
        `ambiguous: ${candidates.length} ${this.brokerName} orders (${numbers}) match the order of clientOrderId ` +
        `'${clientOrderId}' by account, symbol, side, quantity, price and time; it stays UNKNOWN and is not re-sent ` +
        'until an operator settles it',
    };
  }

  /** Accepted (it has an order number) but not in the inquiry yet: it exists, so never null. */
  private notYetVisible(record: PlacedOrderRecord, clientOrderId: string): OrderResponse {
    return {
      clientOrderId,
      orderId: record.orderId,
      accepted: true,
      status: OrderStatus.ACCEPTED,
      filledQuantity: 0,
      message: `${this.brokerName} order ${record.orderId} was accepted but is not in the order inquiry yet`,
    };
  }
}

/** What this process remembers of an order it sent, as a match description. */
function describeRecord(record: PlacedOrderRecord | undefined, accountId: string): PlacedOrderDescription | undefined {
  if (record === undefined || record.sentAt === undefined) {
    return undefined;
  }
  return {
    accountId,
    symbol: record.symbol,
    side: record.side,
    orderType: record.orderType,
    quantity: record.quantity,
    ...(record.price === undefined ? {} : { price: record.price }),
    sentAt: record.sentAt,
  };
}
