import type { IncomingMessage } from 'node:http';
import { Candle, Decimal, formatDecimal, isSymbolCode, Market, Timeframe } from '@qts/broker-domain';
import { OrderSide, OrderStatus, OrderType, PlaceOrderCommand } from '@qts/broker-domain';
import type { BrokerDialect, BrokerRoute, BrokerState } from '../broker/simulated-rest-broker';
import { OrderRefusalAnswers, placeOrderAnswer } from '../broker/order-placement-answer';
import { kstDateOf, kstTimeOf, LedgerRow } from '../broker/simulated-order-ledger';
import { Answer, field, header, json } from '../http/http-exchange';

// The Kiwoom REST API as Kiwoom-Securities/Kiwoom-REST-API shows it (kiwoom/core/auth.py, kiwoom/core/client.py
// and examples/<category>/<api>.py): POST everywhere, the api-id header, return_code / return_msg with a
// bracketed message code, cont-yn / next-key paging in headers, prices with a direction sign.

const PATHS = {
  token: '/oauth2/token',
  order: '/api/dostk/ordr',
  account: '/api/dostk/acnt',
  stockInfo: '/api/dostk/stkinfo',
  marketCondition: '/api/dostk/mrkcond',
  chart: '/api/dostk/chart',
} as const;

/** Rows per page; small enough that clients meet paging with the mock's short lists. */
const PAGE_SIZE = { symbols: 20, orders: 20, holdings: 20, daily: 100, minute: 400 };
/** How far back charts go (further pages end with cont-yn N). */
const CHART_HISTORY_DAYS = { minute: 31, daily: 5 * 366 };
const TIC_SCOPES: Readonly<Record<string, Timeframe>> = { '1': '1m', '5': '5m', '15': '15m', '30': '30m', '60': '60m' };

const ok = (fields: Record<string, unknown>, headers?: Record<string, string>): Answer =>
  json(200, { ...fields, return_code: 0, return_msg: '정상적으로 처리되었습니다' }, headers);
const refusal = (returnCode: number, message: string, status = 200): Answer => json(status, { return_code: returnCode, return_msg: message });

/** Kiwoom writes amounts zero-padded and prices with the direction against the previous close. */
const padded = (value: Decimal): string => {
  const text = value.abs().toFixed(0).padStart(15, '0');
  return value.isNegative() && !value.isZero() ? `-${text}` : text;
};
const directed = (value: Decimal, previous: Decimal | undefined): string => {
  const sign = previous === undefined || value.equals(previous) ? '' : value.greaterThan(previous) ? '+' : '-';
  return `${sign}${formatDecimal(value)}`;
};
const signed = (value: Decimal): string => (value.isZero() ? '0' : `${value.isNegative() ? '-' : '+'}${formatDecimal(value.abs())}`);

/** Kiwoom's answers to an order of `symbol` the broker refuses (an order-system code nested in [2000]). */
const kiwoomOrderRefusals = (symbol: string): OrderRefusalAnswers => ({
  insufficientCash: refusal(20, '[2000](855056:매수증거금이 부족합니다.)'),
  insufficientShares: refusal(20, '[2000](855057:매도가능수량이 부족합니다.)'),
  unknownSymbol: refusal(2, `[1902:종목 정보가 없습니다. 입력한 종목코드 값을 확인바랍니다. 종목코드=${symbol}]`),
  refused: (reason) => refusal(20, `[2000](800000:주문이 거부되었습니다: ${reason})`),
});

