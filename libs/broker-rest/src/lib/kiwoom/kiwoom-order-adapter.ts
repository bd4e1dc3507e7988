import { OrderRequest, OrderSide } from '@qts/broker-domain';
import { brokerRefusalError } from '../fail-safe/broker-refusal-error';
import type { RestBrokerClient, RestCall, RestOperation } from '../http/rest-call';
import { readRestPages, RestPage } from '../http/paged-rest-read';
import type { RestReadAnswer } from '../http/rest-read';
import type { RestResponse } from '../http/rest-response';
import { OrderListQuery, RestOrderAdapter, RestOrderAdapterOptions, RestOrderPayload } from '../orders/rest-order-adapter';
import type { RestOrderAnswer } from '../orders/rest-order-submission';
import { KiwoomContinuation, nextKiwoomPageHeaders } from './kiwoom-continuation';
import { KIWOOM_ACCOUNT_PATH, KIWOOM_API_IDS, KiwoomExchange } from './kiwoom-endpoints';
import { kiwoomRefusalCode } from './kiwoom-error-to-fail-safe';
import { KiwoomOrderDetail, parseKiwoomOrderDetails } from './kiwoom-order-details';
import { buildKiwoomCancelPayload, buildKiwoomOrderPayload, KiwoomOrderBody, KiwoomOrderCall } from './kiwoom-order-payload';
import { parseKiwoomPlaceResponse } from './kiwoom-place-response';

export interface KiwoomOrderAdapterOptions extends Partial<Omit<RestOrderAdapterOptions, 'brokerId' | 'accountId'>> {
  /** Default 'kiwoom'. */
  brokerId?: string;
  /** The account of the app key (Kiwoom requests carry no account: the app key decides). */
  accountId: string;
  /** Venue of new orders; default KRX (the mock server supports only KRX). */
  exchange?: KiwoomExchange;
  /** Bound on the pages of one order inquiry; an inquiry that needs more fails rather than answer partly. */
  maxInquiryPages?: number;
}

const DEFAULT_MAX_INQUIRY_PAGES = 200;

/**
 * Orders straight to the Kiwoom REST API: kt10000 / kt10001 / kt10003 payloads, answers with return_code /
 * return_msg and ord_no, and the order inquiry kt00007 (one day per request, paged with cont-yn /
 * next-key). Never uses kt10002 for a lookup: that api-id amends an order. What Kiwoom shares with KIS is
 * RestOrderAdapter.
 */
export class KiwoomOrderAdapter extends RestOrderAdapter<KiwoomOrderDetail> {
  private readonly exchange: KiwoomExchange;
  private readonly maxInquiryPages: number;

  constructor(client: RestBrokerClient, options: KiwoomOrderAdapterOptions) {
    // kt00007 answers one day per request: a lookup by order number searches today unless told otherwise.
    super(client, 'Kiwoom', { lookbackDays: 0, ...options, brokerId: options.brokerId ?? 'kiwoom' });
    this.exchange = options.exchange ?? 'KRX';
    this.maxInquiryPages = options.maxInquiryPages ?? DEFAULT_MAX_INQUIRY_PAGES;
  }

  buildPayload(request: OrderRequest): KiwoomOrderCall<KiwoomOrderBody> & RestOrderPayload {
    this.requireOwnOrder(request);
    const built = buildKiwoomOrderPayload(request, { exchange: this.exchange });
    return {
      ...built,
      endpoint: `POST ${built.path} (api-id ${built.apiId})`,
      call: { operation: 'placeOrder', method: 'POST', path: built.path, apiId: built.apiId, payload: built.body },
    };
  }

  protected cancelCall(row: KiwoomOrderDetail): RestCall {
    const built = buildKiwoomCancelPayload({ orderNo: row.orderNo, symbol: row.symbol, exchange: this.exchange });
    return { operation: 'cancelOrder', method: 'POST', path: built.path, apiId: built.apiId, payload: built.body };
  }

  protected interpretOrderAnswer(response: RestResponse, clientOrderId?: string): RestOrderAnswer {
    const parsed = parseKiwoomPlaceResponse(response.body);
    if (parsed.kind === 'accepted') {
      return {
        kind: 'accepted',
        orderId: parsed.orderNo,
        message: parsed.message === '' ? `Kiwoom order ${parsed.orderNo} accepted` : parsed.message,
      };
    }
    if (parsed.kind === 'rejected') {
      const code = kiwoomRefusalCode(parsed.returnCode, parsed.message, response.status);
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

  /** kt00007 for each day of the query, every page. */
  protected async listOrders(query: OrderListQuery, operation: RestOperation): Promise<KiwoomOrderDetail[]> {
    const orders: KiwoomOrderDetail[] = [];
    for (const day of daysBetween(query.fromDate, query.toDate)) {
      orders.push(...(await this.listOrdersOf(day, query, operation)));
    }
    return orders;
  }

  private async listOrdersOf(day: string, query: OrderListQuery, operation: RestOperation): Promise<KiwoomOrderDetail[]> {
    const body = {
      ord_dt: day,
      qry_tp: '1',
      stk_bond_tp: '0',
      sell_tp: query.side === undefined ? '0' : query.side === OrderSide.SELL ? '1' : '2',
      stk_cd: query.symbol ?? '',
      fr_ord_no: query.orderNo ?? '',
      dmst_stex_tp: '%',
    };
    return readRestPages({
      brokerId: this.brokerId,
      brokerName: 'Kiwoom',
      what: 'order inquiry',
      maxPages: this.maxInquiryPages,
      first: { operation, method: 'POST', path: KIWOOM_ACCOUNT_PATH, apiId: KIWOOM_API_IDS.ORDER_DETAILS, payload: body },
      send: (call) => this.client.send(call),
      parse: (response) => this.interpretInquiry(response, day),
      nextCall: (call, continuation) => ({ ...call, continuation: nextKiwoomPageHeaders(continuation) }),
    });
  }

  private interpretInquiry(
    response: RestResponse,
    day: string,
  ): RestReadAnswer<RestPage<KiwoomOrderDetail, KiwoomContinuation>> {
    const parsed = parseKiwoomOrderDetails(response.body, day, response.headers);
    if (parsed.kind === 'ok') {
      return { kind: 'ok', value: { rows: parsed.orders, continuation: parsed.continuation } };
    }
    if (parsed.kind === 'rejected') {
      const code = kiwoomRefusalCode(parsed.returnCode, parsed.message, response.status);
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
}

/** The KST dates from `from` to `to` (YYYYMMDD, inclusive), at most 31 of them. */
function daysBetween(from: string, to: string): string[] {
  const toDate = (text: string) => Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8)));
  const days: string[] = [];
  for (let at = toDate(from); at <= toDate(to) && days.length < 31; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10).replace(/-/g, ''));
  }
  return days;
}
