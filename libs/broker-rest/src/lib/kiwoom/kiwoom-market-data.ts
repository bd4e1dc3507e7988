import { Decimal, isSymbolCode, Market, StockSymbol } from '@qts/broker-domain';
import type { BrokerBar } from '../gateway/candle-bars';
import { sessionOpenOfDate, weekOpenOfDate } from '../gateway/candle-bars';
import { countField, listField, priceField, scalarText, signedDecimalField } from '../http/json-fields';
import { kstDateTime } from '../http/kst-date';
import { MalformedAnswerError } from '../gateway/malformed-answer-error';

// Field names as in Kiwoom-Securities/Kiwoom-REST-API examples/국내주식/<category>/<api>.py (COLUMNS and
// TABLE_KEYS of each sample). Kiwoom writes prices with a direction sign ("+70100", "-69800"): prices are
// read without it, changes keep it.

function rows(record: Record<string, unknown>, field: string): Record<string, unknown>[] {
  const found = listField(record, field);
  if (found === undefined) {
    throw new MalformedAnswerError(`${field} is not a list`);
  }
  return found;
}

function price(record: Record<string, unknown>, field: string): Decimal {
  const value = priceField(record[field]);
  if (value === undefined) {
    throw new MalformedAnswerError(`${field} is not a price`);
  }
  return value;
}

function count(record: Record<string, unknown>, field: string): number {
  const text = scalarText(record[field])?.trim().replace(/^[+-]/, '');
  const value = countField(text);
  if (value === undefined) {
    throw new MalformedAnswerError(`${field} is not a count`);
  }
  return value;
}

function amount(record: Record<string, unknown>, field: string): Decimal {
  const value = signedDecimalField(record[field]);
  if (value === undefined) {
    throw new MalformedAnswerError(`${field} is not an amount`);
  }
  return value;
}

/** ka10099 (종목정보 리스트) list: code, name, marketName, upName (sector). Codes other than KRX short codes are skipped. */
export function parseKiwoomSymbolList(record: Record<string, unknown>, market: Market): StockSymbol[] {
  const symbols: StockSymbol[] = [];
  for (const row of rows(record, 'list')) {
    const code = (scalarText(row['code']) ?? '').trim();
    const name = (scalarText(row['name']) ?? '').trim();
    if (!isSymbolCode(code) || name === '') {
      continue;
    }
    const sector = (scalarText(row['upName']) ?? '').trim();
    symbols.push(new StockSymbol({ code, name, market, ...(sector === '' ? {} : { sector }) }));
  }
  return symbols;
}

/** ka10001 (주식기본정보요청): cur_prc, pred_pre, flu_rt, open_pric, high_pric, low_pric, base_pric, trde_qty. */
export function parseKiwoomStockInfo(record: Record<string, unknown>):
  | { price: Decimal; change: Decimal; changeRate: Decimal; open?: Decimal; high?: Decimal; low?: Decimal; previousClose?: Decimal; volume: number }
  | undefined {
  const last = priceField(record['cur_prc']);
  if (last === undefined || last.isZero()) {
    return undefined;
  }
  const optional = (field: string) => {
    const value = priceField(record[field]);
    return value === undefined || value.isZero() ? undefined : value;
  };
  return {
    price: last,
    change: amount(record, 'pred_pre'),
    changeRate: amount(record, 'flu_rt'),
    open: optional('open_pric'),
    high: optional('high_pric'),
    low: optional('low_pric'),
    previousClose: optional('base_pric'),
    volume: count(record, 'trde_qty'),
  };
}

/** ka10004 (주식호가요청): sel_fpr_bid / buy_fpr_bid (best ask / bid) and sel_fpr_req / buy_fpr_req (sizes). */
export function parseKiwoomBestPrices(record: Record<string, unknown>): { bid: Decimal; ask: Decimal; bidSize: number; askSize: number } {
  return {
    bid: priceField(record['buy_fpr_bid']) ?? new Decimal(0),
    ask: priceField(record['sel_fpr_bid']) ?? new Decimal(0),
    bidSize: countField(scalarText(record['buy_fpr_req'])?.trim().replace(/^[+-]/, '')) ?? 0,
    askSize: countField(scalarText(record['sel_fpr_req'])?.trim().replace(/^[+-]/, '')) ?? 0,
  };
}

