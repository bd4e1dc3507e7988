import {
  InvalidArgumentError,
  NotSupportedError,
  OrderAdapter,
  OrderNotFoundError,
  OrderReference,
  OrderRequest,
  OrderResponse,
  OrderStatus,
  OrderType,
} from '@qts/broker-domain';
import { brokerRefusalError } from '../fail-safe/broker-refusal-error';
import { OrderPayload, OrderPayloadBuilder } from '../order-payload';
import { requireOrderForBroker } from '../order-request-command';
import { sameOrderNo } from '../rest/json-fields';
import { kstDate, kstDateDaysBefore } from '../rest/kst-date';
import { PlacedOrderBook, PlacedOrderRecord } from '../rest/placed-order-book';
import { submitRestCancel } from '../rest/rest-cancel-submission';
import { RestOrderAnswer, submitRestOrder } from '../rest/rest-order-submission';
import { readRest, RestReadAnswer } from '../rest/rest-read';
import { RestResponse } from '../rest/rest-response';
import { KisAccount, requireKisAccount } from './kis-account';
import { KisDailyOrder, parseKisDailyOrders } from './kis-daily-orders';
import {
  KIS_INQUIRE_DAILY_CCLD_PATH,
  KIS_ORDER_CASH_PATH,
  KIS_ORDER_REVISE_CANCEL_PATH,
  KisEnvironment,
  kisOrderTrId,
  kisTrIds,
} from './kis-endpoints';
import { mapKisErrorToFailSafe } from './kis-error-to-fail-safe';
import {
  buildKisCancelPayload,
  buildKisOrderPayload,
  KIS_ORDER_DIVISION,
  KisCancelTarget,
  KisOrderCashBody,
} from './kis-order-payload';
import { KisOrderClient } from './kis-order-client';
import { kisOrderState, kisOrderStatus } from './kis-order-status';
import { parseKisPlaceResponse } from './kis-place-response';

export interface KisOrderAdapterOptions extends KisAccount, KisEnvironment {
  /** Default 'kis'. */
  brokerId?: string;
  /** How many days back getOrder(orderId) searches (inquire-daily-ccld covers three months). Default 7. */
  lookbackDays?: number;
  clock?: () => Date;
}

export interface KisOrderCall extends OrderPayload {
  path: string;
  trId: string;
  body: KisOrderCashBody;
}

const DEFAULT_LOOKBACK_DAYS = 7;

/**
 * Orders straight to the KIS REST API (domestic cash orders). KIS has no client order id: this adapter
 * remembers the clientOrderIds it sent (PlacedOrderBook) so it never sends one twice and can answer
 * getOrder({ clientOrderId }) for them. An order whose outcome was unknown, or that another process
 * sent, cannot be matched to a KIS order automatically: getOrder then throws NotSupportedError instead
 * of claiming the order does not exist. The JTS route (the default) has no such gap.
 */
export class KisOrderAdapter implements OrderAdapter, OrderPayloadBuilder {
  readonly brokerId: string;
  private readonly account: KisAccount;
  private readonly environment: KisEnvironment;
  private readonly lookbackDays: number;
  private readonly clock: () => Date;
  private readonly book = new PlacedOrderBook();

  constructor(
    private readonly client: KisOrderClient,
    options: KisOrderAdapterOptions,
  ) {
    this.account = requireKisAccount({ cano: options.cano, acntPrdtCd: options.acntPrdtCd });
    if (typeof options.paper !== 'boolean') {
      throw new InvalidArgumentError('paper must be true (모의투자) or false (real)', { field: 'paper' });
    }
    this.environment = { paper: options.paper, legacyTrIds: options.legacyTrIds ?? false };
    this.brokerId = options.brokerId ?? 'kis';
    this.lookbackDays = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
    this.clock = options.clock ?? (() => new Date());
  }

  buildPayload(request: OrderRequest): KisOrderCall {
    requireOrderForBroker(request, this.brokerId);
    const body = buildKisOrderPayload(request, this.account);
    const trId = kisOrderTrId(request.side, this.environment);
    return { endpoint: `POST ${KIS_ORDER_CASH_PATH} (tr_id ${trId})`, path: KIS_ORDER_CASH_PATH, trId, body };
  }

  async placeOrder(request: OrderRequest): Promise<OrderResponse> {
    const call = this.buildPayload(request);
    return submitRestOrder({
      brokerId: this.brokerId,
      book: this.book,
      request,
      orderDate: kstDate(this.clock()),
      send: () => this.client.post(call.path, call.trId, call.body),
      interpret: (response) => this.interpretOrderAnswer(response, request.clientOrderId),
    });
  }

  async getOrder(ref: OrderReference): Promise<OrderResponse | null> {
    if (ref.orderId !== undefined && ref.orderId !== '') {
      const known = this.book.findByOrderId(ref.orderId);
      const order = await this.findOrder(ref.orderId, known?.orderDate);
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
      const order = await this.findOrder(record.orderId, record.orderDate);
      return order === null
        ? this.notYetVisible(record, ref.clientOrderId)
        : this.toResponse(order, ref.clientOrderId);
    }
    throw new NotSupportedError(
      `${this.brokerId}: KIS REST has no client order id and clientOrderId '${ref.clientOrderId}' ` +
        (record === undefined ? 'was not placed by this process' : 'has an unknown outcome') +
        '; find the order in KIS (HTS/MTS) by symbol, side, quantity and time',
      { details: { brokerId: this.brokerId, clientOrderId: ref.clientOrderId } },
    );
  }