export function kiwoomDialect(state: BrokerState): BrokerDialect {
  const secrets = new Map<string, string>();
  /** The app key's account: a Kiwoom app key is issued for one account. */
  const accountOf = (): string => state.config.accounts[0].id;

  const symbolOf = (input: Record<string, unknown>): string | Answer => {
    const code = field(input, 'stk_cd').trim().replace(/^A(?=[0-9A-Z]{6}$)/, '');
    return isSymbolCode(code) && state.symbolCodes.has(code)
      ? code
      : refusal(2, `[1902:종목 정보가 없습니다. 입력한 종목코드 값을 확인바랍니다. 종목코드=${code}]`);
  };

  const route = (path: string, apiIds: readonly string[] | 'token', operation: string, handle: BrokerRoute['handle']): BrokerRoute => ({
    method: 'POST',
    path,
    apiIds,
    operation,
    handle,
  });

  const place = (side: OrderSide) =>
    async ({ input }: { input: Record<string, unknown> }): Promise<Answer> => {
      const symbol = symbolOf(input);
      if (typeof symbol !== 'string') return symbol;
      const tradeType = field(input, 'trde_tp');
      if (tradeType !== '0' && tradeType !== '3') {
        return refusal(2, '[1517:입력 값 형식이 올바르지 않습니다. 파라미터=trde_tp 실패사유=시뮬레이터는 0(보통), 3(시장가)만 지원]');
      }
      if (field(input, 'dmst_stex_tp') !== 'KRX') {
        return refusal(2, '[1517:입력 값 형식이 올바르지 않습니다. 파라미터=dmst_stex_tp 실패사유=모의투자는 KRX만 지원]');
      }
      const limit = tradeType === '0';
      const command: PlaceOrderCommand = {
        accountId: accountOf(),
        symbol,
        side,
        orderType: limit ? OrderType.LIMIT : OrderType.MARKET,
        quantity: Number(field(input, 'ord_qty')),
        ...(limit ? { price: new Decimal(field(input, 'ord_uv') || '0') } : {}),
      };
      return placeOrderAnswer(state.ledger, command, kiwoomOrderRefusals(symbol), (entry) =>
        json(200, {
          ord_no: entry.orderNo,
          dmst_stex_tp: 'KRX',
          return_code: 0,
          return_msg: side === OrderSide.BUY ? '매수주문이 완료되었습니다.' : '매도주문이 완료되었습니다.',
        }),
      );
    };

  const routes: BrokerRoute[] = [
    route(PATHS.token, 'token', 'issueToken', ({ input }) => {
      const appKey = field(input, 'appkey');
      const secret = field(input, 'secretkey');
      if (field(input, 'grant_type') !== 'client_credentials') {
        return refusal(3, '[8012:Access Token을 발급하는데 실패했습니다. grant_type의 값이 맞지 않습니다]');
      }
      if (appKey === '' || secret === '') {
        return refusal(3, '[8020:입력파라미터로 appkey 또는 secretkey가 들어오지 않았습니다.]');
      }
      const known = secrets.get(appKey);
      if ((state.acceptedAppKeys.length > 0 && !state.acceptedAppKeys.includes(appKey)) || (known !== undefined && known !== secret)) {
        return refusal(3, '[8001:App Key와 Secret Key 검증에 실패했습니다]');
      }
      secrets.set(appKey, secret);
      const issued = state.tokens.issue(appKey);
      const expires = new Date(issued.expiresAt);
      return json(200, {
        expires_dt: `${kstDateOf(expires)}${kstTimeOf(expires)}`,
        token_type: 'bearer',
        token: issued.token,
        return_code: 0,
        return_msg: '정상적으로 처리되었습니다',
      });
    }),

    route(PATHS.order, ['kt10000'], 'placeOrder', place(OrderSide.BUY)),
    route(PATHS.order, ['kt10001'], 'placeOrder', place(OrderSide.SELL)),
    route(PATHS.order, ['kt10003'], 'cancelOrder', async ({ input }) => {
      if (field(input, 'cncl_qty') !== '0') {
        return refusal(2, '[1517:입력 값 형식이 올바르지 않습니다. 파라미터=cncl_qty 실패사유=시뮬레이터는 잔량 전부 취소(0)만 지원]');
      }
      const original = state.ledger.find(field(input, 'orig_ord_no'));
      const symbol = field(input, 'stk_cd').replace(/^A/, '');
      if (original === undefined || original.symbol !== symbol) {
        return refusal(20, '[2000](800100:원주문번호가 존재하지 않습니다.)');
      }
      try {
        const cancelled = await state.ledger.cancel(original.orderNo);
        if (cancelled === undefined) return refusal(20, '[2000](800100:원주문번호가 존재하지 않습니다.)');
        return json(200, {
          ord_no: cancelled.cancel.orderNo,
          base_orig_ord_no: original.orderNo,
          cncl_qty: String(cancelled.cancel.quantity),
          return_code: 0,
          return_msg: '취소주문이 완료되었습니다.',
        });
      } catch {
        return refusal(20, '[2000](800200:취소가능수량이 없습니다.)');
      }
    }),

    route(PATHS.account, ['kt00007', 'kt00001', 'kt00018'], 'getOrderStatus', async ({ apiId, input, request }) => {
      const account = accountOf();
      if (apiId === 'kt00001') {
        const balance = await state.mock.getBalance(account);
        return ok({ entr: padded(balance.cashBalance), ord_alow_amt: padded(balance.buyingPower), pymn_alow_amt: padded(balance.buyingPower) });
      }
      if (apiId === 'kt00018') {
        const positions = await state.mock.getPositions(account);
        const balance = await state.mock.getBalance(account);
        const page = pageOf(positions, request, PAGE_SIZE.holdings);
        return ok(
          {
            tot_pur_amt: padded(positions.reduce((sum, position) => sum.plus(position.avgPrice.times(position.quantity)), new Decimal(0))),
            tot_evlt_amt: padded(balance.totalEquity.minus(balance.cashBalance)),
            prsm_dpst_aset_amt: padded(balance.totalEquity),
            acnt_evlt_remn_indv_tot: page.items.map((position) => ({
              stk_cd: `A${position.symbol}`,
              stk_nm: position.symbolName,
              rmnd_qty: String(position.quantity).padStart(15, '0'),
              trde_able_qty: String(position.quantity).padStart(15, '0'),
              pur_pric: formatDecimal(position.avgPrice),
              cur_prc: formatDecimal(position.currentPrice),
              evlt_amt: padded(position.marketValue),
              evltv_prft: padded(position.unrealizedPnl),
              prft_rt: position.unrealizedPnlPct.toFixed(2),
            })),
          },
          page.headers,
        );
      }
      const sellType = field(input, 'sell_tp');
      const rows = await state.ledger.rows({
        accountId: account,
        fromDate: field(input, 'ord_dt') || kstDateOf(state.clock()),
        toDate: field(input, 'ord_dt') || kstDateOf(state.clock()),
        symbol: field(input, 'stk_cd').replace(/^A/, ''),
        ...(sellType === '1' ? { side: OrderSide.SELL } : sellType === '2' ? { side: OrderSide.BUY } : {}),
      });
      const from = field(input, 'fr_ord_no').replace(/^0+(?=\d)/, '');
      const listed = from === '' ? rows : rows.filter((row) => Number(row.entry.orderNo) >= Number(from));
      const page = pageOf(listed, request, PAGE_SIZE.orders);
      return ok({ acnt_ord_cntr_prps_dtl: page.items.map(kiwoomOrderRow) }, page.headers);
    }),

    route(PATHS.stockInfo, ['ka10099', 'ka10001'], 'getSymbols', async ({ apiId, input, request }) => {
      if (apiId === 'ka10099') {
        const market = field(input, 'mrkt_tp') === '0' ? Market.KOSPI : field(input, 'mrkt_tp') === '10' ? Market.KOSDAQ : undefined;
        const symbols = market === undefined ? [] : (await state.mock.getSymbols()).filter((symbol) => symbol.market === market);
        const page = pageOf(symbols, request, PAGE_SIZE.symbols);
        return ok(
          {
            list: page.items.map((symbol) => ({
              code: symbol.code,
              name: symbol.name,
              marketCode: field(input, 'mrkt_tp'),
              marketName: symbol.market === Market.KOSPI ? '거래소' : '코스닥',
              upName: symbol.sector ?? '',
              state: '증거금20%',
              nxtEnable: 'Y',
            })),
          },
          page.headers,
        );
      }
      const symbol = symbolOf(input);
      if (typeof symbol !== 'string') return symbol;
      const quote = await state.mock.getQuote(symbol);
      const base = quote.previousClose;
      return ok({
        stk_cd: symbol,
        cur_prc: directed(quote.price, base),
        pred_pre: signed(quote.change),
        flu_rt: signed(quote.changeRate),
        open_pric: quote.open === undefined ? '0' : directed(quote.open, base),
        high_pric: quote.high === undefined ? '0' : directed(quote.high, base),
        low_pric: quote.low === undefined ? '0' : directed(quote.low, base),
        base_pric: base === undefined ? '0' : formatDecimal(base),
        trde_qty: String(quote.volume),
      });
    }),

    route(PATHS.marketCondition, ['ka10004'], 'getQuote', async ({ input }) => {
      const symbol = symbolOf(input);
      if (typeof symbol !== 'string') return symbol;
      const quote = await state.mock.getQuote(symbol);
      return ok({
        bid_req_base_tm: kstTimeOf(quote.timestamp),
        sel_fpr_bid: directed(quote.ask, quote.previousClose),
        sel_fpr_req: String(quote.askSize),
        buy_fpr_bid: directed(quote.bid, quote.previousClose),
        buy_fpr_req: String(quote.bidSize),
      });
    }),

    route(PATHS.chart, ['ka10080', 'ka10081', 'ka10082'], 'getCandles', async ({ apiId, input, request }) => {
      const symbol = symbolOf(input);
      if (typeof symbol !== 'string') return symbol;
      const baseDate = field(input, 'base_dt') || kstDateOf(state.clock());
      const end = dateEnd(baseDate);
      if (end === undefined) {
        return refusal(2, '[1517:입력 값 형식이 올바르지 않습니다. 파라미터=base_dt 실패사유=YYYYMMDD]');
      }
      if (apiId === 'ka10080') {
        const timeframe = TIC_SCOPES[field(input, 'tic_scope')];
        if (timeframe === undefined) {
          return refusal(2, '[1517:입력 값 형식이 올바르지 않습니다. 파라미터=tic_scope 실패사유=시뮬레이터는 1, 5, 15, 30, 60만 지원]');
        }
        const page = await chartPage(state, symbol, timeframe, end, CHART_HISTORY_DAYS.minute, request, PAGE_SIZE.minute);
        return ok({ stk_cd: symbol, stk_min_pole_chart_qry: page.candles.map((candle) => ({
          cur_prc: directed(candle.close, candle.open),
          trde_qty: String(candle.volume),
          cntr_tm: `${kstDateOf(candle.timestamp)}${kstTimeOf(candle.timestamp)}`,
          open_pric: formatDecimal(candle.open),
          high_pric: formatDecimal(candle.high),
          low_pric: formatDecimal(candle.low),
        })) }, page.headers);
      }
      const weekly = apiId === 'ka10082';
      const page = await chartPage(state, symbol, weekly ? '1w' : '1d', end, CHART_HISTORY_DAYS.daily, request, PAGE_SIZE.daily);
      const rows = page.candles.map((candle) => ({
        cur_prc: formatDecimal(candle.close),
        trde_qty: String(candle.volume),
        dt: kstDateOf(candle.timestamp),
        open_pric: formatDecimal(candle.open),
        high_pric: formatDecimal(candle.high),
        low_pric: formatDecimal(candle.low),
      }));
      return ok({ stk_cd: symbol, [weekly ? 'stk_stk_pole_chart_qry' : 'stk_dt_pole_chart_qry']: rows }, page.headers);
    }),
  ];

  return {
    routes,
    apiIdOf: (request: IncomingMessage) => header(request, 'api-id'),
    appKeyOf: (request: IncomingMessage, input: Record<string, unknown>, tokenRoute: boolean) =>
      tokenRoute
        ? field(input, 'appkey')
        : (state.tokens.check(header(request, 'authorization').replace(/^Bearer\s+/i, '')).appKey ?? ''),
    authenticate(request: IncomingMessage) {
      const authorization = header(request, 'authorization');
      if (authorization === '') return refusal(3, '[1513:Http Header에 authorization 필드가 설정되어 있어야 합니다]');
      if (!/^Bearer\s+\S+$/i.test(authorization)) return refusal(3, '[1514:입력으로 들어온 Http Header의 authorization 필드 형식이 맞지 않습니다]');
      const check = state.tokens.check(authorization.replace(/^Bearer\s+/i, ''));
      if (check.result !== 'valid' || check.appKey === undefined) return refusal(3, '[8005:Token이 유효하지 않습니다]');
      return { appKey: check.appKey };
    },
    rateLimited(_violation, apiId) {
      return refusal(5, `허용된 요청 개수를 초과하였습니다[1700:허용된 요청 개수를 초과하였습니다. API ID=${apiId}]`, 429);
    },
    injectedFailure(failure) {
      return failure.brokerCode === undefined
        ? json(failure.status, { error: 'injected failure' })
        : refusal(Number.isInteger(Number(failure.brokerCode)) && failure.brokerCode.length <= 2 ? Number(failure.brokerCode) : 1, `[${failure.brokerCode}:injected failure]`, failure.status);
    },
    badRequest(message) {
      return refusal(2, `[1504:해당 URI에서는 지원하는 API ID가 아닙니다. ${message}]`);
    },
  };
}

