// Paths, api-ids and fields as in Kiwoom-Securities/Kiwoom-REST-API examples/<category>/<api>.py and
// kiwoom/core/auth.py, kiwoom/core/client.py (repository snapshot checked on 2026-12-01).
export const KIWOOM_REAL_BASE_URL = 'https://api.kiwoom.com';
/** 모의투자 (paper); KRX only. */
export const KIWOOM_MOCK_BASE_URL = 'https://mockapi.kiwoom.com';

/** au10001 접근토큰 발급: POST { grant_type, appkey, secretkey }, no api-id header (kiwoom/core/auth.py). */
export const KIWOOM_TOKEN_PATH = '/oauth2/token';
export const KIWOOM_ORDER_PATH = '/api/dostk/ordr';
export const KIWOOM_ACCOUNT_PATH = '/api/dostk/acnt';
export const KIWOOM_STOCK_INFO_PATH = '/api/dostk/stkinfo';
export const KIWOOM_MARKET_CONDITION_PATH = '/api/dostk/mrkcond';
export const KIWOOM_CHART_PATH = '/api/dostk/chart';

/** api-id header values. kt10002 (amend) is listed so nobody mistakes it for an order inquiry. */
export const KIWOOM_API_IDS = Object.freeze({
  TOKEN: 'au10001',
  BUY: 'kt10000',
  SELL: 'kt10001',
  AMEND: 'kt10002',
  CANCEL: 'kt10003',
  /** 계좌별주문체결내역상세요청: the order inquiry. */
  ORDER_DETAILS: 'kt00007',
  /** 예수금상세현황요청: entr (deposit), ord_alow_amt (orderable amount). */
  DEPOSIT: 'kt00001',
  /** 계좌평가잔고내역요청: holdings and totals. */
  ACCOUNT_BALANCE: 'kt00018',
  /** 종목정보 리스트 (per market: mrkt_tp 0 KOSPI, 10 KOSDAQ). */
  SYMBOL_LIST: 'ka10099',
  /** 주식기본정보요청: price, open, high, low, base price, volume. */
  STOCK_INFO: 'ka10001',
  /** 주식호가요청: best bid and ask with sizes. */
  ORDER_BOOK: 'ka10004',
  /** 주식분봉차트조회요청 (tic_scope 1, 3, 5, 10, 15, 30, 45, 60). */
  MINUTE_CHART: 'ka10080',
  /** 주식일봉차트조회요청 */
  DAILY_CHART: 'ka10081',
  /** 주식주봉차트조회요청 */
  WEEKLY_CHART: 'ka10082',
} as const);

/** dmst_stex_tp: the venue. Kiwoom's mock server supports KRX only. */
export type KiwoomExchange = 'KRX' | 'NXT' | 'SOR';
