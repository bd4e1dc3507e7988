import {
  Balance,
  BrokerType,
  Candle,
  isIntradayTimeframe,
  isSymbolCode,
  InvalidArgumentError,
  KrxCalendar,
  NotSupportedError,
  Position,
  Quote,
  StockSymbol,
  SymbolNotFoundError,
  Timeframe,
} from '@qts/broker-domain';
import { aggregateMinuteBars, BrokerBar, candlesInRange, weekdaysBetween } from '../gateway/candle-bars';
import { BrokerHolding, positionsOfHoldings } from '../gateway/broker-holding';
import { RestBrokerGateway, RestBrokerGatewayOptions } from '../gateway/rest-broker-gateway';
import { InquiryEnvelope, RestInquiryConnection, RestInquiryReader } from '../gateway/rest-inquiry-reader';
import { scalarText } from '../http/json-fields';
import { kstDate } from '../http/kst-date';
import type { RestCall, RestOperation } from '../http/rest-call';
import { nextKisPage, readKisContinuation } from './kis-continuation';
import type { KisDailyOrder } from './kis-daily-orders';
import {
  KIS_DAILY_CHART_PATH,
  KIS_INQUIRE_ASKING_PRICE_PATH,
  KIS_INQUIRE_BALANCE_PATH,
  KIS_INQUIRE_PRICE_PATH,
  KIS_INQUIRE_PSBL_ORDER_PATH,
  KIS_MINUTE_CHART_PATH,
  KIS_QUOTATION_TR_IDS,
  KIS_SEARCH_STOCK_INFO_PATH,
  kisTrIds,
} from './kis-endpoints';
import { kisRefusalCode } from './kis-error-to-fail-safe';
import {
  parseKisBalanceTotals,
  parseKisBestPrices,
  parseKisDailyBars,
  parseKisHoldings,
  parseKisMinuteBars,
  parseKisOrderableCash,
  parseKisPrice,
  parseKisStockInfo,
} from './kis-market-data';
import type { KisOrderAdapter } from './kis-order-adapter';

export interface KisRestBrokerGatewayOptions
  extends Omit<RestBrokerGatewayOptions<KisDailyOrder>, 'orders'>,
    RestInquiryConnection {
  orders: KisOrderAdapter;
  /** 모의투자 (paper) server; must agree with the client and the order adapter. */
  paper: boolean;
  /**
   * The symbols getSymbols lists. KIS publishes its symbol list as master files, not through the API, so the
   * list of a REST-connected KIS broker is configured; each entry is described by search-stock-info.
   */
  symbols?: readonly string[];
}

/**
 * KIS inquiries are GETs answering rt_cd "0", or a refusal with msg_cd and msg1. A code KIS does not list is
 * refused with APBK0656 (python-kis handles it as "not found").
 */
const KIS_INQUIRY_ENVELOPE: InquiryEnvelope = {
  brokerName: 'KIS',
  method: 'GET',
  resultField: 'rt_cd',
  messageField: 'msg1',
  refusalOf(record, _resultCode, message, httpStatus) {
    const brokerCode = (scalarText(record['msg_cd']) ?? '').trim();
    return { brokerCode, failSafe: kisRefusalCode(brokerCode, message, httpStatus) };
  },
  symbolNotFoundCodes: new Set(['APBK0656']),
};

/** search-stock-info, inquire-balance: product type of stocks, ETFs, ETNs. */
const STOCK_PRODUCT_TYPE = '300';
/** J: KRX (FID_COND_MRKT_DIV_CODE). */
const KRX_MARKET = 'J';
const DAILY_ROWS_PER_CALL = 100;
const MINUTE_ROWS_PER_CALL = 120;
/**
 * inquire-psbl-order needs a product even for the account's orderable cash (ord_psbl_cash does not depend
 * on it): any listed code serves.
 */
export const KIS_BUYING_POWER_REFERENCE_SYMBOL = '005930';

/**
 * The BrokerGateway of KIS over its REST API. Quotes: inquire-price plus the order book
 * (inquire-asking-price-exp-ccn), two requests. Candles: FHKST03010100 for days and weeks (100 a call,
 * paged backwards by date), FHKST03010230 for minutes (120 one-minute bars a call, paged backwards by time,
 * one day at a time) combined into 5/15/30/60-minute bars. Balance: inquire-balance (paged with tr_cont)
 * and the orderable cash of inquire-psbl-order. Orders: the KIS order adapter.
 */
export class KisRestBrokerGateway extends RestBrokerGateway<KisDailyOrder> {
  readonly brokerType = BrokerType.KIS;
  private readonly inquiries: RestInquiryReader;
  private readonly kisOrders: KisOrderAdapter;
  private readonly paper: boolean;
  private readonly configuredSymbols: readonly string[] | undefined;