function kiwoomOrderRow(row: LedgerRow): Record<string, string> {
  const { entry } = row;
  const cancelRow = entry.kind === 'cancel';
  const direction = entry.side === OrderSide.BUY ? '현금매수' : '현금매도';
  return {
    ord_no: entry.orderNo,
    stk_cd: `A${entry.symbol}`,
    trde_tp: entry.orderType === OrderType.LIMIT ? '보통' : '시장가',
    crd_tp: '',
    ord_qty: String(entry.quantity),
    ord_uv: entry.price === undefined ? '0' : formatDecimal(entry.price),
    cnfm_qty: String(entry.quantity),
    acpt_tp: row.status === OrderStatus.REJECTED ? '거부' : cancelRow || row.status !== OrderStatus.ACCEPTED ? '확인' : '접수',
    rsrv_tp: '',
    ord_tm: kstTimeOf(entry.orderedAt).replace(/(\d{2})(\d{2})(\d{2})/, '$1:$2:$3'),
    ori_ord: entry.originalOrderNo ?? '0000000',
    stk_nm: entry.symbol,
    io_tp_nm: `${direction}${cancelRow ? '취소' : ''}`,
    loan_dt: '',
    cntr_qty: String(row.filled),
    cntr_uv: row.avgFillPrice === undefined ? '0' : formatDecimal(row.avgFillPrice),
    ord_remnq: String(row.remaining),
    comm_ord_tp: 'REST',
    mdfy_cncl: cancelRow ? '취소' : '',
    cnfm_tm: kstTimeOf(entry.orderedAt).replace(/(\d{2})(\d{2})(\d{2})/, '$1:$2:$3'),
    dmst_stex_tp: 'KRX',
    cond_uv: '',
  };
}