  async cancelOrder(orderId: string): Promise<OrderResponse> {
    const known = this.book.findByOrderId(orderId);
    let target: KisCancelTarget = {
      orderNo: orderId,
      branchNo: known?.branchNo ?? '',
      orderDivision:
        known?.orderType === OrderType.MARKET ? KIS_ORDER_DIVISION.MARKET : KIS_ORDER_DIVISION.LIMIT,
    };
    if (target.branchNo === '') {
      const order = await this.findOrder(orderId, known?.orderDate);
      if (order === null) {
        throw new OrderNotFoundError(`${this.brokerId}: no KIS order ${orderId}`, {
          details: { brokerId: this.brokerId, orderId },
        });
      }
      target = {
        orderNo: orderId,
        branchNo: order.branchNo,
        orderDivision:
          order.orderDivision === KIS_ORDER_DIVISION.MARKET
            ? KIS_ORDER_DIVISION.MARKET
            : KIS_ORDER_DIVISION.LIMIT,
      };
    }
    const body = buildKisCancelPayload(target, this.account);
    const trId = kisTrIds(this.environment).cancel;
    const cancel = await submitRestCancel(
      this.brokerId,
      orderId,
      () => this.client.post(KIS_ORDER_REVISE_CANCEL_PATH, trId, body),
      (response) => this.interpretOrderAnswer(response),
    );
    const clientOrderId = known?.clientOrderId ?? '';
    const message = `cancel accepted by KIS as order ${cancel.cancelOrderId}: ${cancel.message}`;
    try {
      const order = await this.findOrder(orderId, known?.orderDate);
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
    const parsed = parseKisPlaceResponse(response.body);
    if (parsed.kind === 'accepted') {
      return {
        kind: 'accepted',
        orderId: parsed.orderNo,
        branchNo: parsed.branchNo,
        brokerCode: parsed.messageCode,
        message: parsed.message === '' ? `KIS order ${parsed.orderNo} accepted` : parsed.message,
      };
    }
    if (parsed.kind === 'rejected') {
      const code = mapKisErrorToFailSafe({ msgCode: parsed.messageCode, httpStatus: response.status });
      const error = brokerRefusalError(code, `KIS refused: [${parsed.messageCode}] ${parsed.message}`, {
        brokerId: this.brokerId,
        brokerCode: parsed.messageCode,
        clientOrderId,
      });
      return { kind: 'refused', error };
    }
    return { kind: 'unreadable', reason: parsed.reason };
  }

  /** The order row of `orderId` in inquire-daily-ccld, searched from `fromDate` (default: the lookback) to today. */
  private async findOrder(orderId: string, fromDate?: string): Promise<KisDailyOrder | null> {
    const now = this.clock();
    const query = {
      CANO: this.account.cano,
      ACNT_PRDT_CD: this.account.acntPrdtCd,
      INQR_STRT_DT: fromDate ?? kstDateDaysBefore(now, this.lookbackDays),
      INQR_END_DT: kstDate(now),
      SLL_BUY_DVSN_CD: '00',
      INQR_DVSN: '00',
      PDNO: '',
      CCLD_DVSN: '00',
      ORD_GNO_BRNO: '',
      ODNO: orderId,
      INQR_DVSN_3: '00',
      INQR_DVSN_1: '',
      CTX_AREA_FK100: '',
      CTX_AREA_NK100: '',
    };
    const trId = kisTrIds(this.environment).inquireDaily;
    const orders = await readRest(
      this.brokerId,
      `inquiry of order ${orderId}`,
      () => this.client.get(KIS_INQUIRE_DAILY_CCLD_PATH, trId, query),
      (response) => this.interpretInquiry(response),
    );
    return orders.find((order) => sameOrderNo(order.orderNo, orderId)) ?? null;
  }

  private interpretInquiry(response: RestResponse): RestReadAnswer<KisDailyOrder[]> {
    const parsed = parseKisDailyOrders(response.body);
    if (parsed.kind === 'ok') {
      return { kind: 'ok', value: parsed.orders };
    }
    if (parsed.kind === 'rejected') {
      const code = mapKisErrorToFailSafe({ msgCode: parsed.messageCode, httpStatus: response.status });
      return {
        kind: 'refused',
        error: brokerRefusalError(code, `KIS inquiry refused: [${parsed.messageCode}] ${parsed.message}`, {
          brokerId: this.brokerId,
          brokerCode: parsed.messageCode,
        }),
      };
    }
    return { kind: 'unreadable', reason: parsed.reason };
  }

  /**
   * KIS acknowledged the order (it gave an order number) but the inquiry does not show it (yet): it
   * exists, so never null, which would read as "never reached the broker".
   */
  private notYetVisible(record: PlacedOrderRecord, clientOrderId: string): OrderResponse {
    return {
      clientOrderId,
      orderId: record.orderId,
      accepted: true,
      status: OrderStatus.ACCEPTED,
      filledQuantity: 0,
      message: `KIS order ${record.orderId} was accepted but is not in the order inquiry yet`,
    };
  }

  private toResponse(order: KisDailyOrder, clientOrderId: string): OrderResponse {
    const state = kisOrderState(order.quantities);
    const status = kisOrderStatus(state);
    return {
      clientOrderId,
      orderId: order.orderNo,
      accepted: status !== OrderStatus.REJECTED,
      status,
      filledQuantity: order.quantities.filled,
      ...(order.avgFillPrice === undefined ? {} : { avgFillPrice: order.avgFillPrice }),
      message: `KIS order ${order.orderNo} is ${state}`,
    };
  }
}