  constructor(options: KisRestBrokerGatewayOptions) {
    super(options);
    this.inquiries = new RestInquiryReader({ ...options, envelope: KIS_INQUIRY_ENVELOPE });
    this.kisOrders = options.orders;
    this.paper = options.paper;
    if (options.symbols !== undefined) {
      for (const [index, code] of options.symbols.entries()) {
        if (!isSymbolCode(code)) {
          throw new InvalidArgumentError(`symbols[${index}] must be a 6-character KRX code`, { field: `symbols[${index}]` });
        }
      }
      this.configuredSymbols = [...new Set(options.symbols)];
    }
  }

  protected async fetchSymbols(): Promise<StockSymbol[]> {
    if (this.configuredSymbols === undefined) {
      throw new NotSupportedError(
        `${this.brokerId}: KIS publishes its symbol list as master files, not through its REST API; list the symbols ` +
          'of this broker in its configuration (symbols: [...]) or reach KIS through JTS',
        { details: { brokerId: this.brokerId } },
      );
    }
    const symbols: StockSymbol[] = [];
    for (const code of this.configuredSymbols) {
      const symbol = await this.inquiries.read(
        { operation: 'getSymbols', path: KIS_SEARCH_STOCK_INFO_PATH, apiId: KIS_QUOTATION_TR_IDS.STOCK_INFO, payload: { PRDT_TYPE_CD: STOCK_PRODUCT_TYPE, PDNO: code } },
        `description of ${code}`,
        (record) => parseKisStockInfo(record, code),
        code,
      );
      if (symbol === undefined) {
        throw new SymbolNotFoundError(`${this.brokerId}: KIS does not describe configured symbol ${code}`, {
          details: { brokerId: this.brokerId, symbol: code },
        });
      }
      symbols.push(symbol);
    }
    return symbols;
  }

  protected fetchQuote(symbol: string, signal?: AbortSignal): Promise<Quote> {
    const query = { FID_COND_MRKT_DIV_CODE: KRX_MARKET, FID_INPUT_ISCD: symbol };
    return this.inquiries.readQuote(
      symbol,
      {
        call: { operation: 'getQuote', path: KIS_INQUIRE_PRICE_PATH, apiId: KIS_QUOTATION_TR_IDS.PRICE, payload: query, signal },
        parse: parseKisPrice,
      },
      {
        call: { operation: 'getQuote', path: KIS_INQUIRE_ASKING_PRICE_PATH, apiId: KIS_QUOTATION_TR_IDS.ASKING_PRICE, payload: query, signal },
        parse: parseKisBestPrices,
      },
      this.clock,
    );
  }

