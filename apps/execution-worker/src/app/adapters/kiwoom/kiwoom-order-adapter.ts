import {
  InvalidArgumentError,
  NotSupportedError,
  OrderAdapter,
  OrderNotFoundError,
  OrderReference,
  OrderRequest,
  OrderResponse,
  OrderStatus,
} from '@qts/broker-domain';
import { brokerRefusalError } from '../fail-safe/broker-refusal-error';
import { OrderPayload, OrderPayloadBuilder } from '../order-payload';
import { requireOrderForBroker } from '../order-request-command';
import { sameOrderNo } from '../rest/json-fields';
import { kstDate } from '../rest/kst-date';
import { PlacedOrderBook, PlacedOrderRecord } from '../rest/placed-order-book';
import { submitRestCancel } from '../rest/rest-cancel-submission';
import { RestOrderAnswer, submitRestOrder } from '../rest/rest-order-submission';
import { readRest, RestReadAnswer } from '../rest/rest-read';
import { RestResponse } from '../rest/rest-response';
import { KIWOOM_ACCOUNT_PATH, KIWOOM_API_IDS, KiwoomExchange } from './kiwoom-endpoints';
import { mapKiwoomErrorToFailSafe } from './kiwoom-error-to-fail-safe';
import { KiwoomOrderDetail, parseKiwoomOrderDetails } from './kiwoom-order-details';
import { KiwoomOrderClient } from './kiwoom-order-client';
import {
  buildKiwoomCancelPayload,
  buildKiwoomOrderPayload,
  KiwoomOrderBody,
  KiwoomOrderCall,
} from './kiwoom-order-payload';
import { kiwoomOrderState, kiwoomOrderStatus } from './kiwoom-order-status';
import { parseKiwoomPlaceResponse } from './kiwoom-place-response';

export interface KiwoomOrderAdapterOptions {
  /** Default 'kiwoom'. */
  brokerId?: string;
  /** Venue of new orders; default KRX (the mock server supports only KRX). */
  exchange?: KiwoomExchange;
  clock?: () => Date;
}

/**
 * Orders straight to the Kiwoom REST API. Like KIS, Kiwoom has no client order id: the adapter remembers
 * the clientOrderIds it sent (never sending one twice) and answers getOrder({ clientOrderId }) for
 * those; anything else cannot be matched automatically and throws NotSupportedError rather than
 * claiming the order does not exist. Order state comes from kt00007 of the order's day (the day this
 * process sent it, else today). Never uses kt10002 for a lookup: that api-id amends an order.
 */
export class KiwoomOrderAdapter implements OrderAdapter, OrderPayloadBuilder {
  readonly brokerId: string;
  private readonly exchange: KiwoomExchange;
  private readonly clock: () => Date;
  private readonly book = new PlacedOrderBook();

  constructor(
    private readonly client: KiwoomOrderClient,
    options: KiwoomOrderAdapterOptions = {},
  ) {
    this.brokerId = options.brokerId ?? 'kiwoom';
    this.exchange = options.exchange ?? 'KRX';
    this.clock = options.clock ?? (() => new Date());
  }

  buildPayload(request: OrderRequest): KiwoomOrderCall<KiwoomOrderBody> & OrderPayload {
    requireOrderForBroker(request, this.brokerId);
    const call = buildKiwoomOrderPayload(request, { exchange: this.exchange });
    return { ...call, endpoint: `POST ${call.path} (api-id ${call.apiId})` };
  }

  async placeOrder(request: OrderRequest): Promise<OrderResponse> {
    const call = this.buildPayload(request);
    return submitRestOrder({
      brokerId: this.brokerId,
      book: this.book,
      request,
      orderDate: kstDate(this.clock()),
      send: () => this.client.post(call.path, call.apiId, call.body),
      interpret: (response) => this.interpretOrderAnswer(response, request.clientOrderId),
    });
  }

  async getOrder(ref: OrderReference): Promise<OrderResponse | null> {
    if (ref.orderId !== undefined && ref.orderId !== '') {
      const known = this.book.findByOrderId(ref.orderId);
      const order = await this.findOrder(ref.orderId, known?.orderDate, known?.symbol);
      const clientOrderId = ref.clientOrderId ?? known?.clientOrderId ?? '';
      if (order === null) {
        return known?.state === 'accepted' ? this.notYetVisible(known, clientOrderId) : null;
      }
      return this.toResponse(order, clientOrderId);
    }
    if (ref.clientOrderId === undefined || ref.clientOrderId === '') {
      throw new InvalidArgumentError('getOrder needs an orderId or a clientOrderId', { field: 'orderId' });
    }
    const record = this.book.get(ref.clientOrderId);
    if (record?.state === 'rejected') {
      return null;
    }
    if (record?.state === 'accepted' && record.orderId !== undefined) {
      const order = await this.findOrder(record.orderId, record.orderDate, record.symbol);
      return order === null
        ? this.notYetVisible(record, ref.clientOrderId)
        : this.toResponse(order, ref.clientOrderId);
    }
    throw new NotSupportedError(
      `${this.brokerId}: Kiwoom REST has no client order id and clientOrderId '${ref.clientOrderId}' ` +
        (record === undefined ? 'was not placed by this process' : 'has an unknown outcome') +
        '; find the order in Kiwoom (HTS/MTS) by symbol, side, quantity and time',
      { details: { brokerId: this.brokerId, clientOrderId: ref.clientOrderId } },
    );
  }

