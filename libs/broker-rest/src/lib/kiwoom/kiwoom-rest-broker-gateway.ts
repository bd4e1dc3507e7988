import {
  Balance,
  BrokerType,
  Candle,
  isIntradayTimeframe,
  Market,
  Position,
  Quote,
  StockSymbol,
  Timeframe,
} from '@qts/broker-domain';
import type { BrokerBar } from '../gateway/candle-bars';
import { candlesInRange } from '../gateway/candle-bars';
import { BrokerHolding, positionsOfHoldings } from '../gateway/broker-holding';
import { RestBrokerGateway, RestBrokerGatewayOptions } from '../gateway/rest-broker-gateway';
import { InquiryEnvelope, RestInquiryConnection, RestInquiryReader } from '../gateway/rest-inquiry-reader';
import { kstDate } from '../http/kst-date';
import type { RestCall, RestOperation } from '../http/rest-call';
import { KiwoomContinuation, nextKiwoomPageHeaders, readKiwoomContinuation } from './kiwoom-continuation';
import {
  KIWOOM_ACCOUNT_PATH,
  KIWOOM_API_IDS,
  KIWOOM_CHART_PATH,
  KIWOOM_MARKET_CONDITION_PATH,
  KIWOOM_STOCK_INFO_PATH,
} from './kiwoom-endpoints';
import { kiwoomMessageCode, kiwoomRefusalCode } from './kiwoom-error-to-fail-safe';
import {
  parseKiwoomAccountBalance,
  parseKiwoomBestPrices,
  parseKiwoomDeposit,
  parseKiwoomMinuteBars,
  parseKiwoomPeriodBars,
  parseKiwoomStockInfo,
  parseKiwoomSymbolList,
} from './kiwoom-market-data';
import type { KiwoomOrderAdapter } from './kiwoom-order-adapter';
import type { KiwoomOrderDetail } from './kiwoom-order-details';

export interface KiwoomRestBrokerGatewayOptions
  extends Omit<RestBrokerGatewayOptions<KiwoomOrderDetail>, 'orders'>,
    RestInquiryConnection {
  orders: KiwoomOrderAdapter;
}

/**
 * Kiwoom inquiries are POSTs answering return_code 0, or a refusal whose return_msg carries a bracketed message
 * code ("[1902:...]"); 1901 and 1902 mean an unknown market or symbol (kiwoom/core/errors.py
 * SYMBOL_NOT_FOUND_CODES).
 */
const KIWOOM_INQUIRY_ENVELOPE: InquiryEnvelope = {
  brokerName: 'Kiwoom',
  method: 'POST',
  resultField: 'return_code',
  messageField: 'return_msg',
  refusalOf(_record, resultCode, message, httpStatus) {
    return {
      brokerCode: kiwoomMessageCode(message) ?? resultCode,
      failSafe: kiwoomRefusalCode(resultCode, message, httpStatus),
    };
  },
  symbolNotFoundCodes: new Set(['1901', '1902']),
};

/** ka10099 mrkt_tp of the markets the platform trades. */
const MARKETS: ReadonlyArray<[string, Market]> = [
  ['0', Market.KOSPI],
  ['10', Market.KOSDAQ],
];
/** ka10080 tic_scope of each intraday timeframe (Kiwoom serves 1, 3, 5, 10, 15, 30, 45 and 60 minutes). */
const TIC_SCOPE: Readonly<Record<string, string>> = { '1m': '1', '5m': '5', '15m': '15', '30m': '30', '60m': '60' };

/**
 * The BrokerGateway of Kiwoom over its REST API. Symbols: ka10099 per market. Quotes: ka10001 plus the order
 * book ka10004, two requests. Candles: ka10080 (minutes, in every timeframe the platform serves), ka10081
 * (days), ka10082 (weeks), paged backwards with cont-yn / next-key. Balance: kt00001 (deposit, orderable
 * amount) and kt00018 (holdings, estimated assets). Orders: the Kiwoom order adapter.
 */
export class KiwoomRestBrokerGateway extends RestBrokerGateway<KiwoomOrderDetail> {
  readonly brokerType = BrokerType.KIWOOM;
  private readonly inquiries: RestInquiryReader;

  constructor(options: KiwoomRestBrokerGatewayOptions) {
    super(options);
    this.inquiries = new RestInquiryReader({ ...options, envelope: KIWOOM_INQUIRY_ENVELOPE });
  }

  protected async fetchSymbols(): Promise<StockSymbol[]> {
    const symbols: StockSymbol[] = [];
    for (const [marketType, market] of MARKETS) {
      await this.pages(
        { operation: 'getSymbols', path: KIWOOM_STOCK_INFO_PATH, apiId: KIWOOM_API_IDS.SYMBOL_LIST, payload: { mrkt_tp: marketType } },
        'symbol list',
        (record) => parseKiwoomSymbolList(record, market),
        (page) => {
          symbols.push(...page);
          return true;
        },
      );
    }
    return symbols;
  }

