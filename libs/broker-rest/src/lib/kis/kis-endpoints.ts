import { OrderSide } from '@qts/broker-domain';

export const KIS_REAL_BASE_URL = 'https://openapi.koreainvestment.com:9443';
export const KIS_PAPER_BASE_URL = 'https://openapivts.koreainvestment.com:29443';

/** Token issuance: POST, body { grant_type, appkey, appsecret } (examples_llm/auth/auth_token/auth_token.py). */
export const KIS_TOKEN_PATH = '/oauth2/tokenP';

// Paths and tr_ids below as in koreainvestment/open-trading-api examples_llm/domestic_stock/<name>/<name>.py
// (checked against the repository snapshot of 2026-07-09).
export const KIS_ORDER_CASH_PATH = '/uapi/domestic-stock/v1/trading/order-cash';
export const KIS_ORDER_REVISE_CANCEL_PATH = '/uapi/domestic-stock/v1/trading/order-rvsecncl';
export const KIS_INQUIRE_DAILY_CCLD_PATH = '/uapi/domestic-stock/v1/trading/inquire-daily-ccld';
export const KIS_INQUIRE_BALANCE_PATH = '/uapi/domestic-stock/v1/trading/inquire-balance';
export const KIS_INQUIRE_PSBL_ORDER_PATH = '/uapi/domestic-stock/v1/trading/inquire-psbl-order';
export const KIS_INQUIRE_PRICE_PATH = '/uapi/domestic-stock/v1/quotations/inquire-price';
export const KIS_INQUIRE_ASKING_PRICE_PATH = '/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn';
export const KIS_DAILY_CHART_PATH = '/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice';
export const KIS_MINUTE_CHART_PATH = '/uapi/domestic-stock/v1/quotations/inquire-time-dailychartprice';
export const KIS_SEARCH_STOCK_INFO_PATH = '/uapi/domestic-stock/v1/quotations/search-stock-info';

/** Market-data tr_ids: the same on the real and the paper server. */
export const KIS_QUOTATION_TR_IDS = Object.freeze({
  /** 주식현재가 시세 */
  PRICE: 'FHKST01010100',
  /** 주식현재가 호가/예상체결 */
  ASKING_PRICE: 'FHKST01010200',
  /** 국내주식기간별시세(일/주/월/년): at most 100 rows a call */
  DAILY_CHART: 'FHKST03010100',
  /** 주식일별분봉조회: at most 120 one-minute rows a call, any day of the last year */
  MINUTE_CHART: 'FHKST03010230',
  /** 주식기본조회 */
  STOCK_INFO: 'CTPF1002R',
} as const);

export interface KisTrIdSet {
  buy: string;
  sell: string;
  cancel: string;
  /** 주식일별주문체결조회 (orders of the last three months). */
  inquireDaily: string;
  /** 주식잔고조회 */
  balance: string;
  /** 매수가능조회 */
  buyingPower: string;
}

/** Current tr_ids: real (T...) and paper/모의투자 (V...). */
export const KIS_TR_IDS: Readonly<{ real: KisTrIdSet; paper: KisTrIdSet }> = Object.freeze({
  real: Object.freeze({
    buy: 'TTTC0012U',
    sell: 'TTTC0011U',
    cancel: 'TTTC0013U',
    inquireDaily: 'TTTC0081R',
    balance: 'TTTC8434R',
    buyingPower: 'TTTC8908R',
  }),
  paper: Object.freeze({
    buy: 'VTTC0012U',
    sell: 'VTTC0011U',
    cancel: 'VTTC0013U',
    inquireDaily: 'VTTC0081R',
    balance: 'VTTC8434R',
    buyingPower: 'VTTC8908R',
  }),
});

/**
 * The older tr_ids, still documented by KIS as aliases of the current ones (TTTC0802U buy, TTTC0801U
 * sell, TTTC0803U revise/cancel, TTTC8001R daily inquiry). Selected with `legacyTrIds: true`.
 */
export const KIS_LEGACY_TR_IDS: Readonly<{ real: KisTrIdSet; paper: KisTrIdSet }> = Object.freeze({
  real: Object.freeze({
    buy: 'TTTC0802U',
    sell: 'TTTC0801U',
    cancel: 'TTTC0803U',
    inquireDaily: 'TTTC8001R',
    balance: 'TTTC8434R',
    buyingPower: 'TTTC8908R',
  }),
  paper: Object.freeze({
    buy: 'VTTC0802U',
    sell: 'VTTC0801U',
    cancel: 'VTTC0803U',
    inquireDaily: 'VTTC8001R',
    balance: 'VTTC8434R',
    buyingPower: 'VTTC8908R',
  }),
});

export interface KisEnvironment {
  /** 모의투자 (paper) rather than the real server. */
  paper: boolean;
  legacyTrIds?: boolean;
}

export function kisTrIds(environment: KisEnvironment): KisTrIdSet {
  const table = environment.legacyTrIds === true ? KIS_LEGACY_TR_IDS : KIS_TR_IDS;
  return environment.paper ? table.paper : table.real;
}

export function kisOrderTrId(side: OrderSide, environment: KisEnvironment): string {
  const ids = kisTrIds(environment);
  return side === OrderSide.BUY ? ids.buy : ids.sell;
}

/**
 * Whether a tr_id belongs to the paper (V...) or the real (T...) server; undefined for ids of neither
 * kind. A mismatch with the server sends a real order where a paper one was meant: clients check it.
 */
export function kisTrIdEnvironment(trId: string): 'paper' | 'real' | undefined {
  if (/^V[A-Z]{3}\d{4}[A-Z]$/.test(trId)) return 'paper';
  if (/^T[A-Z]{3}\d{4}[A-Z]$/.test(trId)) return 'real';
  return undefined;
}