  async cancelOrder(orderId: string): Promise<OrderResponse> {
    const known = this.book.findByOrderId(orderId);
    let symbol = known?.symbol;
    if (symbol === undefined) {
      const order = await this.findOrder(orderId);
      if (order === null) {
        throw new OrderNotFoundError(`${this.brokerId}: no Kiwoom order ${orderId} today`, {
          details: { brokerId: this.brokerId, orderId },
        });
      }
      symbol = order.symbol;
    }
    const call = buildKiwoomCancelPayload({ orderNo: orderId, symbol, exchange: this.exchange });
    const cancel = await submitRestCancel(
      this.brokerId,
      orderId,
      () => this.client.post(call.path, call.apiId, call.body),
      (response) => this.interpretOrderAnswer(response),
    );
    const clientOrderId = known?.clientOrderId ?? '';
    const message = `cancel accepted by Kiwoom as order ${cancel.cancelOrderId}: ${cancel.message}`;
    try {
      const order = await this.findOrder(orderId, known?.orderDate, symbol);
      if (order !== null) {
        return { ...this.toResponse(order, clientOrderId), message };
      }
    } catch {
      // The cancel went through; only the follow-up read failed. The caller re-reads the status later.
    }
    return {
      clientOrderId,
      orderId,
      accepted: true,
      status: OrderStatus.UNKNOWN,
      filledQuantity: 0,
      message,
    };
  }

  private interpretOrderAnswer(response: RestResponse, clientOrderId?: string): RestOrderAnswer {
    const parsed = parseKiwoomPlaceResponse(response.body);
    if (parsed.kind === 'accepted') {
      return {
        kind: 'accepted',
        orderId: parsed.orderNo,
        message: parsed.message === '' ? `Kiwoom order ${parsed.orderNo} accepted` : parsed.message,
      };
    }
    if (parsed.kind === 'rejected') {
      const code = mapKiwoomErrorToFailSafe({
        returnCode: parsed.returnCode,
        messageCode: parsed.messageCode,
        httpStatus: response.status,
      });
      const brokerCode = parsed.messageCode ?? `return_code=${parsed.returnCode}`;
      return {
        kind: 'refused',
        error: brokerRefusalError(code, `Kiwoom refused: ${parsed.message || brokerCode}`, {
          brokerId: this.brokerId,
          brokerCode,
          clientOrderId,
        }),
      };
    }
    return { kind: 'unreadable', reason: parsed.reason };
  }

  /** The kt00007 row of `orderId` on `orderDate` (default today, KST). */
  private async findOrder(
    orderId: string,
    orderDate?: string,
    symbol?: string,
  ): Promise<KiwoomOrderDetail | null> {
    const body = {
      ord_dt: orderDate ?? kstDate(this.clock()),
      qry_tp: '1',
      stk_bond_tp: '0',
      sell_tp: '0',
      stk_cd: symbol ?? '',
      fr_ord_no: orderId,
      dmst_stex_tp: '%',
    };
    const orders = await readRest(
      this.brokerId,
      `inquiry of order ${orderId}`,
      () => this.client.post(KIWOOM_ACCOUNT_PATH, KIWOOM_API_IDS.ORDER_DETAILS, body),
      (response) => this.interpretInquiry(response),
    );
    return orders.find((order) => sameOrderNo(order.orderNo, orderId)) ?? null;
  }

  private interpretInquiry(response: RestResponse): RestReadAnswer<KiwoomOrderDetail[]> {
    const parsed = parseKiwoomOrderDetails(response.body);
    if (parsed.kind === 'ok') {
      return { kind: 'ok', value: parsed.orders };
    }
    if (parsed.kind === 'rejected') {
      const code = mapKiwoomErrorToFailSafe({
        returnCode: parsed.returnCode,
        message: parsed.message,
        httpStatus: response.status,
      });
      return {
        kind: 'refused',
        error: brokerRefusalError(code, `Kiwoom inquiry refused: ${parsed.message}`, {
          brokerId: this.brokerId,
          brokerCode: `return_code=${parsed.returnCode}`,
        }),
      };
    }
    return { kind: 'unreadable', reason: parsed.reason };
  }

  /**
   * Kiwoom acknowledged the order (it gave an order number) but the inquiry does not show it (yet): it
   * exists, so never null, which would read as "never reached the broker".
   */
  private notYetVisible(record: PlacedOrderRecord, clientOrderId: string): OrderResponse {
    return {
      clientOrderId,
      orderId: record.orderId,
      accepted: true,
      status: OrderStatus.ACCEPTED,
      filledQuantity: 0,
      message: `Kiwoom order ${record.orderId} was accepted but is not in the order inquiry yet`,
    };
  }

  private toResponse(order: KiwoomOrderDetail, clientOrderId: string): OrderResponse {
    const state = kiwoomOrderState(order.quantities);
    const status = kiwoomOrderStatus(state);
    return {
      clientOrderId,
      orderId: order.orderNo,
      accepted: status !== OrderStatus.REJECTED,
      status,
      filledQuantity: order.quantities.filled,
      ...(order.avgFillPrice === undefined ? {} : { avgFillPrice: order.avgFillPrice }),
      message: `Kiwoom order ${order.orderNo} is ${state}`,
    };
  }
}
