export const KIWOOM_REAL_BASE_URL = 'https://api.kiwoom.com';
/** 모의투자 (paper); KRX only. */
export const KIWOOM_MOCK_BASE_URL = 'https://mockapi.kiwoom.com';

export const KIWOOM_ORDER_PATH = '/api/dostk/ordr';
export const KIWOOM_ACCOUNT_PATH = '/api/dostk/acnt';

/** api-id header values. kt10002 (amend) is listed so nobody mistakes it for an order inquiry. */
export const KIWOOM_API_IDS = Object.freeze({
  BUY: 'kt10000',
  SELL: 'kt10001',
  AMEND: 'kt10002',
  CANCEL: 'kt10003',
  /** 계좌별주문체결내역상세요청: the order inquiry. */
  ORDER_DETAILS: 'kt00007',
} as const);

/** dmst_stex_tp: the venue. Kiwoom's mock server supports KRX only. */
export type KiwoomExchange = 'KRX' | 'NXT' | 'SOR';
