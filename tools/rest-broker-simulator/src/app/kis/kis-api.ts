import type { IncomingMessage } from 'node:http';
import { Candle, Decimal, formatDecimal, isSymbolCode, Market, Quote } from '@qts/broker-domain';
import { OrderSide, OrderStatus, OrderType, PlaceOrderCommand } from '@qts/broker-domain';
import type { BrokerDialect, BrokerRoute, BrokerState } from '../broker/simulated-rest-broker';
import { OrderRefusalAnswers, placeOrderAnswer } from '../broker/order-placement-answer';
import { kstDateOf, kstTimeOf, LedgerRow } from '../broker/simulated-order-ledger';
import { Answer, field, header, json } from '../http/http-exchange';

// The KIS Open API as koreainvestment/open-trading-api shows it (examples_llm/domestic_stock/<name>/<name>.py,
// examples_user/kis_auth.py): paths, tr_id per server, upper-case request fields, lower-case answer fields,
// rt_cd / msg_cd / msg1, tr_cont paging.

const PATHS = {
  token: '/oauth2/tokenP',
  orderCash: '/uapi/domestic-stock/v1/trading/order-cash',
  orderCancel: '/uapi/domestic-stock/v1/trading/order-rvsecncl',
  dailyOrders: '/uapi/domestic-stock/v1/trading/inquire-daily-ccld',
  balance: '/uapi/domestic-stock/v1/trading/inquire-balance',
  buyingPower: '/uapi/domestic-stock/v1/trading/inquire-psbl-order',
  price: '/uapi/domestic-stock/v1/quotations/inquire-price',
  askingPrice: '/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn',
  dailyChart: '/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice',
  minuteChart: '/uapi/domestic-stock/v1/quotations/inquire-time-dailychartprice',
  stockInfo: '/uapi/domestic-stock/v1/quotations/search-stock-info',
} as const;

/** Page sizes KIS documents per server (inquire-daily-ccld: 100 real, 15 paper; inquire-balance: 50 / 20). */
const PAGE_SIZE = { orders: { real: 100, paper: 15 }, balance: { real: 50, paper: 20 } };
const DAILY_ROWS = 100;
const MINUTE_ROWS = 120;
const BRANCH_NO = '91252';

const ok = (msg1: string, fields: Record<string, unknown>, headers?: Record<string, string>): Answer =>
  json(200, { rt_cd: '0', msg_cd: 'MCA00000', msg1, ...fields }, headers);
const refusal = (status: number, msgCd: string, msg1: string): Answer => json(status, { rt_cd: '1', msg_cd: msgCd, msg1 });

/** KIS' answers to an order the broker refuses. */
const KIS_ORDER_REFUSALS: OrderRefusalAnswers = {
  insufficientCash: refusal(200, 'APBK0952', '주문가능금액을 초과 했습니다'),
  insufficientShares: refusal(200, 'APBK0400', '매도가능수량을 초과하였습니다.'),
  unknownSymbol: refusal(200, 'APBK0656', '해당종목정보가 없습니다.'),
  refused: (reason) => refusal(200, 'APBK0017', `주문이 거부되었습니다: ${reason}`),
};

