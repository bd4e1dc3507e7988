import { InvalidArgumentError, OrderRequest, OrderSide, OrderType } from '@qts/broker-domain';
import { brokerRefusalError } from '../fail-safe/broker-refusal-error';
import type { RestBrokerClient, RestCall, RestOperation } from '../http/rest-call';
import { readRestPages, RestPage } from '../http/paged-rest-read';
import type { RestReadAnswer } from '../http/rest-read';
import type { RestResponse } from '../http/rest-response';
import type { PlacedOrderRecord } from '../orders/placed-order-book';
import { OrderListQuery, RestOrderAdapter, RestOrderAdapterOptions, RestOrderPayload } from '../orders/rest-order-adapter';
import type { RestOrderAnswer } from '../orders/rest-order-submission';
import { KisAccount, requireKisAccount } from './kis-account';
import { nextKisPage } from './kis-continuation';
import { KisDailyOrder, parseKisDailyOrders } from './kis-daily-orders';
import {
  KIS_INQUIRE_DAILY_CCLD_PATH,
  KIS_ORDER_CASH_PATH,
  KIS_ORDER_REVISE_CANCEL_PATH,
  KisEnvironment,
  kisOrderTrId,
  kisTrIds,
} from './kis-endpoints';
import { kisRefusalCode } from './kis-error-to-fail-safe';
import { buildKisCancelPayload, buildKisOrderPayload, KIS_ORDER_DIVISION } from './kis-order-payload';
import { parseKisPlaceResponse } from './kis-place-response';

export interface KisOrderAdapterOptions
  extends KisAccount,
    KisEnvironment,
    Partial<Omit<RestOrderAdapterOptions, 'brokerId' | 'accountId'>> {
  /** Default 'kis'. */
  brokerId?: string;
  /** The account id requests carry; default "CANO-ACNT_PRDT_CD". */
  accountId?: string;
  /** Bound on the pages of one order inquiry; an inquiry that needs more fails rather than answer partly. */
  maxInquiryPages?: number;
}

const DEFAULT_MAX_INQUIRY_PAGES = 200;

/**
 * Orders straight to the KIS REST API (domestic cash orders): payloads of order-cash / order-rvsecncl,
 * answers with rt_cd / msg_cd / msg1 and output.ODNO, and the daily order inquiry inquire-daily-ccld
 * (paged with tr_cont and CTX_AREA_FK100 / CTX_AREA_NK100, narrowed to KRX with EXCG_ID_DVSN_CD). What KIS
 * shares with Kiwoom (never sending twice, reconciliation, cancel rules) is RestOrderAdapter.
 */
export class KisOrderAdapter extends RestOrderAdapter<KisDailyOrder> {
  private readonly account: KisAccount;
  private readonly environment: KisEnvironment;
  private readonly maxInquiryPages: number;

  constructor(client: RestBrokerClient, options: KisOrderAdapterOptions) {
    const account = requireKisAccount({ cano: options.cano, acntPrdtCd: options.acntPrdtCd });
    super(client, 'KIS', {
      ...options,
      brokerId: options.brokerId ?? 'kis',
      accountId: options.accountId ?? `${account.cano}-${account.acntPrdtCd}`,
    });
    if (typeof options.paper !== 'boolean') {
      throw new InvalidArgumentError('paper must be true (모의투자) or false (real)', { field: 'paper' });
    }
    this.account = account;
    this.environment = { paper: options.paper, legacyTrIds: options.legacyTrIds ?? false };
    this.maxInquiryPages = options.maxInquiryPages ?? DEFAULT_MAX_INQUIRY_PAGES;
  }

  /** CANO and ACNT_PRDT_CD of the account this adapter trades. */
  get kisAccount(): KisAccount {
    return { ...this.account };
  }