/**
 * ka10081 (stk_dt_pole_chart_qry) and ka10082 (stk_stk_pole_chart_qry), newest first: dt, open_pric,
 * high_pric, low_pric, cur_prc (the close), trde_qty.
 */
export function parseKiwoomPeriodBars(record: Record<string, unknown>, weekly: boolean): { bars: BrokerBar[]; oldest?: string } {
  const bars: BrokerBar[] = [];
  let oldest: string | undefined;
  for (const row of rows(record, weekly ? 'stk_stk_pole_chart_qry' : 'stk_dt_pole_chart_qry')) {
    const date = (scalarText(row['dt']) ?? '').trim();
    if (date === '') {
      continue;
    }
    const startMs = weekly ? weekOpenOfDate(date) : sessionOpenOfDate(date);
    if (startMs === undefined) {
      throw new MalformedAnswerError(`dt '${date}' is not a date`);
    }
    oldest = oldest === undefined || date < oldest ? date : oldest;
    bars.push({
      startMs,
      open: price(row, 'open_pric'),
      high: price(row, 'high_pric'),
      low: price(row, 'low_pric'),
      close: price(row, 'cur_prc'),
      volume: count(row, 'trde_qty'),
    });
  }
  return { bars, ...(oldest === undefined ? {} : { oldest }) };
}

/** ka10080 (stk_min_pole_chart_qry), newest first: cntr_tm (YYYYMMDDHHMMSS, the bar's start), OHLC, trde_qty. */
export function parseKiwoomMinuteBars(record: Record<string, unknown>): { bars: BrokerBar[]; oldestMs?: number } {
  const bars: BrokerBar[] = [];
  let oldestMs: number | undefined;
  for (const row of rows(record, 'stk_min_pole_chart_qry')) {
    const stamp = (scalarText(row['cntr_tm']) ?? '').trim();
    if (stamp === '') {
      continue;
    }
    const start = kstDateTime(stamp.slice(0, 8), stamp.slice(8, 14));
    if (start === undefined) {
      throw new MalformedAnswerError(`cntr_tm '${stamp}' is not a time`);
    }
    oldestMs = oldestMs === undefined || start.getTime() < oldestMs ? start.getTime() : oldestMs;
    bars.push({
      startMs: start.getTime(),
      open: price(row, 'open_pric'),
      high: price(row, 'high_pric'),
      low: price(row, 'low_pric'),
      close: price(row, 'cur_prc'),
      volume: count(row, 'trde_qty'),
    });
  }
  return { bars, ...(oldestMs === undefined ? {} : { oldestMs }) };
}

/** kt00001 (예수금상세현황요청): entr (deposit) and ord_alow_amt (what orders may use). */
export function parseKiwoomDeposit(record: Record<string, unknown>): { deposit: Decimal; orderable: Decimal } {
  return { deposit: amount(record, 'entr'), orderable: amount(record, 'ord_alow_amt') };
}

export interface KiwoomHolding {
  symbol: string;
  name: string;
  quantity: number;
  avgPrice: Decimal;
  currentPrice: Decimal;
}

/**
 * kt00018 (계좌평가잔고내역요청): prsm_dpst_aset_amt (estimated deposit assets: cash plus holdings) and the
 * holdings acnt_evlt_remn_indv_tot (stk_cd with an 'A' prefix, stk_nm, rmnd_qty, pur_pric, cur_prc).
 */
export function parseKiwoomAccountBalance(record: Record<string, unknown>): { totalAssets: Decimal; holdings: KiwoomHolding[] } {
  const holdings: KiwoomHolding[] = [];
  for (const row of rows(record, 'acnt_evlt_remn_indv_tot')) {
    const quantity = countField(scalarText(row['rmnd_qty'])?.trim()) ?? 0;
    const symbol = (scalarText(row['stk_cd']) ?? '').trim().replace(/^A(?=[0-9A-Z]{6}$)/, '');
    if (quantity === 0 || symbol === '') {
      continue;
    }
    holdings.push({
      symbol,
      name: (scalarText(row['stk_nm']) ?? symbol).trim() || symbol,
      quantity,
      avgPrice: priceField(row['pur_pric']) ?? new Decimal(0),
      currentPrice: price(row, 'cur_prc'),
    });
  }
  return { totalAssets: amount(record, 'prsm_dpst_aset_amt'), holdings };
}