  protected async fetchCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]> {
    if (!isIntradayTimeframe(timeframe)) {
      return candlesInRange(symbol, timeframe, await this.periodBars(symbol, timeframe === '1w', start, end), start, end);
    }
    const minutes: BrokerBar[] = [];
    for (const day of weekdaysBetween(start, end)) {
      minutes.push(...(await this.minuteBarsOf(symbol, day, end)));
    }
    const bars = timeframe === '1m' ? minutes : aggregateMinuteBars(minutes, timeframe);
    return candlesInRange(symbol, timeframe, bars, start, end);
  }

  protected async fetchBalance(accountId: string): Promise<Balance> {
    const { totals } = await this.balancePages();
    const orderable = await this.inquiries.read(
      {
        operation: 'getBalance',
        path: KIS_INQUIRE_PSBL_ORDER_PATH,
        apiId: kisTrIds({ paper: this.paper }).buyingPower,
        payload: {
          ...this.accountFields(),
          PDNO: KIS_BUYING_POWER_REFERENCE_SYMBOL,
          ORD_UNPR: '',
          ORD_DVSN: '01',
          CMA_EVLU_AMT_ICLD_YN: 'N',
          OVRS_ICLD_YN: 'N',
        },
      },
      'orderable cash',
      parseKisOrderableCash,
    );
    return new Balance({
      accountId,
      totalEquity: totals.totalEvaluation,
      cashBalance: totals.deposit,
      buyingPower: orderable,
    });
  }

  protected async fetchPositions(accountId: string): Promise<Position[]> {
    const { holdings } = await this.balancePages('getPositions');
    return positionsOfHoldings(accountId, holdings);
  }

  /** inquire-balance, every page (tr_cont F/M: more; CTX_AREA_FK100 / NK100 carry on). */
  private async balancePages(operation: RestOperation = 'getBalance'): Promise<{
    holdings: BrokerHolding[];
    totals: ReturnType<typeof parseKisBalanceTotals>;
  }> {
    const query: Record<string, string> = {
      ...this.accountFields(),
      AFHR_FLPR_YN: 'N',
      OFL_YN: '',
      INQR_DVSN: '02',
      UNPR_DVSN: '01',
      FUND_STTL_ICLD_YN: 'N',
      FNCG_AMT_AUTO_RDPT_YN: 'N',
      PRCS_DVSN: '00',
      CTX_AREA_FK100: '',
      CTX_AREA_NK100: '',
    };
    const holdings: BrokerHolding[] = [];
    let call: Omit<RestCall, 'method'> = { operation, path: KIS_INQUIRE_BALANCE_PATH, apiId: kisTrIds({ paper: this.paper }).balance, payload: query };
    for (let page = 1; ; page++) {
      const result = await this.inquiries.read(call, 'balance', (record, response) => ({
        holdings: parseKisHoldings(record),
        totals: parseKisBalanceTotals(record),
        continuation: readKisContinuation(record, response.headers),
      }));
      holdings.push(...result.holdings);
      if (!result.continuation.more) {
        return { holdings, totals: result.totals };
      }
      this.inquiries.requirePageBudget(page, 'balance');
      const next = nextKisPage(query, result.continuation);
      call = { ...call, payload: next.payload, continuation: next.continuation };
    }
  }

  /** Daily or weekly bars from `start` to `end`, paged backwards by date (100 rows a call). */
  private async periodBars(symbol: string, weekly: boolean, start: Date, end: Date): Promise<BrokerBar[]> {
    const from = kstDate(start);
    let to = kstDate(end);
    const bars: BrokerBar[] = [];
    for (let page = 1; ; page++) {
      const result = await this.inquiries.read(
        {
          operation: 'getCandles',
          path: KIS_DAILY_CHART_PATH,
          apiId: KIS_QUOTATION_TR_IDS.DAILY_CHART,
          payload: {
            FID_COND_MRKT_DIV_CODE: KRX_MARKET,
            FID_INPUT_ISCD: symbol,
            FID_INPUT_DATE_1: from,
            FID_INPUT_DATE_2: to,
            FID_PERIOD_DIV_CODE: weekly ? 'W' : 'D',
            FID_ORG_ADJ_PRC: '0',
          },
        },
        `${weekly ? 'weekly' : 'daily'} bars of ${symbol}`,
        (record) => parseKisDailyBars(record, weekly),
        symbol,
      );
      bars.push(...result.bars);
      const oldest = result.dates.reduce<string | undefined>((min, date) => (min === undefined || date < min ? date : min), undefined);
      if (oldest === undefined || result.dates.length < DAILY_ROWS_PER_CALL || oldest <= from) {
        return bars;
      }
      this.inquiries.requirePageBudget(page, `bars of ${symbol}`);
      to = dayBefore(oldest);
    }
  }

  /** One day's one-minute bars up to `end`, paged backwards by time (120 a call). */
  private async minuteBarsOf(symbol: string, day: string, end: Date): Promise<BrokerBar[]> {
    const endDay = kstDate(end);
    let hour = day === endDay ? kstTimeOf(end) : '153000';
    const bars: BrokerBar[] = [];
    for (let page = 1; ; page++) {
      const result = await this.inquiries.read(
        {
          operation: 'getCandles',
          path: KIS_MINUTE_CHART_PATH,
          apiId: KIS_QUOTATION_TR_IDS.MINUTE_CHART,
          payload: {
            FID_COND_MRKT_DIV_CODE: KRX_MARKET,
            FID_INPUT_ISCD: symbol,
            FID_INPUT_HOUR_1: hour,
            FID_INPUT_DATE_1: day,
            FID_PW_DATA_INCU_YN: 'Y',
            FID_FAKE_TICK_INCU_YN: '',
          },
        },
        `minute bars of ${symbol}`,
        parseKisMinuteBars,
        symbol,
      );
      // With FID_PW_DATA_INCU_YN Y, KIS may run on into the previous day: only this day's bars count.
      const ofDay = result.bars.filter((bar) => kstDate(new Date(bar.startMs)) === day);
      bars.push(...ofDay);
      const earliest = result.earliest;
      if (
        earliest === undefined ||
        ofDay.length < result.bars.length ||
        result.bars.length < MINUTE_ROWS_PER_CALL ||
        earliest.slice(8) <= '090000'
      ) {
        return bars;
      }
      this.inquiries.requirePageBudget(page, `minute bars of ${symbol}`);
      hour = minuteBefore(earliest.slice(8));
    }
  }

  private accountFields(): { CANO: string; ACNT_PRDT_CD: string } {
    const { cano, acntPrdtCd } = this.kisOrders.kisAccount;
    return { CANO: cano, ACNT_PRDT_CD: acntPrdtCd };
  }
}

/** HHMMSS (KST) of an instant. */
function kstTimeOf(instant: Date): string {
  return new Date(instant.getTime() + 9 * 3_600_000).toISOString().slice(11, 19).replace(/:/g, '');
}

/** The YYYYMMDD before `date`. */
function dayBefore(date: string): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) - 86_400_000;
  return KrxCalendar.formatKstDay(ms / 86_400_000).replace(/-/g, '');
}

/** The HHMMSS one minute before `time`. */
function minuteBefore(time: string): string {
  const seconds = Number(time.slice(0, 2)) * 3600 + Number(time.slice(2, 4)) * 60 + Number(time.slice(4, 6)) - 60;
  const clamped = Math.max(0, seconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(clamped / 3600))}${pad(Math.floor((clamped % 3600) / 60))}${pad(clamped % 60)}`;
}