  buildPayload(request: OrderRequest): RestOrderPayload & { path: string; trId: string } {
    this.requireOwnOrder(request);
    const body = buildKisOrderPayload(request, this.account);
    const trId = kisOrderTrId(request.side, this.environment);
    return {
      endpoint: `POST ${KIS_ORDER_CASH_PATH} (tr_id ${trId})`,
      path: KIS_ORDER_CASH_PATH,
      trId,
      body,
      call: { operation: 'placeOrder', method: 'POST', path: KIS_ORDER_CASH_PATH, apiId: trId, payload: body },
    };
  }

  protected cancelCall(row: KisDailyOrder, known: PlacedOrderRecord | undefined): RestCall {
    const body = buildKisCancelPayload(
      {
        orderNo: row.orderNo,
        branchNo: row.branchNo !== '' ? row.branchNo : (known?.branchNo ?? ''),
        orderDivision:
          row.orderDivision === KIS_ORDER_DIVISION.MARKET || row.orderType === OrderType.MARKET
            ? KIS_ORDER_DIVISION.MARKET
            : KIS_ORDER_DIVISION.LIMIT,
      },
      this.account,
    );
    return {
      operation: 'cancelOrder',
      method: 'POST',
      path: KIS_ORDER_REVISE_CANCEL_PATH,
      apiId: kisTrIds(this.environment).cancel,
      payload: body,
    };
  }

  protected interpretOrderAnswer(response: RestResponse, clientOrderId?: string): RestOrderAnswer {
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
      const code = kisRefusalCode(parsed.messageCode, parsed.message, response.status);
      const error = brokerRefusalError(code, `KIS refused: [${parsed.messageCode}] ${parsed.message}`, {
        brokerId: this.brokerId,
        brokerCode: parsed.messageCode,
        clientOrderId,
      });
      return { kind: 'refused', error };
    }
    return { kind: 'unreadable', reason: parsed.reason };
  }

  /** inquire-daily-ccld, every page (koreainvestment/open-trading-api examples_llm/domestic_stock/inquire_daily_ccld). */
  protected async listOrders(query: OrderListQuery, operation: RestOperation): Promise<KisDailyOrder[]> {
    const base: Record<string, string> = {
      CANO: this.account.cano,
      ACNT_PRDT_CD: this.account.acntPrdtCd,
      INQR_STRT_DT: query.fromDate,
      INQR_END_DT: query.toDate,
      SLL_BUY_DVSN_CD: query.side === undefined ? '00' : query.side === OrderSide.SELL ? '01' : '02',
      INQR_DVSN: '00',
      PDNO: query.symbol ?? '',
      CCLD_DVSN: '00',
      ORD_GNO_BRNO: '',
      ODNO: query.orderNo ?? '',
      INQR_DVSN_3: '00',
      INQR_DVSN_1: '',
      CTX_AREA_FK100: '',
      CTX_AREA_NK100: '',
      EXCG_ID_DVSN_CD: 'KRX',
    };
    const trId = kisTrIds(this.environment).inquireDaily;
    return readRestPages({
      brokerId: this.brokerId,
      brokerName: 'KIS',
      what: 'order inquiry',
      maxPages: this.maxInquiryPages,
      first: { operation, method: 'GET', path: KIS_INQUIRE_DAILY_CCLD_PATH, apiId: trId, payload: base },
      send: (call) => this.client.send(call),
      parse: (response) => this.interpretInquiry(response),
      nextCall: (call, continuation) => {
        const next = nextKisPage(base, continuation);
        return { ...call, payload: next.payload, continuation: next.continuation };
      },
    });
  }

  private interpretInquiry(
    response: RestResponse,
  ): RestReadAnswer<RestPage<KisDailyOrder, { more: boolean; fk100: string; nk100: string }>> {
    const parsed = parseKisDailyOrders(response.body, response.headers);
    if (parsed.kind === 'ok') {
      return { kind: 'ok', value: { rows: parsed.orders, continuation: parsed.continuation } };
    }
    if (parsed.kind === 'rejected') {
      const code = kisRefusalCode(parsed.messageCode, parsed.message, response.status);
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
}
