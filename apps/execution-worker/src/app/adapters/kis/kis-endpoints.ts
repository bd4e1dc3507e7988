import { OrderSide } from '@qts/broker-domain';

export const KIS_REAL_BASE_URL = 'https://openapi.koreainvestment.com:9443';
export const KIS_PAPER_BASE_URL = 'https://openapivts.koreainvestment.com:29443';

export const KIS_ORDER_CASH_PATH = '/uapi/domestic-stock/v1/trading/order-cash';
export const KIS_ORDER_REVISE_CANCEL_PATH = '/uapi/domestic-stock/v1/trading/order-rvsecncl';
export const KIS_INQUIRE_DAILY_CCLD_PATH = '/uapi/domestic-stock/v1/trading/inquire-daily-ccld';

export interface KisTrIdSet {
  buy: string;
  sell: string;
  cancel: string;
  /** 주식일별주문체결조회 (orders of the last three months). */
  inquireDaily: string;
}

/** Current tr_ids: real (T...) and paper/모의투자 (V...). */
export const KIS_TR_IDS: Readonly<{ real: KisTrIdSet; paper: KisTrIdSet }> = Object.freeze({
  real: Object.freeze({
    buy: 'TTTC0012U',
    sell: 'TTTC0011U',
    cancel: 'TTTC0013U',
    inquireDaily: 'TTTC0081R',
  }),
  paper: Object.freeze({
    buy: 'VTTC0012U',
    sell: 'VTTC0011U',
    cancel: 'VTTC0013U',
    inquireDaily: 'VTTC0081R',
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
  }),
  paper: Object.freeze({
    buy: 'VTTC0802U',
    sell: 'VTTC0801U',
    cancel: 'VTTC0803U',
    inquireDaily: 'VTTC8001R',
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