  protected fetchQuote(symbol: string, signal?: AbortSignal): Promise<Quote> {
    const payload = { stk_cd: symbol };
    return this.inquiries.readQuote(
      symbol,
      {
        call: { operation: 'getQuote', path: KIWOOM_STOCK_INFO_PATH, apiId: KIWOOM_API_IDS.STOCK_INFO, payload, signal },
        parse: parseKiwoomStockInfo,
      },
      {
        call: { operation: 'getQuote', path: KIWOOM_MARKET_CONDITION_PATH, apiId: KIWOOM_API_IDS.ORDER_BOOK, payload, signal },
        parse: parseKiwoomBestPrices,
      },
      this.clock,
    );
  }

  protected async fetchCandles(symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]> {
    const bars: BrokerBar[] = [];
    if (isIntradayTimeframe(timeframe)) {
      await this.pages(
        {
          operation: 'getCandles',
          path: KIWOOM_CHART_PATH,
          apiId: KIWOOM_API_IDS.MINUTE_CHART,
          payload: { stk_cd: symbol, tic_scope: TIC_SCOPE[timeframe], upd_stkpc_tp: '1', base_dt: kstDate(end) },
        },
        `minute bars of ${symbol}`,
        parseKiwoomMinuteBars,
        (page) => {
          bars.push(...page.bars);
          return page.oldestMs !== undefined && page.oldestMs > start.getTime();
        },
        symbol,
      );
    } else {
      const weekly = timeframe === '1w';
      const from = kstDate(start);
      await this.pages(
        {
          operation: 'getCandles',
          path: KIWOOM_CHART_PATH,
          apiId: weekly ? KIWOOM_API_IDS.WEEKLY_CHART : KIWOOM_API_IDS.DAILY_CHART,
          payload: { stk_cd: symbol, base_dt: kstDate(end), upd_stkpc_tp: '1' },
        },
        `${weekly ? 'weekly' : 'daily'} bars of ${symbol}`,
        (record) => parseKiwoomPeriodBars(record, weekly),
        (page) => {
          bars.push(...page.bars);
          return page.oldest !== undefined && page.oldest > from;
        },
        symbol,
      );
    }
    return candlesInRange(symbol, timeframe, bars, start, end);
  }

  protected async fetchBalance(accountId: string): Promise<Balance> {
    const deposit = await this.inquiries.read(
      { operation: 'getBalance', path: KIWOOM_ACCOUNT_PATH, apiId: KIWOOM_API_IDS.DEPOSIT, payload: { qry_tp: '3' } },
      'deposit',
      parseKiwoomDeposit,
    );
    const { totalAssets } = await this.accountBalance('getBalance');
    return new Balance({ accountId, totalEquity: totalAssets, cashBalance: deposit.deposit, buyingPower: deposit.orderable });
  }

  protected async fetchPositions(accountId: string): Promise<Position[]> {
    const { holdings } = await this.accountBalance('getPositions');
    return positionsOfHoldings(accountId, holdings);
  }

  /** kt00018, every page: the holdings and the estimated assets of the first page. */
  private async accountBalance(operation: RestOperation): Promise<{ totalAssets: ReturnType<typeof parseKiwoomAccountBalance>['totalAssets']; holdings: BrokerHolding[] }> {
    const holdings: BrokerHolding[] = [];
    let totalAssets: ReturnType<typeof parseKiwoomAccountBalance>['totalAssets'] | undefined;
    await this.pages(
      { operation, path: KIWOOM_ACCOUNT_PATH, apiId: KIWOOM_API_IDS.ACCOUNT_BALANCE, payload: { qry_tp: '1', dmst_stex_tp: 'KRX' } },
      'account balance',
      parseKiwoomAccountBalance,
      (page) => {
        totalAssets ??= page.totalAssets;
        holdings.push(...page.holdings);
        return true;
      },
    );
    return { totalAssets: totalAssets as NonNullable<typeof totalAssets>, holdings };
  }

  /**
   * Reads pages while Kiwoom says more follow (cont-yn Y) and `accept` asks for more (it returns false once
   * the range it needs is covered).
   */
  private async pages<T>(
    call: Omit<RestCall, 'method'>,
    what: string,
    parse: (record: Record<string, unknown>) => T,
    accept: (page: T) => boolean,
    symbol?: string,
  ): Promise<void> {
    let next: Omit<RestCall, 'method'> = call;
    for (let page = 1; ; page++) {
      const result = await this.inquiries.read(next, what, (record, response) => ({
        value: parse(record),
        continuation: readKiwoomContinuation(response.headers),
      }), symbol);
      const wantsMore = accept(result.value);
      if (!wantsMore || !result.continuation.more) {
        return;
      }
      this.inquiries.requirePageBudget(page, what);
      next = { ...call, continuation: nextKiwoomPageHeaders(result.continuation as KiwoomContinuation) };
    }
  }
}
