import { Decimal, isSymbolCode, Market, StockSymbol } from '@qts/broker-domain';
import type { BrokerBar } from '../gateway/candle-bars';
import { BarFields, periodBarStart, readBarRow } from '../gateway/bar-rows';
import { BrokerHolding, HoldingFields, readHoldingRows } from '../gateway/broker-holding';
import { MalformedAnswerError } from '../gateway/malformed-answer-error';
import { BestPrices, PriceSnapshot, PriceSnapshotFields, readBestPrices, readPriceSnapshot } from '../gateway/price-snapshot';
import { requiredField, requiredList, requiredSignedDecimal } from '../gateway/required-answer-fields';
import { countField, scalarText } from '../http/json-fields';
import { kstDateTime } from '../http/kst-date';

// Field names as in Kiwoom-Securities/Kiwoom-REST-API examples/국내주식/<category>/<api>.py (COLUMNS and
// TABLE_KEYS of each sample). Kiwoom writes prices with a direction sign ("+70100", "-69800"): prices are
// read without it, changes keep it.

/** A count without the direction sign Kiwoom may put before it. */
function directionlessCount(value: unknown): number | undefined {
  return countField(scalarText(value)?.trim().replace(/^[+-]/, ''));
}

function count(record: Record<string, unknown>, field: string): number {
  return requiredField(directionlessCount(record[field]), field, 'a count');
}

function amount(record: Record<string, unknown>, field: string): Decimal {
  return requiredSignedDecimal(record, field, 'an amount');
}

/** ka10099 (종목정보 리스트) list: code, name, marketName, upName (sector). Codes other than KRX short codes are skipped. */
export function parseKiwoomSymbolList(record: Record<string, unknown>, market: Market): StockSymbol[] {
  const symbols: StockSymbol[] = [];
  for (const row of requiredList(record, 'list')) {
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
const KIWOOM_PRICE_FIELDS: PriceSnapshotFields = {
  price: 'cur_prc',
  change: 'pred_pre',
  changeRate: 'flu_rt',
  open: 'open_pric',
  high: 'high_pric',
  low: 'low_pric',
  previousClose: 'base_pric',
  volume: 'trde_qty',
};

export function parseKiwoomStockInfo(record: Record<string, unknown>): PriceSnapshot | undefined {
  return readPriceSnapshot(record, KIWOOM_PRICE_FIELDS, count, 'an amount');
}

/** ka10004 (주식호가요청): sel_fpr_bid / buy_fpr_bid (best ask / bid) and sel_fpr_req / buy_fpr_req (sizes). */
export function parseKiwoomBestPrices(record: Record<string, unknown>): BestPrices {
  const fields = { bid: 'buy_fpr_bid', ask: 'sel_fpr_bid', bidSize: 'buy_fpr_req', askSize: 'sel_fpr_req' };
  return readBestPrices(record, fields, directionlessCount);
}

/** The chart rows of ka10080, ka10081 and ka10082: OHLC with cur_prc as the close, trde_qty. */
const KIWOOM_BAR_FIELDS: BarFields = { open: 'open_pric', high: 'high_pric', low: 'low_pric', close: 'cur_prc', volume: 'trde_qty' };

/**
 * ka10081 (stk_dt_pole_chart_qry) and ka10082 (stk_stk_pole_chart_qry), newest first: dt, open_pric,
 * high_pric, low_pric, cur_prc (the close), trde_qty.
 */
export function parseKiwoomPeriodBars(record: Record<string, unknown>, weekly: boolean): { bars: BrokerBar[]; oldest?: string } {
  const bars: BrokerBar[] = [];
  let oldest: string | undefined;
  for (const row of requiredList(record, weekly ? 'stk_stk_pole_chart_qry' : 'stk_dt_pole_chart_qry')) {
    const start = periodBarStart(row, 'dt', weekly);
    if (start === undefined) {
      continue;
    }
    oldest = oldest === undefined || start.date < oldest ? start.date : oldest;
    bars.push(readBarRow(row, start.startMs, KIWOOM_BAR_FIELDS, count));
  }
  return { bars, ...(oldest === undefined ? {} : { oldest }) };
}

/** ka10080 (stk_min_pole_chart_qry), newest first: cntr_tm (YYYYMMDDHHMMSS, the bar's start), OHLC, trde_qty. */
export function parseKiwoomMinuteBars(record: Record<string, unknown>): { bars: BrokerBar[]; oldestMs?: number } {
  const bars: BrokerBar[] = [];
  let oldestMs: number | undefined;
  for (const row of requiredList(record, 'stk_min_pole_chart_qry')) {
    const stamp = (scalarText(row['cntr_tm']) ?? '').trim();
    if (stamp === '') {
      continue;
    }
    const start = kstDateTime(stamp.slice(0, 8), stamp.slice(8, 14));
    if (start === undefined) {
      throw new MalformedAnswerError(`cntr_tm '${stamp}' is not a time`);
    }
    oldestMs = oldestMs === undefined || start.getTime() < oldestMs ? start.getTime() : oldestMs;
    bars.push(readBarRow(row, start.getTime(), KIWOOM_BAR_FIELDS, count));
  }
  return { bars, ...(oldestMs === undefined ? {} : { oldestMs }) };
}

/** kt00001 (예수금상세현황요청): entr (deposit) and ord_alow_amt (what orders may use). */
export function parseKiwoomDeposit(record: Record<string, unknown>): { deposit: Decimal; orderable: Decimal } {
  return { deposit: amount(record, 'entr'), orderable: amount(record, 'ord_alow_amt') };
}

const KIWOOM_HOLDING_FIELDS: HoldingFields = {
  symbol: 'stk_cd',
  name: 'stk_nm',
  quantity: 'rmnd_qty',
  avgPrice: 'pur_pric',
  currentPrice: 'cur_prc',
};

/**
 * kt00018 (계좌평가잔고내역요청): prsm_dpst_aset_amt (estimated deposit assets: cash plus holdings) and the
 * holdings acnt_evlt_remn_indv_tot (stk_cd with an 'A' prefix, stk_nm, rmnd_qty, pur_pric, cur_prc).
 */
export function parseKiwoomAccountBalance(record: Record<string, unknown>): { totalAssets: Decimal; holdings: BrokerHolding[] } {
  const holdings = readHoldingRows(requiredList(record, 'acnt_evlt_remn_indv_tot'), KIWOOM_HOLDING_FIELDS, (code) =>
    code.replace(/^A(?=[0-9A-Z]{6}$)/, ''),
  );
  return { totalAssets: amount(record, 'prsm_dpst_aset_amt'), holdings };
}