/** A page of a list from the offset in next-key (a follow-up sends cont-yn Y). */
function pageOf<T>(items: readonly T[], request: IncomingMessage, size: number): { items: T[]; headers: Record<string, string> } {
  const key = header(request, 'next-key');
  const offset = header(request, 'cont-yn') === 'Y' && /^\d+$/.test(key) ? Number(key) : 0;
  const more = offset + size < items.length;
  return {
    items: items.slice(offset, offset + size),
    headers: { 'cont-yn': more ? 'Y' : 'N', 'next-key': more ? String(offset + size) : '' },
  };
}

/**
 * Bars of a chart, newest first from `end` backwards, `size` a page. next-key holds the start (ms) of the
 * next older bar; history ends `historyDays` before `end`.
 */
async function chartPage(
  state: BrokerState,
  symbol: string,
  timeframe: Timeframe,
  end: Date,
  historyDays: number,
  request: IncomingMessage,
  size: number,
): Promise<{ candles: Candle[]; headers: Record<string, string> }> {
  const key = header(request, 'next-key');
  const until = header(request, 'cont-yn') === 'Y' && /^\d+$/.test(key) ? new Date(Number(key)) : end;
  const oldest = end.getTime() - historyDays * 86_400_000;
  const candles: Candle[] = [];
  // Walk back a window at a time until the page is full or history ends.
  const windowMs = timeframe === '1d' || timeframe === '1w' ? 400 * 86_400_000 : 7 * 86_400_000;
  let to = until.getTime();
  while (candles.length < size && to > oldest) {
    const from = Math.max(oldest, to - windowMs);
    const found = await state.mock.getCandles(symbol, timeframe, new Date(from), new Date(to));
    candles.push(...found.reverse());
    to = from - 1;
  }
  const page = candles.slice(0, size);
  const last = page[page.length - 1];
  const more = candles.length > size || (last !== undefined && to > oldest);
  const next = candles.length > size ? candles[size].timestamp.getTime() : to;
  return { candles: page, headers: { 'cont-yn': more ? 'Y' : 'N', 'next-key': more ? String(next) : '' } };
}

function dateEnd(date: string): Date | undefined {
  if (!/^\d{8}$/.test(date)) return undefined;
  const at = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T23:59:59.999+09:00`);
  return Number.isNaN(at) ? undefined : new Date(at);
}