export function kisDialect(state: BrokerState): BrokerDialect {
  const server = state.config.paper ? 'paper' : 'real';
  const trIds = (real: string[]) => (state.config.paper ? real.map((id) => `V${id.slice(1)}`) : real);
  const secrets = new Map<string, string>();

  const route = (method: 'GET' | 'POST', path: string, apiIds: readonly string[] | 'token', operation: string, handle: BrokerRoute['handle']): BrokerRoute => ({
    method,
    path,
    apiIds,
    operation,
    handle,
  });

  /** The account of CANO + ACNT_PRDT_CD, or the refusal KIS gives for an account the app key does not hold. */
  const accountOf = (input: Record<string, unknown>): string | Answer => {
    const digits = `${field(input, 'CANO')}${field(input, 'ACNT_PRDT_CD')}`;
    const account = state.config.accounts.find((candidate) => candidate.id.replace(/-/g, '') === digits);
    return account === undefined ? refusal(500, 'OPSQ2000', 'ERROR : INPUT INVALID_CHECK_ACNO') : account.id;
  };

  const symbolOf = (input: Record<string, unknown>, name: string): string | Answer => {
    const code = field(input, name).trim();
    return isSymbolCode(code) && state.symbolCodes.has(code) ? code : refusal(200, 'APBK0656', '해당종목정보가 없습니다.');
  };

  const routes: BrokerRoute[] = [
    route('POST', PATHS.token, 'token', 'issueToken', ({ input }) => {
      const appKey = field(input, 'appkey');
      const appSecret = field(input, 'appsecret');
      if (field(input, 'grant_type') !== 'client_credentials') {
        return json(403, { error_code: 'EGW00002', error_description: 'grant_type은 client_credentials이어야 합니다.' });
      }
      if (appKey === '' || (state.acceptedAppKeys.length > 0 && !state.acceptedAppKeys.includes(appKey))) {
        return json(403, { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' });
      }
      const knownSecret = secrets.get(appKey);
      if (appSecret === '' || (knownSecret !== undefined && knownSecret !== appSecret)) {
        return json(403, { error_code: 'EGW00105', error_description: '유효하지 않은 AppSecret입니다.' });
      }
      secrets.set(appKey, appSecret);
      const issued = state.tokens.issue(appKey);
      const expires = new Date(issued.expiresAt);
      return json(200, {
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: Math.round((issued.expiresAt - state.clock().getTime()) / 1000),
        access_token_token_expired: `${kstDateOf(expires).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')} ${kstTimeOf(expires).replace(/(\d{2})(\d{2})(\d{2})/, '$1:$2:$3')}`,
      });
    }),

    route('POST', PATHS.orderCash, trIds(['TTTC0012U', 'TTTC0011U', 'TTTC0802U', 'TTTC0801U']), 'placeOrder', async ({ apiId, input }) => {
      const account = accountOf(input);
      if (typeof account !== 'string') return account;
      const symbol = symbolOf(input, 'PDNO');
      if (typeof symbol !== 'string') return symbol;
      const division = field(input, 'ORD_DVSN');
      if (division !== '00' && division !== '01') {
        return refusal(200, 'APBK0017', '주문구분을 확인하세요 (시뮬레이터: 지정가 00, 시장가 01만 지원).');
      }
      const quantity = Number(field(input, 'ORD_QTY'));
      const limit = division === '00';
      const command: PlaceOrderCommand = {
        accountId: account,
        symbol,
        side: apiId.endsWith('0012U') || apiId.endsWith('0802U') ? OrderSide.BUY : OrderSide.SELL,
        orderType: limit ? OrderType.LIMIT : OrderType.MARKET,
        quantity,
        ...(limit ? { price: new Decimal(field(input, 'ORD_UNPR') || '0') } : {}),
      };
      return placeOrderAnswer(state.ledger, command, KIS_ORDER_REFUSALS, (entry) =>
        json(200, {
          rt_cd: '0',
          msg_cd: state.config.paper ? '40600000' : 'APBK0013',
          msg1: state.config.paper ? '모의투자 매수주문이 완료 되었습니다.' : '주문 전송 완료 되었습니다.',
          output: { KRX_FWDG_ORD_ORGNO: BRANCH_NO, ODNO: entry.orderNo, ORD_TMD: kstTimeOf(entry.orderedAt) },
        }),
      );
    }),

    route('POST', PATHS.orderCancel, trIds(['TTTC0013U', 'TTTC0803U']), 'cancelOrder', async ({ input }) => {
      const account = accountOf(input);
      if (typeof account !== 'string') return account;
      if (field(input, 'RVSE_CNCL_DVSN_CD') !== '02' || field(input, 'QTY_ALL_ORD_YN') !== 'Y') {
        return refusal(200, 'APBK0017', '시뮬레이터는 잔량 전부 취소(RVSE_CNCL_DVSN_CD 02, QTY_ALL_ORD_YN Y)만 지원합니다.');
      }
      const original = state.ledger.find(field(input, 'ORGN_ODNO'));
      if (original === undefined || original.accountId !== account || field(input, 'KRX_FWDG_ORD_ORGNO') !== BRANCH_NO) {
        return refusal(200, 'APBK0344', '원주문번호가 존재하지 않습니다.');
      }
      try {
        const cancelled = await state.ledger.cancel(original.orderNo);
        if (cancelled === undefined) return refusal(200, 'APBK0344', '원주문번호가 존재하지 않습니다.');
        return json(200, {
          rt_cd: '0',
          msg_cd: 'APBK0013',
          msg1: '주문 전송 완료 되었습니다.',
          output: { KRX_FWDG_ORD_ORGNO: BRANCH_NO, ODNO: cancelled.cancel.orderNo, ORD_TMD: kstTimeOf(cancelled.cancel.orderedAt) },
        });
      } catch {
        return refusal(200, 'APBK1230', '정정/취소할 수량이 없습니다.');
      }
    }),

    route('GET', PATHS.dailyOrders, trIds(['TTTC0081R', 'TTTC8001R']), 'getOrderStatus', async ({ input, request }) => {
      const account = accountOf(input);
      if (typeof account !== 'string') return account;
      const sideCode = field(input, 'SLL_BUY_DVSN_CD');
      let rows = await state.ledger.rows({
        accountId: account,
        fromDate: field(input, 'INQR_STRT_DT'),
        toDate: field(input, 'INQR_END_DT'),
        symbol: field(input, 'PDNO'),
        ...(sideCode === '01' ? { side: OrderSide.SELL } : sideCode === '02' ? { side: OrderSide.BUY } : {}),
      });
      const orderNo = field(input, 'ODNO').replace(/^0+(?=\d)/, '');
      if (orderNo !== '') {
        rows = rows.filter((row) => row.entry.orderNo.replace(/^0+(?=\d)/, '') === orderNo);
      }
      // INQR_DVSN 00: newest first.
      rows.reverse();
      const page = pageOf(rows, field(input, 'CTX_AREA_NK100'), PAGE_SIZE.orders[server], header(request, 'tr_cont'));
      return ok('조회 되었습니다.', {
        ctx_area_fk100: page.more ? 'SIMFK' : '',
        ctx_area_nk100: page.more ? String(page.next) : '',
        output1: page.items.map(kisOrderRow),
        output2: { tot_ord_qty: String(rows.reduce((sum, row) => sum + row.entry.quantity, 0)) },
      }, { tr_cont: page.more ? 'M' : 'D' });
    }),

    route('GET', PATHS.balance, trIds(['TTTC8434R']), 'getBalance', async ({ input, request }) => {
      const account = accountOf(input);
      if (typeof account !== 'string') return account;
      const positions = await state.mock.getPositions(account);
      const balance = await state.mock.getBalance(account);
      const page = pageOf(positions, field(input, 'CTX_AREA_NK100'), PAGE_SIZE.balance[server], header(request, 'tr_cont'));
      return ok('조회가 완료되었습니다.', {
        ctx_area_fk100: page.more ? 'SIMFK' : '',
        ctx_area_nk100: page.more ? String(page.next) : '',
        output1: page.items.map((position) => ({
          pdno: position.symbol,
          prdt_name: position.symbolName,
          hldg_qty: String(position.quantity),
          ord_psbl_qty: String(position.quantity),
          pchs_avg_pric: formatDecimal(position.avgPrice),
          pchs_amt: position.avgPrice.times(position.quantity).toFixed(0),
          prpr: formatDecimal(position.currentPrice),
          evlu_amt: position.marketValue.toFixed(0),
          evlu_pfls_amt: position.unrealizedPnl.toFixed(0),
          evlu_pfls_rt: position.unrealizedPnlPct.toFixed(2),
        })),
        output2: [
          {
            dnca_tot_amt: balance.cashBalance.toFixed(0),
            prvs_rcdl_excc_amt: balance.cashBalance.toFixed(0),
            scts_evlu_amt: balance.totalEquity.minus(balance.cashBalance).toFixed(0),
            tot_evlu_amt: balance.totalEquity.toFixed(0),
            nass_amt: balance.totalEquity.toFixed(0),
          },
        ],
      }, { tr_cont: page.more ? 'M' : 'D' });
    }),

    route('GET', PATHS.buyingPower, trIds(['TTTC8908R']), 'getBalance', async ({ input }) => {
      const account = accountOf(input);
      if (typeof account !== 'string') return account;
      const balance = await state.mock.getBalance(account);
      return ok('정상처리 되었습니다.', {
        output: {
          ord_psbl_cash: balance.buyingPower.toFixed(0),
          nrcvb_buy_amt: balance.buyingPower.toFixed(0),
          max_buy_amt: balance.buyingPower.toFixed(0),
        },
      });
    }),

    route('GET', PATHS.price, ['FHKST01010100'], 'getQuote', async ({ input }) => {
      const symbol = symbolOf(input, 'FID_INPUT_ISCD');
      if (typeof symbol !== 'string') return symbol;
      const quote = await state.mock.getQuote(symbol);
      return ok('정상처리 되었습니다.', { output: kisPriceOutput(quote) });
    }),

    route('GET', PATHS.askingPrice, ['FHKST01010200'], 'getQuote', async ({ input }) => {
      const symbol = symbolOf(input, 'FID_INPUT_ISCD');
      if (typeof symbol !== 'string') return symbol;
      const quote = await state.mock.getQuote(symbol);
      return ok('정상처리 되었습니다.', {
        output1: {
          aspr_acpt_hour: kstTimeOf(quote.timestamp),
          askp1: formatDecimal(quote.ask),
          bidp1: formatDecimal(quote.bid),
          askp_rsqn1: String(quote.askSize),
          bidp_rsqn1: String(quote.bidSize),
        },
        output2: { stck_prpr: formatDecimal(quote.price), stck_shrn_iscd: symbol },
      });
    }),

    route('GET', PATHS.dailyChart, ['FHKST03010100'], 'getCandles', async ({ input }) => {
      const symbol = symbolOf(input, 'FID_INPUT_ISCD');
      if (typeof symbol !== 'string') return symbol;
      const period = field(input, 'FID_PERIOD_DIV_CODE');
      if (period !== 'D' && period !== 'W') {
        return refusal(200, 'OPSQ0001', '시뮬레이터는 일봉(D)과 주봉(W)만 지원합니다.');
      }
      const from = dateStart(field(input, 'FID_INPUT_DATE_1'));
      const to = dateEnd(field(input, 'FID_INPUT_DATE_2'));
      if (from === undefined || to === undefined || from > to) {
        return refusal(200, 'OPSQ0001', '조회 기간을 확인하세요.');
      }
      const candles = (await state.mock.getCandles(symbol, period === 'D' ? '1d' : '1w', from, to)).reverse().slice(0, DAILY_ROWS);
      return ok('정상처리 되었습니다.', {
        output1: { stck_shrn_iscd: symbol },
        output2: candles.map((candle) => ({
          stck_bsop_date: kstDateOf(candle.timestamp),
          stck_oprc: formatDecimal(candle.open),
          stck_hgpr: formatDecimal(candle.high),
          stck_lwpr: formatDecimal(candle.low),
          stck_clpr: formatDecimal(candle.close),
          acml_vol: String(candle.volume),
        })),
      });
    }),

    route('GET', PATHS.minuteChart, ['FHKST03010230'], 'getCandles', async ({ input }) => {
      const symbol = symbolOf(input, 'FID_INPUT_ISCD');
      if (typeof symbol !== 'string') return symbol;
      const day = dateStart(field(input, 'FID_INPUT_DATE_1'));
      const hour = field(input, 'FID_INPUT_HOUR_1');
      if (day === undefined || !/^\d{6}$/.test(hour)) {
        return refusal(200, 'OPSQ0001', '입력 날짜와 시간을 확인하세요.');
      }
      const until = new Date(day.getTime() + secondsOf(hour) * 1000);
      const candles = (await state.mock.getCandles(symbol, '1m', day, until)).reverse().slice(0, MINUTE_ROWS);
      return ok('정상처리 되었습니다.', { output1: { stck_shrn_iscd: symbol }, output2: candles.map(kisMinuteRow) });
    }),

    route('GET', PATHS.stockInfo, ['CTPF1002R'], 'getSymbols', async ({ input }) => {
      const code = field(input, 'PDNO');
      const symbol = (await state.mock.getSymbols()).find((candidate) => candidate.code === code);
      if (symbol === undefined) {
        return refusal(200, 'APBK0656', '해당종목정보가 없습니다.');
      }
      return ok('정상처리 되었습니다.', {
        output: {
          pdno: code,
          prdt_type_cd: '300',
          prdt_name: symbol.name,
          prdt_abrv_name: symbol.name,
          prdt_eng_abrv_name: symbol.englishName ?? '',
          mket_id_cd: symbol.market === Market.KOSPI ? 'STK' : 'KSQ',
          idx_bztp_mcls_cd_name: symbol.sector ?? '',
          std_pdno: `KR7${code}003`,
        },
      });
    }),
  ];

  return {
    routes,
    apiIdOf: (request: IncomingMessage) => header(request, 'tr_id'),
    appKeyOf: (request: IncomingMessage, input: Record<string, unknown>, tokenRoute: boolean) =>
      tokenRoute ? field(input, 'appkey') : header(request, 'appkey'),
    authenticate(request: IncomingMessage) {
      const appKey = header(request, 'appkey');
      if (appKey === '') return refusal(500, 'EGW00102', 'AppKey는 필수입니다.');
      if (header(request, 'appsecret') === '') return refusal(500, 'EGW00104', 'AppSecret는 필수입니다.');
      const token = header(request, 'authorization').replace(/^Bearer\s+/i, '');
      const check = state.tokens.check(token, appKey);
      if (check.result === 'expired') return refusal(200, 'EGW00123', '기간이 만료된 token 입니다.');
      if (check.result !== 'valid') return refusal(200, 'EGW00121', '유효하지 않은 token 입니다.');
      if (secrets.get(appKey) !== header(request, 'appsecret')) return refusal(500, 'EGW00105', '유효하지 않은 AppSecret입니다.');
      return { appKey };
    },
    rateLimited(violation) {
      return violation.ruleId === 'token'
        ? json(403, { error_code: 'EGW00133', error_description: '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)' })
        : refusal(500, 'EGW00201', '초당 거래건수를 초과하였습니다.');
    },
    injectedFailure(failure) {
      return failure.brokerCode === undefined
        ? json(failure.status, { error: 'injected failure' })
        : refusal(failure.status, failure.brokerCode, 'injected failure');
    },
    badRequest(message) {
      return refusal(500, 'OPSQ0002', `없는 서비스 코드 입니다. (${message})`);
    },
  };
}

function kisOrderRow(row: LedgerRow): Record<string, string> {
  const { entry } = row;
  const cancelRow = entry.kind === 'cancel';
  return {
    ord_dt: kstDateOf(entry.orderedAt),
    ord_gno_brno: BRANCH_NO,
    odno: entry.orderNo,
    orgn_odno: entry.originalOrderNo ?? '',
    ord_dvsn_name: entry.orderType === OrderType.LIMIT ? '지정가' : '시장가',
    sll_buy_dvsn_cd: entry.side === OrderSide.SELL ? '01' : '02',
    sll_buy_dvsn_cd_name: `${entry.side === OrderSide.SELL ? '현금매도' : '현금매수'}${cancelRow ? '취소' : ''}`,
    pdno: entry.symbol,
    ord_qty: String(entry.quantity),
    ord_unpr: entry.price === undefined ? '0' : formatDecimal(entry.price),
    ord_tmd: kstTimeOf(entry.orderedAt),
    tot_ccld_qty: String(row.filled),
    avg_prvs: row.avgFillPrice === undefined ? '0' : formatDecimal(row.avgFillPrice),
    cncl_yn: cancelRow ? 'Y' : 'N',
    tot_ccld_amt: row.avgFillPrice === undefined ? '0' : row.avgFillPrice.times(row.filled).toFixed(0),
    ord_dvsn_cd: entry.orderType === OrderType.LIMIT ? '00' : '01',
    cnc_cfrm_qty: String(row.cancelled),
    rmn_qty: String(row.remaining),
    rjct_qty: row.status === OrderStatus.REJECTED ? String(entry.quantity) : '0',
    excg_id_dvsn_cd: 'KRX',
  };
}

function kisPriceOutput(quote: Quote): Record<string, string> {
  const sign = quote.change.isPositive() && !quote.change.isZero() ? '2' : quote.change.isZero() ? '3' : '5';
  return {
    stck_shrn_iscd: quote.symbol,
    stck_prpr: formatDecimal(quote.price),
    prdy_vrss: formatDecimal(quote.change),
    prdy_vrss_sign: sign,
    prdy_ctrt: quote.changeRate.toFixed(2),
    stck_oprc: quote.open === undefined ? '0' : formatDecimal(quote.open),
    stck_hgpr: quote.high === undefined ? '0' : formatDecimal(quote.high),
    stck_lwpr: quote.low === undefined ? '0' : formatDecimal(quote.low),
    stck_sdpr: quote.previousClose === undefined ? '0' : formatDecimal(quote.previousClose),
    acml_vol: String(quote.volume),
  };
}

function kisMinuteRow(candle: Candle): Record<string, string> {
  return {
    stck_bsop_date: kstDateOf(candle.timestamp),
    stck_cntg_hour: kstTimeOf(candle.timestamp),
    stck_prpr: formatDecimal(candle.close),
    stck_oprc: formatDecimal(candle.open),
    stck_hgpr: formatDecimal(candle.high),
    stck_lwpr: formatDecimal(candle.low),
    cntg_vol: String(candle.volume),
  };
}

/** A page of `items` from the offset in CTX_AREA_NK100 (a follow-up needs tr_cont N). */
export function pageOf<T>(items: readonly T[], cursor: string, size: number, trCont: string): { items: T[]; more: boolean; next: number } {
  const offset = trCont === 'N' && /^\d+$/.test(cursor) ? Number(cursor) : 0;
  const page = items.slice(offset, offset + size);
  return { items: page, more: offset + size < items.length, next: offset + size };
}

/** 00:00 KST of a YYYYMMDD date. */
function dateStart(date: string): Date | undefined {
  if (!/^\d{8}$/.test(date)) return undefined;
  const at = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00+09:00`);
  return Number.isNaN(at) ? undefined : new Date(at);
}

/** The last millisecond (KST) of a YYYYMMDD date. */
function dateEnd(date: string): Date | undefined {
  const start = dateStart(date);
  return start === undefined ? undefined : new Date(start.getTime() + 86_400_000 - 1);
}

function secondsOf(hhmmss: string): number {
  return Number(hhmmss.slice(0, 2)) * 3600 + Number(hhmmss.slice(2, 4)) * 60 + Number(hhmmss.slice(4, 6));
}
